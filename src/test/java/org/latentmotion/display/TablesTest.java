package org.latentmotion.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Tables print numbers as pandas does (6 significant digits) without touching their values. */
class TablesTest {
    @Test
    void significantDigitsAsPandasPrintsThem() {
        // expected strings are what pandas 2 prints for a one-value float64 column (display.precision 6)
        assertEquals("67.6", SignificantDigits.format6(67.59999999999999));
        assertEquals("0.123457", SignificantDigits.format6(0.12345678912345678));
        assertEquals("123457", SignificantDigits.format6(123456.789));
        assertEquals("0.0001", SignificantDigits.format6(1e-4));
        assertEquals("1.23457e-05", SignificantDigits.format6(1.2345678e-5));
        assertEquals("1.23457e+06", SignificantDigits.format6(1234567.0));
        assertEquals("1e+06", SignificantDigits.format6(999999.7));
        assertEquals("-2.5", SignificantDigits.format6(-2.5));
        assertEquals("100", SignificantDigits.format6(100.0));
        assertEquals("0", SignificantDigits.format6(0.0));
        assertEquals("NaN", SignificantDigits.format6(Double.NaN));
        assertEquals("inf", SignificantDigits.format6(Double.POSITIVE_INFINITY));
        assertEquals("-inf", SignificantDigits.format6(Double.NEGATIVE_INFINITY));
    }

    @Test
    void textAndHtmlShowSixDigitsAndTheTableKeepsItsValues() {
        double long1 = 67.59999999999999;
        double long2 = 0.012345678901234567;
        Table t = Table.create("distances", StringColumn.create("model", "a", "b"),
                DoubleColumn.create("FVD", long1, long2), FloatColumn.create("f", new float[] {0.1f, 1.5e-7f}),
                IntColumn.create("runs", 12345678, 2));
        MimeBundle b = Renderers.render(t, MimeBundle.TEXT, MimeBundle.HTML);
        String text = b.get(MimeBundle.TEXT);
        String html = b.get(MimeBundle.HTML);
        for (String out : new String[] {text, html}) {
            assertTrue(out.contains("67.6") && out.contains("0.0123457") && out.contains("0.1")
                    && out.contains("1.5e-07") && out.contains("12345678"), out);
            assertFalse(out.contains("67.5999") || out.contains("0.01234567") || out.contains("0.100000"), out);
        }
        // the table the notebook holds is unchanged, to the bit
        assertEquals(long1, t.doubleColumn("FVD").getDouble(0), 0);
        assertEquals(long2, t.doubleColumn("FVD").getDouble(1), 0);
        // Tablesaw's own printing (left on the original) gives all 17 digits: what issue 17 saw
        assertEquals("0.012345678901234567", t.doubleColumn("FVD").getString(1));
        assertEquals(long1, Tables.formatted(t).doubleColumn("FVD").getDouble(0), 0);
    }
}
