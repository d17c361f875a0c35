package org.latentmotion.kernel;

import java.util.List;

/**
 * Where in a running cell a {@code Thread.stop} may land. A stop is an exception that can appear
 * at any instruction, and in some places it breaks more than the cell: inside a class's static
 * initializer it leaves the class unusable for the rest of the JVM's life (a stop during the JDK's
 * first stack-trace formatting broke {@code StackTraceElement} and, with it, the kernel's own
 * request loop); inside class loading or method-handle linking it breaks linkage the same way;
 * inside the kernel's messaging it leaves half a message on a socket; inside a native library's
 * Java wrapper (ONNX Runtime, ND4J, JavaCPP) it leaves native state half updated. The kernel asks
 * here with the cell thread's stack and, where it says no, tries again a moment later.
 */
final class StopPoints {
    /** Code a stop must not cut (class-name prefixes). */
    private static final List<String> UNSAFE = List.of(
            "java.lang.invoke.", "java.lang.ClassLoader", "jdk.internal.loader.", "jdk.internal.reflect.",
            "java.lang.ref.", "sun.nio.", "java.nio.channels.",
            "zmq.", "org.zeromq.", "io.github.spencerpark.", "org.latentmotion.kernel.", "org.latentmotion.nn.StopGuard",
            "ai.onnxruntime.", "org.bytedeco.", "org.nd4j.");
    /** JShell's wrapper classes of cell snippets: frames below the first of them are JShell's own. */
    private static final String CELL_PACKAGE = "REPL.";

    private StopPoints() {
    }

    /** True if a stop may land on a thread whose stack is {@code frames} (innermost first). */
    static boolean stoppable(StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            String cls = f.getClassName();
            if (cls.startsWith(CELL_PACKAGE)) {
                return true; // every frame above it belongs to the cell's code
            }
            if ("<clinit>".equals(f.getMethodName()) || unsafe(cls)) {
                return false;
            }
        }
        return false; // no cell frame: the thread is not in the cell's code
    }

    private static boolean unsafe(String cls) {
        for (String prefix : UNSAFE) {
            if (cls.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
