package org.latentmotion.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentmotion.motion.StyleVideoGan;
import org.latentmotion.motion.StyleVideoGanConfig;
import org.latentmotion.wplus.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * {@link TrainManyJob} on {@code local[2]}: presets × seeds train as tasks, each leaves one
 * trained model and one metrics row, a rerun into the same folder replaces them (no second
 * copy), and the same seeds give the same training figures.
 */
class TrainManyJobTest {
    private static SparkJobs jobs;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        jobs = SparkJobs.on(new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("TrainManyJobTest")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")));
    }

    @AfterAll
    static void stop() {
        if (jobs != null) {
            jobs.context().stop();
        }
    }

    /** Small enough to train in a blink, every part of the architecture present (as StyleVideoGanTest's). */
    private static StyleVideoGanConfig tiny(double learningRate) {
        return StyleVideoGanConfig.small().toBuilder().batch(4).windowLength(6).layers(3).width(8).latentDim(4)
                .hallucinatorWidth(6).mapperWidth(8).criticWidth(8).criticFeatures(4).criticChannels(3)
                .learningRate(learningRate).build();
    }

    /** Three clips [40, 3, 8] of smooth motion around a mean. */
    private static List<String> data() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("data"));
        Random r = new Random(3);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            INDArray x = Nd4j.create(DataType.FLOAT, 40, 3, 8);
            double phase = r.nextDouble() * 6;
            for (int t = 0; t < 40; t++) {
                for (int l = 0; l < 3; l++) {
                    for (int d = 0; d < 8; d++) {
                        x.putScalar(new int[] {t, l, d}, 0.5 * d + (l + 1) * Math.sin(phase + 0.3 * t + d)
                                + 0.01 * r.nextGaussian());
                    }
                }
            }
            Path p = folder.resolve("clip-" + i + ".npy");
            Npy.write(p, x);
            files.add(p.toUri().toString());
        }
        return files;
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aSweepTrainsEveryPresetOncePerSeedAndARerunReplacesItsOwnFiles() throws IOException {
        List<String> files = data();
        Map<String, StyleVideoGan> presets = new LinkedHashMap<>();
        presets.put("slow", StyleVideoGan.create(tiny(1e-4)));
        presets.put("fast", StyleVideoGan.create(tiny(1e-3)));
        Path out = dir.resolve("sweep");
        Table t = jobs.trainMany(presets).on(files).seeds(0, 1).maxSteps(3).into(out.toUri().toString());
        assertEquals(4, t.rowCount(), t.print());
        assertEquals(List.of("fast", "fast", "slow", "slow"), t.stringColumn("preset").asList());
        assertEquals(List.of(0L, 1L, 0L, 1L), t.longColumn("seed").asList());
        List<String> expected = List.of("fast-seed0.csv", "fast-seed0.model", "fast-seed1.csv", "fast-seed1.model",
                "presets", "slow-seed0.csv", "slow-seed0.model", "slow-seed1.csv", "slow-seed1.model");
        assertEquals(expected, listing(out));
        for (String name : List.of("fast-seed0", "fast-seed1", "slow-seed0", "slow-seed1")) {
            StyleVideoGan trained = StyleVideoGan.load(out.resolve(name + ".model"));
            assertEquals(3, trained.generatorSteps(), name + ": one generator step per trainer step");
            List<String> csv = Files.readAllLines(out.resolve(name + ".csv"));
            assertEquals(2, csv.size(), "a header and one row: " + csv);
            assertTrue(csv.get(1).startsWith(name.replace("-seed", ",") + ","), csv.get(1));
        }
        assertEquals(3L, t.longColumn("steps").get(0));

        // again into the same folder: the same files (no second row or model per run), the same figures
        Table again = jobs.trainMany(presets).on(files).seeds(0, 1).maxSteps(3).into(out.toUri().toString());
        assertEquals(expected, listing(out));
        String figure = t.columnNames().get(6); // the first training figure
        for (int i = 0; i < 4; i++) {
            assertEquals(t.doubleColumn(figure).get(i), again.doubleColumn(figure).get(i), 0.0,
                    figure + " of run " + i + " with the same preset and seed");
        }
    }

    @Test
    void badSettingsAreRefusedBeforeAnyTaskRuns() {
        Map<String, StyleVideoGan> presets = Map.of("a/b", StyleVideoGan.create(tiny(1e-3)));
        var e = assertThrows(IllegalArgumentException.class, () -> jobs.trainMany(presets));
        assertTrue(e.getMessage().contains("a/b"), e.getMessage());
        var noData = assertThrows(IllegalStateException.class,
                () -> jobs.trainMany(Map.of("x", StyleVideoGan.create(tiny(1e-3)))).into(dir.toUri().toString()));
        assertTrue(noData.getMessage().contains(".on("), noData.getMessage());
        var twice = assertThrows(IllegalArgumentException.class,
                () -> jobs.trainMany(Map.of("x", StyleVideoGan.create(tiny(1e-3)))).seeds(1, 1));
        assertTrue(twice.getMessage().contains("seed 1"), twice.getMessage());
    }
}
