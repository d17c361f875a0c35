package org.latentmotion.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The imports every cell starts with, so a notebook needs no set-up cell. A toolkit package is
 * imported only if it holds classes on the kernel's classpath (packages appear as the project
 * grows; an import of a missing package would fail every cell).
 */
final class DefaultImports {
    static final List<String> TOOLKIT_PACKAGES = List.of(
            "display", "wplus", "nn", "pca", "motion", "motion.mocogan", "motion.stylefacev", "motion.styleganv",
            "motion.styleinv", "transfer", "video", "render", "toy", "metrics");

    private DefaultImports() {
    }

    static List<String> statements() {
        List<String> imports = new ArrayList<>(List.of(
                "import java.util.*;",
                "import java.util.stream.*;",
                "import java.time.*;",
                "import java.nio.file.*;",
                "import java.awt.image.BufferedImage;"));
        for (String pkg : TOOLKIT_PACKAGES) {
            String name = "org.latentmotion." + pkg;
            if (packageExists(name)) {
                imports.add("import " + name + ".*;");
            }
        }
        imports.add("import static org.latentmotion.display.Notebook.*;");
        // Libraries are found by one class each, not by listing the class path: a listing opened
        // and read some 70 jars (icu4j's and nd4j's among them) on the way to each of these, 150 ms
        // of a cold kernel's start before the first cell could run.
        if (classExists("tech.tablesaw.api.Table")) {
            imports.add("import tech.tablesaw.api.*;");
        }
        if (classExists("org.knowm.xchart.XYChart")) {
            imports.add("import org.knowm.xchart.*;");
        }
        if (classExists("org.nd4j.linalg.factory.Nd4j") && classExists("org.nd4j.linalg.api.ndarray.INDArray")) {
            imports.add("import org.nd4j.linalg.factory.Nd4j;");
            imports.add("import org.nd4j.linalg.api.ndarray.INDArray;");
        }
        return imports;
    }

    /** True if the kernel's class loader finds the class (without initializing it). */
    static boolean classExists(String name) {
        try {
            Class.forName(name, false, DefaultImports.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** True if some classpath entry (folder or jar) holds a .class file directly in the package. */
    static boolean packageExists(String pkg) {
        String dir = pkg.replace('.', '/') + "/";
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Paths.get(entry);
            if (Files.isDirectory(p)) {
                Path d = p.resolve(dir);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> files = Files.list(d)) {
                        if (files.anyMatch(f -> f.getFileName().toString().endsWith(".class"))) {
                            return true;
                        }
                    } catch (IOException ignored) {
                        // unreadable folder: not a package we can import
                    }
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    boolean found = jar.stream().anyMatch(e -> e.getName().startsWith(dir)
                            && e.getName().endsWith(".class")
                            && e.getName().indexOf('/', dir.length()) < 0);
                    if (found) {
                        return true;
                    }
                } catch (IOException ignored) {
                    // not a readable jar
                }
            }
        }
        return false;
    }
}
