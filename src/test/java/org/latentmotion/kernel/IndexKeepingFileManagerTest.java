package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** javac's file manager with its class path index kept between tasks: still sees every class path change. */
class IndexKeepingFileManagerTest {
    @TempDir
    Path tmp;

    @Test
    void aClassPathSetAfterTheIndexWasBuiltIsListed() throws Exception {
        Path one = KernelProtocolTest.buildJar(tmp.resolve("one"), "lmidx.one.One", "package lmidx.one; public class One {}");
        Path two = KernelProtocolTest.buildJar(tmp.resolve("two"), "lmidx.two.Two", "package lmidx.two; public class Two {}");
        StandardJavaFileManager standard = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
        try (IndexKeepingFileManager files = new IndexKeepingFileManager(standard)) {
            assertTrue(files.handleOption("-classpath", List.of(one.toString()).iterator()));
            assertEquals(List.of("One"), classesIn(files, "lmidx.one"));
            files.flush(); // what javac does after every task: the index stays, the listing too
            assertEquals(List.of("One"), classesIn(files, "lmidx.one"));
            // JShell's addToClasspath: the whole path again, with a new jar
            assertTrue(files.handleOption("-classpath", List.of(one + java.io.File.pathSeparator + two).iterator()));
            assertEquals(List.of("Two"), classesIn(files, "lmidx.two"), "a jar added later must be listed");
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(two));
            assertEquals(List.of(), classesIn(files, "lmidx.one"), "a jar taken off the path must not be listed");
        }
    }

    @Test
    void anUnchangedMultiReleaseSettingIsConsumedAndAChangedOnePassedOn() throws Exception {
        StandardJavaFileManager standard = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
        try (IndexKeepingFileManager files = new IndexKeepingFileManager(standard)) {
            Iterator<String> first = List.of("17", "-next").iterator();
            assertTrue(files.handleOption("--multi-release", first));
            assertEquals("-next", first.next(), "exactly the value is consumed");
            Iterator<String> again = List.of("17").iterator();
            assertTrue(files.handleOption("--multi-release", again));
            assertTrue(!again.hasNext());
            assertTrue(files.handleOption("--multi-release", List.of("11").iterator()));
        }
    }

    private static List<String> classesIn(IndexKeepingFileManager files, String pkg) throws Exception {
        List<String> names = new ArrayList<>();
        for (JavaFileObject f : files.list(StandardLocation.CLASS_PATH, pkg, Set.of(JavaFileObject.Kind.CLASS), false)) {
            String n = files.inferBinaryName(StandardLocation.CLASS_PATH, f);
            names.add(n.substring(n.lastIndexOf('.') + 1));
        }
        return names;
    }
}
