package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentmotion.nn.StopGuard;

/**
 * The kernel stops an interrupted cell's thread only where a stop breaks nothing beyond the cell:
 * never inside a static initializer (a stop there leaves the class unusable for the JVM's life,
 * which once broke {@code StackTraceElement} and the kernel's request loop with it), class loading,
 * the kernel's messaging or a native library's wrapper.
 */
class StopPointsTest {

    @BeforeAll
    static void prepare() {
        StopGuard.prepareToStop(StopPointsTest::stoppableOutsideInitializers); // as the kernel does when it starts
    }

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    @Test
    void theCellsOwnCodeIsStoppableAndJShellsFramesBelowItDoNotCount() {
        assertTrue(StopPoints.stoppable(new StackTraceElement[] {
            frame("java.util.ArrayList", "add"), frame("org.latentmotion.toy.TalkingHead", "generate"),
            frame("REPL.$JShell$12", "do_it$"), frame("jdk.jshell.execution.DirectExecutionControl", "invoke"),
            frame("org.latentmotion.kernel.CellExecutionControl", "invoke")}));
    }

    @Test
    void aStaticInitializerClassLoadingMessagingAndNativeWrappersAreNot() {
        for (StackTraceElement inner : new StackTraceElement[] {
            frame("java.lang.StackTraceElement$HashedModules", "<clinit>"), frame("org.example.Mine", "<clinit>"),
            frame("java.lang.invoke.LambdaForm", "compileToBytecode"), frame("java.lang.ClassLoader", "loadClass"),
            frame("zmq.Signaler", "send"), frame("io.github.spencerpark.jupyter.channels.JupyterSocket", "sendMessage"),
            frame("org.latentmotion.kernel.OutputThread", "send"), frame("ai.onnxruntime.OrtSession", "run"),
            frame("org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner", "exec")}) {
            assertFalse(StopPoints.stoppable(new StackTraceElement[] {frame("java.util.HashMap", "put"), inner,
                frame("REPL.$JShell$12", "do_it$")}), inner.toString());
        }
    }

    @Test
    void aThreadOutsideAnyCellIsNotStoppable() {
        assertFalse(StopPoints.stoppable(new StackTraceElement[] {frame("java.lang.Thread", "run")}));
        assertFalse(StopPoints.stoppable(new StackTraceElement[0]));
    }

    /** Busy for {@code millis} ms (a static initializer that takes a while); never 0. */
    static long spin(long millis) {
        long x = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        return x | 1;
    }

    /** Spends a while in its static initializer. */
    static final class SlowToInitialize {
        static final long VALUE = spin(600);
    }

    @Test
    void aThreadInsideAStaticInitializerIsStoppedOnlyOnceItHasLeftIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                started.countDown();
                long v = SlowToInitialize.VALUE;
                while (v != 0) { // the "cell" keeps running after the initializer
                    v = v * 31 + 1;
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "cell");
        t.start();
        started.await();
        Thread.sleep(100); // inside the initializer now
        // what the kernel does: try, and try again a moment later where the point was not safe
        boolean stopped = false;
        int refused = 0;
        for (int k = 0; k < 200 && !stopped; k++) {
            stopped = StopGuard.stopUnlessGuarded(t, () -> true, StopPointsTest::stoppableOutsideInitializers);
            if (!stopped) {
                refused++;
                Thread.sleep(20);
            }
        }
        t.join(5000);
        assertTrue(stopped && !t.isAlive(), "the thread was stopped once out of the initializer");
        assertTrue(refused >= 1, "the stop waited while the thread was in the initializer");
        assertEquals(ThreadDeath.class, ended.get().getClass());
        assertTrue(SlowToInitialize.VALUE != 0, "the class is still usable");
    }

    @Test
    void withoutTheCheckTheSameStopBreaksTheClassForGood() throws Exception {
        Thread t = new Thread(() -> {
            long v = AlsoSlowToInitialize.VALUE;
        }, "cell");
        t.start();
        Thread.sleep(100);
        assertTrue(StopGuard.stopUnlessGuarded(t, () -> true, frames -> true));
        t.join(5000);
        assertThrows(NoClassDefFoundError.class, () -> System.out.println(AlsoSlowToInitialize.VALUE));
    }

    /** A second class, since the first must stay usable. */
    static final class AlsoSlowToInitialize {
        static final long VALUE = spin(600);
    }

    /** StopPoints' rule for a thread that is not a JShell cell: every frame counts, no initializer among them. */
    private static boolean stoppableOutsideInitializers(StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            if ("<clinit>".equals(f.getMethodName())) {
                return false;
            }
        }
        return true;
    }
}
