package org.latentmotion.kernel;

/** A few ANSI styles: Jupyter front ends and nbconvert render them in tracebacks. */
final class Ansi {
    private Ansi() {
    }

    static String red(String s) {
        return "\u001b[1;31m" + s + "\u001b[0m";
    }

    static String bold(String s) {
        return "\u001b[1m" + s + "\u001b[0m";
    }

    static String dim(String s) {
        return "\u001b[2m" + s + "\u001b[0m";
    }
}
