package org.latentmotion.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook test's failure message: each failed cell's number, source and error, colours removed. */
class CellErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void reportsSourceAndErrorOfEveryFailedCell() throws Exception {
        Path nb = Files.writeString(tmp.resolve("executed.ipynb"), """
                {"cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
                  {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["int a = 1;\\n", "a + 1"],
                   "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "2"}}]},
                  {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": "int b = a / 0;",
                   "outputs": [{"output_type": "error", "ename": "EvaluationException",
                                "evalue": "java.lang.ArithmeticException: / by zero",
                                "traceback": ["\\u001b[1;31mArithmeticException\\u001b[0m: / by zero", "  in cell [2], line 1"]}]}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        List<String> errors = NotebookExecutionTest.cellErrors(nb);
        assertEquals(1, errors.size());
        String e = errors.get(0);
        assertTrue(e.startsWith("cell #3:\nint b = a / 0;"), e);
        assertTrue(e.contains("EvaluationException: java.lang.ArithmeticException: / by zero"), e);
        assertTrue(e.contains("ArithmeticException: / by zero\n  in cell [2], line 1"), "traceback without ANSI codes: " + e);
    }
}
