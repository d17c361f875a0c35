/**
 * The Jupyter kernel: Java cells evaluated by JShell inside the kernel's JVM, on
 * io.github.spencerpark:jupyter-jvm-basekernel, with IJava's display API and magics.
 *
 * <ul>
 *   <li>{@link org.latentmotion.kernel.LatentMotionKernel}: the Jupyter side (messages, the one
 *       cell thread, interrupt → stop → restart escalation, output capture and its cap).</li>
 *   <li>{@link org.latentmotion.kernel.CellEngine}: runs a cell, snippet by snippet, keeping the
 *       last value; {@link org.latentmotion.kernel.CellMagics}: {@code %classpath},
 *       {@code %jars}, {@code %maven}, {@code %load}; {@link org.latentmotion.kernel.CellTracebacks}:
 *       compile errors and exceptions as tracebacks that name cell lines and columns, located by
 *       offset into the cell ({@link org.latentmotion.kernel.CellSource});
 *       {@link org.latentmotion.kernel.CellAnalysis}: completion (with each candidate's kind and
 *       signature), {@link org.latentmotion.kernel.Completeness}, and
 *       {@link org.latentmotion.kernel.CellDocumentation}: signatures and javadoc at the cursor,
 *       read from sources ({@link org.latentmotion.kernel.SourcePath}: the toolkit's, sources jars,
 *       the JDK's src.zip; {@link org.latentmotion.kernel.SourceDocs},
 *       {@link org.latentmotion.kernel.Signatures}, {@link org.latentmotion.kernel.JavadocText}).</li>
 *   <li>JShell's execution side in this JVM: {@link org.latentmotion.kernel.CellExecutionControl},
 *       {@link org.latentmotion.kernel.CellLoaderDelegate}, {@link org.latentmotion.kernel.CellClassLoader}
 *       (cells see the kernel's toolkit classes, so the kernel's display sink is the cells').</li>
 *   <li>Around a cell: {@link org.latentmotion.kernel.CellOutput} (per-cell stdout/stderr with a
 *       cap), {@link org.latentmotion.kernel.KernelDisplaySink} (the {@code display} layer's
 *       bundles as Jupyter display data), {@link org.latentmotion.kernel.NativeGarbage},
 *       {@link org.latentmotion.kernel.OverwrittenVariables}, {@link org.latentmotion.kernel.ExitGuard},
 *       {@link org.latentmotion.kernel.DefaultImports}, {@link org.latentmotion.kernel.MavenResolver}.</li>
 * </ul>
 *
 * <p>Imports: it is the top of the toolkit, so it may import every package below it (today it
 * uses {@code display} and {@code nn}'s {@code StopGuard}); nothing in the toolkit imports it. It
 * is the only package that knows Jupyter: {@code display} renders to its own
 * {@code MimeBundle}/{@code DisplaySink}, which this package turns into Jupyter messages.
 */
package org.latentmotion.kernel;
