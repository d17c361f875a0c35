package org.latentmotion.display;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.latentmotion.wplus.AtomicFile;

/**
 * Where notebooks and the quickstart write their outputs: {@code $LATENTMOTION_FIGURES} (or the
 * system property {@code latentmotion.figures}) if set, else {@code figures/} in the project
 * root found by walking up from the working directory, else {@code ./figures}.
 */
public final class Figures {
    private Figures() {
    }

    /**
     * The figures folder (see the class comment), created if missing; throws {@link java.io.UncheckedIOException}
     * if it cannot be created.
     */
    public static Path dir() {
        String configured = System.getProperty("latentmotion.figures", System.getenv("LATENTMOTION_FIGURES"));
        Path dir;
        if (configured != null && !configured.isBlank()) {
            dir = Paths.get(configured);
        } else {
            dir = projectRoot().resolve("figures");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the figures folder " + dir.toAbsolutePath(), e);
        }
        return dir;
    }

    /** A file in the figures folder. */
    public static Path path(String fileName) {
        return dir().resolve(fileName);
    }

    /** The project root (the folder holding pom.xml and toolkit/), or the working directory. */
    public static Path projectRoot() {
        String configured = System.getProperty("latentmotion.root", System.getenv("LATENTMOTION_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath();
        }
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("toolkit"))) {
                return p;
            }
        }
        return cwd;
    }

    /**
     * Writes bytes to {@code target} through a temporary file and an atomic move, with the
     * permissions policy of {@link AtomicFile} (the umask's default: readable by others under the
     * usual umask 022); returns {@code target}.
     */
    public static Path writeAtomically(Path target, byte[] bytes) {
        return AtomicFile.write(target, bytes);
    }
}
