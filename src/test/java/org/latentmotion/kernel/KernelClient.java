package org.latentmotion.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Jupyter client (Debian's jupyter_client, through kernel_driver.py) talking to a real
 * kernel process over ZeroMQ: what a notebook front end does, request by request.
 */
final class KernelClient implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    final double startSeconds;

    KernelClient(TestKernelSpec spec, Path workDir) throws IOException, InterruptedException {
        Path driver = TestKernelSpec.projectRoot().resolve("src/test/java/org/latentmotion/kernel/kernel_driver.py");
        ProcessBuilder pb = new ProcessBuilder(TestKernelSpec.PYTHON, driver.toString(), TestKernelSpec.NAME)
                .directory(workDir.toFile());
        spec.configure(pb);
        process = pb.start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true), "driver-out");
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false), "driver-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        JsonObject started = next(180);
        if (!"started".equals(started.get("op").getAsString())) {
            throw new IllegalStateException("kernel did not start: " + started);
        }
        startSeconds = started.get("seconds").getAsDouble();
    }

    private void pump(BufferedReader reader, boolean isOut) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (isOut) {
                    lines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    @SuppressWarnings("deprecation")
    private JsonObject next(long timeoutSeconds) throws InterruptedException {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("no answer from the Jupyter client within " + timeoutSeconds + " s; stderr:\n" + stderr());
        }
        return new JsonParser().parse(line).getAsJsonObject();
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    JsonObject request(JsonObject req, long timeoutSeconds) throws IOException, InterruptedException {
        in.write(req.toString() + "\n");
        in.flush();
        JsonObject answer = next(timeoutSeconds);
        if (answer.has("error")) {
            throw new IllegalStateException("client error: " + answer.get("error").getAsString() + "\nstderr:\n" + stderr());
        }
        return answer;
    }

    Execution execute(String code) throws IOException, InterruptedException {
        return execute(code, 0);
    }

    /** Executes {@code code}; if {@code interruptAfterSeconds > 0} the client interrupts the kernel then. */
    Execution execute(String code, double interruptAfterSeconds) throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "execute");
        req.addProperty("code", code);
        req.addProperty("timeout", 120);
        if (interruptAfterSeconds > 0) {
            req.addProperty("interrupt_after", interruptAfterSeconds);
        }
        return new Execution(request(req, 150));
    }

    /** Executes {@code code} and interrupts the kernel at each of the given times (seconds after the request). */
    Execution executeWithInterrupts(String code, double... interruptsAfterSeconds) throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "execute");
        req.addProperty("code", code);
        req.addProperty("timeout", 120);
        com.google.gson.JsonArray times = new com.google.gson.JsonArray();
        for (double t : interruptsAfterSeconds) {
            times.add(t);
        }
        req.add("interrupt_after", times);
        return new Execution(request(req, 150));
    }

    /** Restarts the kernel as the notebook server does when one dies; true if the new one is alive. */
    boolean restart() throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "restart");
        return request(req, 180).get("alive").getAsBoolean();
    }

    JsonObject complete(String code, int cursor) throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "complete");
        req.addProperty("code", code);
        req.addProperty("cursor", cursor);
        return request(req, 60).getAsJsonObject("reply");
    }

    /** An inspect_request (Shift-Tab) at {@code cursor}; {@code detailLevel} 0 or 1 as Jupyter defines it. */
    JsonObject inspect(String code, int cursor, int detailLevel) throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "inspect");
        req.addProperty("code", code);
        req.addProperty("cursor", cursor);
        req.addProperty("detail_level", detailLevel);
        return request(req, 60).getAsJsonObject("reply");
    }

    JsonObject isComplete(String code) throws IOException, InterruptedException {
        JsonObject req = new JsonObject();
        req.addProperty("op", "is_complete");
        req.addProperty("code", code);
        return request(req, 60).getAsJsonObject("reply");
    }

    @Override
    public void close() throws Exception {
        try {
            JsonObject req = new JsonObject();
            req.addProperty("op", "shutdown");
            in.write(req + "\n");
            in.flush();
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** What one execute_request produced: iopub outputs in order, and the shell reply. */
    static final class Execution {
        final List<JsonObject> outputs = new ArrayList<>();
        final JsonObject reply;
        final double seconds;

        Execution(JsonObject answer) {
            for (JsonElement e : answer.getAsJsonArray("outputs")) {
                outputs.add(e.getAsJsonObject());
            }
            reply = answer.getAsJsonObject("reply");
            seconds = answer.get("seconds").getAsDouble();
        }

        /** True if the kernel died while running this request. */
        boolean died() {
            return "dead".equals(reply.get("status").getAsString());
        }

        boolean ok() {
            return "ok".equals(reply.get("status").getAsString());
        }

        List<JsonObject> ofType(String msgType) {
            return outputs.stream().filter(o -> msgType.equals(o.get("msg_type").getAsString())).toList();
        }

        /** text/plain of the execute_result, or null. */
        String resultText() {
            List<JsonObject> r = ofType("execute_result");
            return r.isEmpty() ? null : r.get(0).getAsJsonObject("data").get("text/plain").getAsString();
        }

        String stdout() {
            return stream("stdout");
        }

        String stderr() {
            return stream("stderr");
        }

        private String stream(String name) {
            StringBuilder s = new StringBuilder();
            for (JsonObject o : ofType("stream")) {
                if (name.equals(o.get("name").getAsString())) {
                    s.append(o.get("text").getAsString());
                }
            }
            return s.toString();
        }

        JsonObject error() {
            List<JsonObject> e = ofType("error");
            return e.isEmpty() ? null : e.get(0);
        }

        /** The error's traceback as plain text (ANSI colours removed). */
        String traceback() {
            JsonObject e = error();
            if (e == null) {
                return "";
            }
            StringBuilder s = new StringBuilder();
            JsonArray tb = e.getAsJsonArray("traceback");
            tb.forEach(l -> s.append(l.getAsString().replaceAll("\u001b\\[[0-9;]*m", "")).append('\n'));
            return s.toString();
        }

        @Override
        public String toString() {
            return "reply=" + reply + " outputs=" + outputs;
        }
    }
}
