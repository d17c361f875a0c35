package org.latentmotion.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.CompleteReply;
import io.github.spencerpark.jupyter.messages.reply.ErrorReply;
import io.github.spencerpark.jupyter.messages.request.CompleteRequest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.latentmotion.display.Notebook;
import org.latentmotion.display.Renderers;
import org.latentmotion.nn.StopGuard;

/**
 * The latentmotion Jupyter kernel: Java cells evaluated by JShell inside this JVM, so values
 * render as images, tables and videos, with IJava's display API and magics.
 *
 * <p>Cells run on one dedicated thread, never on basekernel's shell thread: an interrupt
 * (kernelspec {@code "interrupt_mode": "message"}) interrupts that thread, and if the code
 * ignores it, stops it ({@code Thread.stop}, JDK 17–19), while the kernel keeps serving. Never
 * while the thread is inside a {@link StopGuard} (a training step, native memory work): that
 * code stops at its own boundary, and a stop there would corrupt native state.
 */
public final class LatentMotionKernel extends BaseKernel {
    /** How long cooperative interruption gets before the cell thread is stopped. */
    private static final long STOP_AFTER_MS = Long.getLong("latentmotion.kernel.stopAfterMs", 1000);
    /** How long an interrupted cell may stay inside a guarded step before a second interrupt may restart the kernel. */
    private static final long GUARDED_PATIENCE_MS = Long.getLong("latentmotion.kernel.guardedPatienceMs", 60_000);
    /** What one cell may print to each of stdout and stderr before the rest is dropped (with a note). */
    static final long OUTPUT_CAP_BYTES = Long.getLong("latentmotion.kernel.outputCapBytes", 5L << 20);
    /** How long the kernel waits for a finished cell's output to be sent before it reports the cell done anyway. */
    private static final long OUTPUT_DRAIN_MS = 30_000;

    private final ExecutorService cellExecutor;
    private volatile Thread cellThread;
    private final Future<CellEngine> engine;
    private final AtomicLong runningCell = new AtomicLong(-1);
    private final AtomicLong cellSeq = new AtomicLong();
    /** Set by the first cell request: the start-up warm-up is skipped if it comes first. */
    private volatile boolean cellRequested;
    private volatile boolean stopUnsupported;
    /** The cell that kept running after being stopped (its code swallows ThreadDeath), or −1. */
    private final AtomicLong stoppedWithoutEffect = new AtomicLong(-1);
    private final NativeGarbage nativeGarbage = new NativeGarbage();

    /**
     * A kernel whose Java shell starts on its own cell thread (64 MB stack, for native libraries and deep
     * recursion) while the front end connects, and which sends notebook displays to this kernel's output.
     */
    public LatentMotionKernel() {
        // the watchdog stops a cell's thread while that thread is suspended: nothing may be loaded then
        StopGuard.prepareToStop(StopPoints::stoppable);
        this.cellExecutor = Executors.newSingleThreadExecutor(r -> {
            // A deep stack: native libraries (ONNX Runtime's first load with a long classpath)
            // and deeply recursive user code must not crash the kernel on a 1 MB default stack.
            Thread t = new Thread(null, r, "latentmotion-cell", 64L << 20);
            t.setDaemon(true);
            cellThread = t;
            return t;
        });
        // Build JShell and run the default imports while the front end connects.
        this.engine = cellExecutor.submit(() -> {
            CellEngine e = new CellEngine();
            Thread.currentThread().setContextClassLoader(e.classLoader());
            e.importDefaults();
            // While the front end connects and the user reads, warm the compiler up with a throwaway
            // cell (see CellEngine.warmUp), unless a cell already waits: then it would only come later.
            // Inside this task, so completion requests (shell thread) wait for it: JShell is not thread-safe.
            if (!cellRequested) {
                e.warmUp();
            }
            return e;
        });
        Notebook.install(new KernelDisplaySink(getIO().display));
    }

    private CellEngine engine() throws Exception {
        try {
            return engine.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Java shell did not start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " (latentmotion kernel, JShell)";
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        cellRequested = true;
        CellEngine e = engine();
        int cellNumber = executionCount.get() - 1;
        long id = cellSeq.incrementAndGet();
        Future<DisplayData> future = cellExecutor.submit(() -> {
            // (again each time: a stop that escaped the cell's code replaces the executor's thread)
            Thread.currentThread().setContextClassLoader(e.classLoader());
            runningCell.set(id);
            PrintStream kernelOut = System.out;
            PrintStream kernelErr = System.err;
            PrintStream cellOut = CellOutput.open(kernelOut, OUTPUT_CAP_BYTES);
            PrintStream cellErr = CellOutput.open(kernelErr, OUTPUT_CAP_BYTES);
            System.setOut(cellOut);
            System.setErr(cellErr);
            try {
                CellEngine.Result result = e.run(code, cellNumber);
                if (!result.hasValue()) {
                    return null;
                }
                return KernelDisplaySink.toDisplayData(Renderers.render(result.value()));
            } catch (ThreadDeath stopped) {
                throw e.interrupted();
            } finally {
                runningCell.set(-1);
                Thread.interrupted(); // an interrupt that came late must not hit the next cell
                CellOutput.finish(cellOut); // sent by the output thread: this thread never touches the sockets
                CellOutput.finish(cellErr);
                System.setOut(kernelOut);
                System.setErr(kernelErr);
                nativeGarbage.afterCell();
            }
        });
        try {
            return waitFor(future, e);
        } finally {
            // the cell's last output goes out before the kernel reports the cell done
            if (!OutputThread.drain(OUTPUT_DRAIN_MS)) {
                System.err.println("latentmotion kernel: the cell's output was not sent within " + OUTPUT_DRAIN_MS + " ms");
            }
            System.out.flush();
            System.err.flush();
        }
    }

    private DisplayData waitFor(Future<DisplayData> future, CellEngine e) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof ThreadDeath) {
                throw e.interrupted();
            }
            if (cause instanceof Exception x) {
                throw x;
            }
            throw new RuntimeException(cause);
        }
    }

    @Override
    public void interrupt() {
        long id = runningCell.get();
        Thread t = cellThread;
        if (id < 0 || t == null || !engine.isDone()) {
            return;
        }
        CellEngine e;
        try {
            e = engine.get();
        } catch (Exception ex) {
            return;
        }
        long resisting = stoppedWithoutEffect.get();
        if (resisting == id) {
            restartUnstoppableCell();
            return;
        }
        e.requestInterrupt(); // checked between snippets
        Thread watchdog = new Thread(() -> escalate(id, t, e), "latentmotion-interrupt");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Interrupts the cell thread once it is in the cell's own code (never while JShell compiles:
     * an interrupt closes the compiler's open jar channels), and stops it if the code ignores
     * the interrupt for {@link #STOP_AFTER_MS}.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private void escalate(long id, Thread t, CellEngine e) {
        long interruptedAt = -1;
        boolean waitingNoticeShown = false;
        boolean resistNoticeShown = false;
        int stops = 0;
        try {
            while (runningCell.get() == id) {
                if (e.inUserCode()) {
                    long now = System.currentTimeMillis();
                    if (interruptedAt < 0) {
                        // under the stop lock with the same check: never after the cell's code has ended
                        StopGuard.interruptIf(t, e::inUserCode);
                        interruptedAt = now;
                    } else if (now - interruptedAt > STOP_AFTER_MS && StopGuard.isGuarded(t)) {
                        // inside a training step or native memory work: stopping here corrupts ND4J's
                        // workspaces (a later SIGSEGV); that code stops at its own next boundary
                        if (!waitingNoticeShown) {
                            waitingNoticeShown = true;
                            System.err.println("Interrupt received: the running step finishes first, then the cell stops"
                                    + " (toolkit loops stop at step boundaries and keep their state).");
                        }
                        if (now - interruptedAt > GUARDED_PATIENCE_MS && stoppedWithoutEffect.getAndSet(id) != id) {
                            // a step this long is stuck (e.g. a training listener that loops): offer the restart
                            System.err.println("The running step has not finished in " + GUARDED_PATIENCE_MS / 1000
                                    + " s. Interrupt again to restart the kernel; its variables will be lost.");
                        }
                    } else if (now - interruptedAt > STOP_AFTER_MS) {
                        try {
                            if (StopGuard.stopUnlessGuarded(t, e::inUserCode, StopPoints::stoppable)) {
                                stops++;
                                if (stops >= 5) { // the code catches ThreadDeath: a second interrupt restarts the kernel
                                    stoppedWithoutEffect.set(id);
                                    if (!resistNoticeShown) {
                                        resistNoticeShown = true;
                                        System.err.println("This cell does not stop: its code catches ThreadDeath (e.g. catch"
                                                + " (Throwable t)). Interrupt again to restart the kernel; its variables will"
                                                + " be lost.");
                                    }
                                }
                            }
                        } catch (UnsupportedOperationException unsupported) {
                            // JDK 20+: threads cannot be stopped; only cooperative checks end the loop
                            stoppedWithoutEffect.set(id);
                            if (!stopUnsupported) {
                                stopUnsupported = true;
                                System.err.println("This JVM cannot stop threads (JDK 20+): the cell ends only when its"
                                        + " code checks Thread.interrupted(). Interrupt again to restart the kernel.");
                            }
                            return;
                        }
                        interruptedAt = now; // try again later if the stop landed outside the loop
                    }
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException ignored) {
            // kernel shutting down
        }
    }

    /**
     * The second interrupt of a cell that survived being stopped: its thread cannot be ended and
     * holds the shell, so the kernel says so in the cell's output and exits; the notebook server
     * starts a fresh kernel ("kernel restarting"), as it does for any kernel that dies.
     */
    private void restartUnstoppableCell() {
        System.err.println("Restarting the kernel: the running cell cannot be stopped. Run the notebook's cells again.");
        OutputThread.submit(CellOutput::sendAll);
        OutputThread.drain(2000);
        System.err.flush();
        // sending is asynchronous (ZeroMQ's I/O thread): halting at once lost this message in a CI run
        try {
            Thread.sleep(500);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        ExitGuard.haltForRestart(3);
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellException c) {
            return c.traceback();
        }
        return super.formatError(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) throws Exception {
        CellAnalysis.CompletionResult r = engine().analysis().complete(code, at);
        return new ReplacementOptions(r.matches(), r.start(), r.end());
    }

    /**
     * basekernel's handlers, with complete_request answered here: basekernel's reply has no
     * metadata, and front ends read each candidate's kind and signature from
     * {@code metadata._jupyter_types_experimental}, as ipykernel sends it.
     */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMPLETE_REQUEST, this::handleCompleteRequest);
    }

    private void handleCompleteRequest(ShellReplyEnvironment env, Message<CompleteRequest> message) {
        CompleteRequest request = message.getContent();
        env.setBusyDeferIdle();
        try {
            CellAnalysis.CompletionResult r = engine().analysis().complete(request.getCode(), request.getCursorPos());
            env.reply(new CompleteReply(r.matches(), r.start(), r.end(), completionMetadata(r)));
        } catch (Exception e) {
            env.replyError(CompleteReply.MESSAGE_TYPE.error(), ErrorReply.of(e));
        }
    }

    /** ipykernel's experimental completion metadata: one {start, end, text, type, signature} per match. */
    static Map<String, Object> completionMetadata(CellAnalysis.CompletionResult r) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (CellAnalysis.CompletionItem item : r.items()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("start", r.start());
            t.put("end", r.end());
            t.put("text", item.text());
            t.put("type", item.type());
            t.put("signature", item.signature());
            types.add(t);
        }
        return Map.of("_jupyter_types_experimental", types);
    }

    @Override
    public String isComplete(String code) {
        try {
            return switch (engine().analysis().completeness(code)) {
                case COMPLETE -> IS_COMPLETE_YES;
                case INVALID -> IS_COMPLETE_BAD;
                case INCOMPLETE -> "    "; // the indent the console continues with
            };
        } catch (Exception e) {
            return IS_COMPLETE_MAYBE;
        }
    }

    /** Shift-Tab: signatures and javadoc as text/plain and text/markdown; more detail adds the declaration's source. */
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) throws Exception {
        CellDocumentation.Inspection doc = engine().analysis().inspect(code, at, extraDetail ? 1 : 0);
        if (doc == null) {
            return null;
        }
        DisplayData data = new DisplayData(doc.plain());
        data.putMarkdown(doc.markdown());
        return data;
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        cellExecutor.shutdownNow();
    }

    /** basekernel logs every message at INFO; keep warnings only. */
    static void quietLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Handler h = new ConsoleHandler();
        h.setLevel(Level.WARNING);
        root.addHandler(h);
    }

    /** Entry point: {@code java ... org.latentmotion.kernel.LatentMotionKernel <connection-file>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LatentMotionKernel <jupyter connection file>");
            System.exit(2);
        }
        quietLogging();
        ExitGuard.install(Thread.currentThread());
        Path connectionFile = Paths.get(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file not found: " + connectionFile.toAbsolutePath());
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        LatentMotionKernel kernel = new LatentMotionKernel();
        JupyterConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
