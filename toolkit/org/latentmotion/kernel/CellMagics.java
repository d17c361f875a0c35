package org.latentmotion.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.JShell;

/**
 * The magic lines a cell may hold, as IJava has them: {@code %classpath} and {@code %jars}
 * (folders and jars, globs allowed), {@code %maven} (coordinates resolved with their
 * dependencies) and {@code %load} (a .java/.jsh file, or a notebook's code cells, run as cells).
 * A failing magic becomes a {@link CellException.MagicException} naming the cell line.
 */
final class CellMagics {
    /** Runs code as a cell (what {@code %load} does with a file's text). */
    @FunctionalInterface
    interface CellRunner {
        void run(String cell, int cellNumber) throws CellException;
    }

    private final JShell shell;
    private final CellRunner runner;
    private MavenResolver maven;

    CellMagics(JShell shell, CellRunner runner) {
        this.shell = shell;
        this.runner = runner;
    }

    /** True for a line that is a magic ({@code %name args}; {@code %%} is not). */
    static boolean isMagicLine(String trimmed) {
        return trimmed.startsWith("%") && !trimmed.startsWith("%%");
    }

    /** Runs one magic line ({@code magic} without its '%'); {@code line} is its 0-based cell line. */
    void run(String magic, int cellNumber, int line) throws CellException {
        String[] parts = magic.split("\\s+", 2);
        String name = parts[0];
        String args = parts.length > 1 ? parts[1].strip() : "";
        try {
            switch (name) {
                case "classpath" -> addToClasspath(args, false);
                case "jars" -> addToClasspath(args, true);
                case "maven" -> maven(args);
                case "load" -> load(args, cellNumber);
                default -> throw new IllegalArgumentException("unknown magic %" + name
                        + "; this kernel knows %classpath, %jars, %maven, %load");
            }
        } catch (CellException e) {
            throw e;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new CellException.MagicException("%" + name + ": " + msg,
                    List.of(Ansi.red("%" + name + " failed") + " (cell [" + cellNumber + "], line " + (line + 1) + "): " + msg));
        }
    }

    /** Adds folders and jars (globs allowed; entries split on spaces or the path separator). */
    private void addToClasspath(String args, boolean jarsOnly) throws IOException {
        if (args.isBlank()) {
            throw new IllegalArgumentException("expected one or more paths, e.g. %classpath lib/*.jar");
        }
        Set<Path> entries = new LinkedHashSet<>();
        for (String arg : args.split("[\\s" + File.pathSeparator + "]+")) {
            String a = unquote(arg);
            if (a.isEmpty()) {
                continue;
            }
            List<Path> matched = expand(a);
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("no file or folder matches '" + a + "' (working directory "
                        + Paths.get("").toAbsolutePath() + ")");
            }
            for (Path p : matched) {
                if (Files.isDirectory(p) && jarsOnly) {
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(p, "*.jar")) {
                        jars.forEach(entries::add);
                    }
                } else {
                    entries.add(p);
                }
            }
        }
        for (Path p : entries) {
            shell.addToClasspath(p.toAbsolutePath().normalize().toString());
        }
    }

    private static List<Path> expand(String pattern) throws IOException {
        if (pattern.startsWith("~/")) {
            pattern = System.getProperty("user.home") + pattern.substring(1);
        }
        List<Path> out = new ArrayList<>();
        if (!pattern.contains("*") && !pattern.contains("?")) {
            Path p = Paths.get(pattern);
            if (Files.exists(p)) {
                out.add(p);
            }
            return out;
        }
        Path path = Paths.get(pattern);
        Path dir = path.getParent() == null ? Paths.get("") : path.getParent();
        String glob = path.getFileName().toString();
        if (Files.isDirectory(dir.toAbsolutePath())) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.toAbsolutePath(), glob)) {
                s.forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    private void maven(String args) throws Exception {
        if (args.isBlank()) {
            throw new IllegalArgumentException("expected group:artifact:version, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        if (maven == null) {
            maven = new MavenResolver();
        }
        for (String coords : args.split("\\s+")) {
            List<File> jars = maven.resolve(unquote(coords));
            for (File jar : jars) {
                shell.addToClasspath(jar.getAbsolutePath());
            }
            System.out.println("%maven " + coords + ": " + jars.size() + " jar" + (jars.size() == 1 ? "" : "s")
                    + " on the classpath");
        }
    }

    /** Runs Java code from a file (.java/.jsh: the whole text; .ipynb: its code cells in order). */
    private void load(String args, int cellNumber) throws Exception {
        Path file = Paths.get(unquote(args));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
        }
        String text = Files.readString(file);
        if (file.getFileName().toString().endsWith(".ipynb")) {
            @SuppressWarnings("deprecation") JsonObject nb = new JsonParser().parse(text).getAsJsonObject();
            JsonArray cells = nb.getAsJsonArray("cells");
            for (JsonElement c : cells) {
                JsonObject cell = c.getAsJsonObject();
                if ("code".equals(cell.get("cell_type").getAsString())) {
                    JsonElement src = cell.get("source");
                    StringBuilder s = new StringBuilder();
                    if (src.isJsonArray()) {
                        src.getAsJsonArray().forEach(l -> s.append(l.getAsString()));
                    } else {
                        s.append(src.getAsString());
                    }
                    runner.run(s.toString(), cellNumber);
                }
            }
        } else {
            runner.run(text, cellNumber);
        }
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
