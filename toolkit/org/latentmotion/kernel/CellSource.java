package org.latentmotion.kernel;

import java.util.Arrays;

/**
 * A cell's text with its line starts, so a character offset anywhere in the cell becomes the
 * line and column a reader sees (both 1-based). Errors are located by offset into the cell, never
 * by counting lines inside a snippet: a snippet may start in the middle of a line, after comments
 * or blank lines, and JShell's own line numbers are relative to whatever text it was given.
 */
final class CellSource {
    private final String text;
    private final int[] lineStarts;

    CellSource(String text) {
        this.text = text;
        int[] starts = new int[16];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, 2 * n);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    /** The whole cell. */
    String text() {
        return text;
    }

    int lineCount() {
        return lineStarts.length;
    }

    /** Offset of line {@code index}'s first character (0-based line index). */
    int lineStart(int index) {
        return lineStarts[index];
    }

    /** Offset just past line {@code index}'s line break (the next line's start, or the cell's end). */
    int nextLineStart(int index) {
        return index + 1 < lineStarts.length ? lineStarts[index + 1] : text.length();
    }

    /** Line {@code index} (0-based) without its line break. */
    String line(int index) {
        int end = index + 1 < lineStarts.length ? lineStarts[index + 1] - 1 : text.length();
        if (end > lineStarts[index] && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(lineStarts[index], end);
    }

    /** The 0-based index of the line holding {@code offset} (clamped to the cell). */
    int lineIndexOf(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int i = Arrays.binarySearch(lineStarts, o);
        return i >= 0 ? i : -i - 2;
    }

    /** The 1-based line of {@code offset}. */
    int lineOf(int offset) {
        return lineIndexOf(offset) + 1;
    }

    /** The 1-based column of {@code offset} within its line. */
    int columnOf(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        return o - lineStarts[lineIndexOf(o)] + 1;
    }
}
