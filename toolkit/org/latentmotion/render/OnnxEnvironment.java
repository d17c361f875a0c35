package org.latentmotion.render;

import ai.onnxruntime.OrtEnvironment;

/**
 * The shared ONNX Runtime environment, created safely.
 *
 * <p>Why: loading onnxruntime's native library and creating the environment needs more native
 * stack than a default 1 MB Java thread has once the JVM's classpath is long (a notebook
 * kernel's is): on such a thread the JVM dies with a segmentation fault and no error report
 * (measured here: ORT 1.29 with this project's 88 jars crashes on the main thread, works with
 * -Xss2m). So the first use happens on a helper thread with a 32 MB stack; afterwards sessions
 * can be created and run on any thread. Anything in latentmotion that uses ORT should get its
 * environment here before touching other ORT classes.
 */
public final class OnnxEnvironment {
    private static volatile OrtEnvironment env;

    private OnnxEnvironment() {
    }

    /**
     * The environment, created on first use on a 32 MB-stack helper thread; throws {@link IllegalStateException} if
     * ONNX Runtime cannot start.
     */
    public static OrtEnvironment get() {
        OrtEnvironment e = env;
        if (e != null) {
            return e;
        }
        synchronized (OnnxEnvironment.class) {
            if (env == null) {
                OrtEnvironment[] made = new OrtEnvironment[1];
                Throwable[] failed = new Throwable[1];
                Thread t = new Thread(null, () -> {
                    try {
                        made[0] = OrtEnvironment.getEnvironment();
                    } catch (Throwable x) {
                        failed[0] = x;
                    }
                }, "latentmotion-onnxruntime-init", 32L << 20);
                t.start();
                boolean interrupted = false;
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException ie) {
                        interrupted = true; // finish the load: a half-loaded native library helps no one
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                if (failed[0] != null) {
                    throw new IllegalStateException("could not start ONNX Runtime: " + failed[0], failed[0]);
                }
                env = made[0];
            }
            return env;
        }
    }
}
