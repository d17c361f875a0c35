package org.latentmotion.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Where the kernel finds Java source files, for the javadoc that Shift-Tab shows. In order:
 * <ol>
 *   <li>folders, jars and zips named by {@code -Dlatentmotion.kernel.sourcepath} (path-separated);</li>
 *   <li>the toolkit's own sources, {@code <latentmotion.root>/toolkit} (both kernelspecs set
 *       {@code latentmotion.root});</li>
 *   <li>the JDK's {@code lib/src.zip}, when the JDK has one (Debian's needs {@code openjdk-17-source});</li>
 *   <li>for a class loaded from a jar, that jar's {@code -sources.jar}: beside it, or in the local
 *       Maven repository under the coordinates in the jar's {@code pom.properties}.</li>
 * </ol>
 * Zips are opened once and stay open while the kernel runs.
 */
final class SourcePath {
    /** The system property that names extra source folders and jars. */
    static final String PROPERTY = "latentmotion.kernel.sourcepath";

    private final List<Path> roots;
    private final boolean jdkSources;
    private final ClassLoader classes;
    private final Map<String, Optional<Path>> jarSourceRoots = new ConcurrentHashMap<>();

    private SourcePath(List<Path> roots, boolean jdkSources, ClassLoader classes) {
        this.roots = roots;
        this.jdkSources = jdkSources;
        this.classes = classes;
    }

    /** The kernel's source path: system properties and the running JDK decide it; {@code classes} finds jars. */
    static SourcePath forKernel(ClassLoader classes) {
        List<Path> roots = new ArrayList<>();
        for (String entry : System.getProperty(PROPERTY, "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addRoot(roots, Paths.get(entry.strip()));
            }
        }
        String root = System.getProperty("latentmotion.root");
        if (root != null && !root.isBlank()) {
            addRoot(roots, Paths.get(root, "toolkit"));
        }
        int before = roots.size();
        Path home = Paths.get(System.getProperty("java.home"));
        Path srcZip = home.resolve("lib").resolve("src.zip");
        addRoot(roots, Files.isReadable(srcZip) ? srcZip : home.getParent().resolve("src.zip"));
        return new SourcePath(List.copyOf(roots), roots.size() > before, classes);
    }

    /** A source path of exactly these folders, jars and zips (for tests and tools). */
    static SourcePath of(ClassLoader classes, Path... entries) {
        List<Path> roots = new ArrayList<>();
        for (Path p : entries) {
            addRoot(roots, p);
        }
        return new SourcePath(List.copyOf(roots), false, classes);
    }

    /** True if the JDK's own sources were found (javadoc for java.* classes). */
    boolean hasJdkSources() {
        return jdkSources;
    }

    /**
     * Adds a folder, or a jar/zip's root; a modular zip (the JDK's src.zip: {@code java.base/java/...})
     * adds one root per module. Entries that do not exist are skipped: the path is a convenience.
     */
    private static void addRoot(List<Path> roots, Path p) {
        if (Files.isDirectory(p)) {
            roots.add(p.toAbsolutePath());
            return;
        }
        if (!Files.isReadable(p)) {
            return;
        }
        try {
            FileSystem zip = FileSystems.newFileSystem(p, (ClassLoader) null);
            Path top = zip.getRootDirectories().iterator().next();
            if (Files.exists(top.resolve("java.base/java/lang/Object.java"))) {
                try (DirectoryStream<Path> modules = Files.newDirectoryStream(top)) {
                    modules.forEach(m -> {
                        if (Files.isDirectory(m)) {
                            roots.add(m);
                        }
                    });
                }
            } else {
                roots.add(top);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("latentmotion kernel: cannot read sources from " + p + ": " + e);
        }
    }

    /**
     * The source text of a top-level class ({@code a.b.C}, binary name of a top-level type), or
     * empty if no root and no sources jar of the class's own jar has it.
     */
    Optional<Source> find(String topLevelClass) {
        String relative = topLevelClass.replace('.', '/') + ".java";
        for (Path root : roots) {
            Optional<Source> s = read(root, relative);
            if (s.isPresent()) {
                return s;
            }
        }
        return jarSourcesOf(topLevelClass).flatMap(root -> read(root, relative));
    }

    /** A source file's text and where it was found (shown with the declaration). */
    record Source(String text, String location) {
    }

    private static Optional<Source> read(Path root, String relative) {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String where = root.getFileSystem() == FileSystems.getDefault() ? file.toString() : file.toUri().toString();
            return Optional.of(new Source(Files.readString(file, StandardCharsets.UTF_8), where));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code className} is loaded from the JDK's runtime image (not from a jar or folder). */
    boolean isJdkClass(String className) {
        URL url = classes.getResource(className.replace('.', '/') + ".class");
        return url != null && "jrt".equals(url.getProtocol());
    }

    /** The root of the sources jar belonging to the jar that {@code className} is loaded from. */
    private Optional<Path> jarSourcesOf(String className) {
        URL url = classes.getResource(className.replace('.', '/') + ".class");
        if (url == null || !"jar".equals(url.getProtocol())) {
            return Optional.empty();
        }
        Path jar;
        try {
            jar = Paths.get(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (IOException | URISyntaxException | ClassCastException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return jarSourceRoots.computeIfAbsent(jar.toString(), k -> {
            List<Path> found = new ArrayList<>();
            Path sources = sourcesJarOf(jar);
            if (sources != null) {
                addRoot(found, sources);
            }
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** {@code x-1.0-sources.jar} beside {@code x-1.0.jar}, else in the local Maven repository, else null. */
    static Path sourcesJarOf(Path jar) {
        String name = jar.getFileName().toString();
        if (!name.endsWith(".jar")) {
            return null;
        }
        Path beside = jar.resolveSibling(name.substring(0, name.length() - 4) + "-sources.jar");
        if (Files.isReadable(beside)) {
            return beside;
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry pom = j.stream().filter(e -> e.getName().startsWith("META-INF/maven/")
                    && e.getName().endsWith("/pom.properties")).findFirst().orElse(null);
            if (pom == null) {
                return null;
            }
            Properties p = new Properties();
            try (InputStream in = j.getInputStream(pom)) {
                p.load(in);
            }
            String g = p.getProperty("groupId");
            String a = p.getProperty("artifactId");
            String v = p.getProperty("version");
            if (g == null || a == null || v == null) {
                return null;
            }
            String repo = System.getProperty("maven.repo.local",
                    Paths.get(System.getProperty("user.home"), ".m2", "repository").toString());
            Path inRepo = Paths.get(repo, g.replace('.', '/'), a, v, a + "-" + v + "-sources.jar");
            return Files.isReadable(inRepo) ? inRepo : null;
        } catch (IOException e) {
            return null;
        }
    }
}
