/**
 * How every value of the toolkit shows itself in a notebook, on top beside {@code kernel}: it
 * imports every package below and none of them imports it.
 *
 * <ul>
 *   <li>The registry: {@link org.latentmotion.display.Renderers} turns any value into a
 *       {@link org.latentmotion.display.MimeBundle}; third-party types (images, Tablesaw tables,
 *       XChart charts) and the toolkit's values are registered by type, one package-private
 *       registration class per package below ({@code WplusRenderers}, {@code PcaRenderers},
 *       {@code MotionRenderers}, {@code ToyRenderers}, {@code VideoRenderers}), called from
 *       {@code StandardRenderers.registerAll()}.</li>
 *   <li>Charts and views users ask for by name, named for what they draw:
 *       {@link org.latentmotion.display.TrajectoryCharts}, {@link org.latentmotion.display.TrajectoryView},
 *       {@link org.latentmotion.display.PcaCharts}, {@link org.latentmotion.display.PcaExplorer},
 *       {@link org.latentmotion.display.TrainingCharts}, {@link org.latentmotion.display.FaceCharts},
 *       {@link org.latentmotion.display.VideoPlayer}, {@link org.latentmotion.display.ImageGrid}.
 *       Methods returning XChart charts are named for what they plot; those returning pictures
 *       end in {@code Image}.</li>
 *   <li>Tables as pandas shows them ({@link org.latentmotion.display.Tables}: 6 significant
 *       digits, the values untouched) and files in one call: {@link org.latentmotion.display.VideoFiles},
 *       {@link org.latentmotion.display.ImageFiles}, {@link org.latentmotion.display.ReportFiles}.</li>
 *   <li>Live output: {@link org.latentmotion.display.ProgressBar} and
 *       {@link org.latentmotion.display.LivePlot}, redrawn in place; code below reaches them through
 *       {@code org.latentmotion.progress} ({@link org.latentmotion.display.NotebookWatcher} is the
 *       watcher it finds).</li>
 * </ul>
 *
 * <p>It knows nothing of Jupyter: the kernel installs a {@link org.latentmotion.display.DisplaySink}
 * ({@link org.latentmotion.display.Notebook#install}); without one, displays are discarded.
 */
package org.latentmotion.display;
