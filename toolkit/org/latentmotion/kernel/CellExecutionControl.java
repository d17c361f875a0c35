package org.latentmotion.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.latentmotion.nn.StopGuard;

/**
 * Runs cell code in the kernel's own JVM, on the thread that called JShell's eval, and keeps
 * the value of the last snippet as an object (JShell's own local control only keeps its
 * {@code toString()}), so the kernel can render it as an image, a table, a video.
 */
final class CellExecutionControl extends DirectExecutionControl {
    private final CellLoaderDelegate loader;
    private volatile Object lastValue;
    private volatile boolean inUserCode;

    CellExecutionControl(CellLoaderDelegate loader) {
        super(loader);
        this.loader = loader;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = doitMethod.invoke(null);
        lastValue = value;
        // JShell wants a value string; the kernel renders the object itself, so skip toString().
        return value == null ? "null" : value.getClass().getName();
    }

    @Override
    protected void clientCodeEnter() {
        inUserCode = true;
    }

    @Override
    protected void clientCodeLeave() {
        // under the stop lock: the kernel's watchdog stops the thread only while this flag is set, so a
        // stop can no longer land after the cell's code ended (in JShell's or the kernel's bookkeeping)
        try (StopGuard ignored = StopGuard.enter()) {
            inUserCode = false;
        }
        // Code that saw an interrupt but only tested isInterrupted() leaves the flag set; JShell's
        // own work after the snippet (class files through NIO channels) must not trip over it.
        Thread.interrupted();
    }

    /** The value the last invoked snippet produced, cleared by reading. */
    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** True while a cell's own code runs (not JShell's compiler, not the kernel). */
    boolean inUserCode() {
        return inUserCode;
    }

    CellClassLoader classLoader() {
        return loader.classLoader();
    }

    /** Hands JShell this control (JShell asks a provider for it). */
    static ExecutionControlProvider provider(CellExecutionControl control) {
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "latentmotion-direct";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }
}
