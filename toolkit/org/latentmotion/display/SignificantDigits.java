package org.latentmotion.display;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * How a notebook prints a floating-point number in a table: {@value #DIGITS} significant digits,
 * trailing zeros dropped, as pandas shows a DataFrame ({@code display.precision} 6) — 67.6, not
 * 67.59999999999999; 0.000123457, then 1.23457e-05 below 1e-4; 1.23457e+06 from a million. Only
 * the printed text changes: the table's values stay exact, so a notebook computing on them gets
 * every digit.
 */
final class SignificantDigits extends NumberColumnFormatter {
    /** Significant digits shown (pandas' default precision). */
    static final int DIGITS = 6;

    /** {@code v} with {@value #DIGITS} significant digits; "NaN", "inf" and "-inf" as pandas writes them. */
    static String format6(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(DIGITS));
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude >= 1e-4 && magnitude < 1e6) {
            return rounded.stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%." + (DIGITS - 1) + "e", v); // 1.23457e+06
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + s.substring(e);
    }

    @Override
    public String format(double value) {
        return format6(value);
    }

    @Override
    public String format(float value) {
        return Float.isNaN(value) ? "NaN" : format6(Double.parseDouble(Float.toString(value)));
    }
}
