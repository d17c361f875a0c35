/**
 * The ground floor: StyleGAN W+ codes and their files.
 *
 * <ul>
 *   <li>{@link org.latentmotion.wplus.Trajectory}: T frames × L layers × 512 float32 codes with a
 *       frame rate and a source; statistics per layer and per {@link org.latentmotion.wplus.LayerGroups layer group}.</li>
 *   <li>{@link org.latentmotion.wplus.TrajectorySet}: the clips of one subject, split by time, cut
 *       into training {@link org.latentmotion.wplus.Windows}.</li>
 *   <li>{@link org.latentmotion.wplus.FrameRenderer}: what anything that draws codes implements
 *       (a StyleGAN synthesizer, the toy face), so packages above can ask for pictures without
 *       knowing how they are made.</li>
 *   <li>{@link org.latentmotion.wplus.GroundTruthReader}: what the frames really show, read by an
 *       instrument that is not the model under test (the toy world's codec, your key-point reader).</li>
 *   <li>numpy-compatible files: {@link org.latentmotion.wplus.Npy}, {@link org.latentmotion.wplus.Npz},
 *       {@link org.latentmotion.wplus.NpyFile} (memory-mapped slices of files larger than the heap).</li>
 * </ul>
 *
 * <p>Imports nothing of the toolkit; ND4J for arrays, Tablesaw for tables built from data. Its
 * values know nothing of notebooks: {@code org.latentmotion.display} draws them (summary tables,
 * motion charts, key frames through {@code TrajectoryView}).
 */
package org.latentmotion.wplus;
