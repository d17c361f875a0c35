/**
 * Measurements of generated motion, as numbers and tables: how real it is, whether it loops,
 * whether the actor stays the same person.
 *
 * <ul>
 *   <li>{@link org.latentmotion.metrics.FrechetDistance} (float64, through two symmetric
 *       eigendecompositions); {@link org.latentmotion.metrics.LatentFrechet}: FID's and FVD's
 *       analogues in W+; {@link org.latentmotion.metrics.RenderedFrechet}: FID and FVD on rendered
 *       frames through any ONNX {@link org.latentmotion.metrics.FeatureExtractor}, with the
 *       references' resizing ({@link org.latentmotion.metrics.InputSpec}).</li>
 *   <li>{@link org.latentmotion.metrics.LoopingScore}: does a long sample repeat itself;
 *       {@link org.latentmotion.metrics.IdentityConsistency}: ACD over
 *       {@link org.latentmotion.metrics.IdentityFeatures}.</li>
 *   <li>In the default world, against known ground truth:
 *       {@link org.latentmotion.metrics.MotionComparison} (blinks, mouth rhythm, pose),
 *       {@link org.latentmotion.metrics.DifferenceSpectrum} (is the motion too fast, frame to frame),
 *       {@link org.latentmotion.metrics.TransferArtifacts} (what a transfer to a new actor breaks),
 *       {@link org.latentmotion.metrics.LearnsCheck} (train any motion model on the default world and
 *       hold its samples' motion statistics against the truth: the learns checks' one harness).</li>
 *   <li>{@link org.latentmotion.metrics.RealHalves}: two disjoint halves of the real data, whose
 *       distance is the noise floor every distance table shows as its first row.</li>
 *   <li>{@link org.latentmotion.metrics.Evaluation}: all of them at once, per model and seed, into
 *       an {@link org.latentmotion.metrics.EvaluationReport} (Table 1 of seed 002).</li>
 * </ul>
 *
 * <p>What this package may import: {@code wplus}, {@code pca}, {@code motion} (the
 * {@code MotionModel} it samples), {@code render} (the ONNX model under a feature extractor) and
 * {@code toy} (the face's ground truth), {@code progress}, plus ND4J, ONNX Runtime and Tablesaw. Not {@code display}:
 * results are values with data accessors and Tablesaw tables; how they show in a notebook (charts,
 * HTML, images) is in {@code display} ({@code MetricsRenderers}, {@code MetricCharts},
 * {@code ReportFiles}), and an evaluation's progress reaches the notebook's progress bar through
 * {@link org.latentmotion.progress.Progress}, which {@code display} watches.
 */
package org.latentmotion.metrics;
