/**
 * The default world, where everything is small and the truth is known.
 *
 * <ul>
 *   <li>{@link org.latentmotion.toy.FaceCodec}: between W+ codes and the named face parameters
 *       (pose, mouth, eyes, colours, light) the shipped toy face model draws — exactly what the
 *       model reads, so it is the world's {@link org.latentmotion.wplus.GroundTruthReader}. (The model
 *       itself, which draws pictures, is {@code render.Synthesizers.toyFace()}.)</li>
 *   <li>{@link org.latentmotion.toy.ToyWorld}: actors and {@link org.latentmotion.toy.TalkingHead}
 *       trajectories of one actor talking, with the ground-truth
 *       {@link org.latentmotion.toy.FaceParameters} of every frame.</li>
 *   <li>{@link org.latentmotion.toy.MotionStatistics}: blinks, mouth rhythm, head-pose variance and
 *       speed, in the units a person would check.</li>
 * </ul>
 *
 * <p>Imports {@code wplus} only (and ND4J, Tablesaw, Gson for the model's spec). Nothing in the
 * pipeline tests for the toy: metrics reach its truth through {@code GroundTruthReader}. Charts of
 * its parameters are drawn by {@code org.latentmotion.display.FaceCharts}.
 */
package org.latentmotion.toy;
