/**
 * StyleGAN on ONNX Runtime: W+ codes → pictures, z → W codes, pictures → W+ codes, and the key
 * points of pictures.
 *
 * <ul>
 *   <li>{@link org.latentmotion.render.Synthesizer}: a synthesis network, W+ [N, L, 512] →
 *       RGB [N, 3, H, W]; renders frames, streams, inline videos.</li>
 *   <li>{@link org.latentmotion.render.Mapping}: the generator's mapping network, z → w and
 *       w_avg, found by {@link org.latentmotion.render.Synthesizer#mapping()} next to the model;
 *       its {@link org.latentmotion.render.WCodes} broadcast to the synthesizer's own L layers,
 *       mix styles and make loops.</li>
 *   <li>{@link org.latentmotion.render.Encoder}: a pSp-style encoder, RGB [N, 3, S, S] → W+
 *       [N, L, 512], so a user's own frames become a trajectory.</li>
 *   <li>{@link org.latentmotion.render.KeypointModel}: a key-point detector, RGB [N, 3, H, W] →
 *       points [N, K, 2]; {@code on(synthesizer)} makes it the {@code wplus.KeypointReader} that
 *       supervises a StyleFaceV-style pose extractor. {@link org.latentmotion.render.KeypointModels}
 *       ships the toy face's.</li>
 *   <li>{@link org.latentmotion.render.OnnxOptions}: device, threads, batch (automatic by
 *       image size), and the pixel range when a model does not state it.</li>
 * </ul>
 *
 * <p>What is read from a model: the shapes of its inputs and outputs (names are free), and the
 * ONNX metadata {@code latentmotion.range} ("-1,1", "0,1" or "0,255"; anything else is refused
 * naming the model and the key); a mapping network's {@code latentmotion.num_ws} and
 * {@code latentmotion.kind}; a key-point model's {@code latentmotion.keypoints} (the point names). The JSON files exporters write beside a model are not read. Models
 * are opened by path, so ONNX Runtime reads them (external data, files over 2 GB), and every model
 * is checked before anything runs, with errors that say what was expected and what was found.
 * The exporters that write these models, and the contract they share with this package, are in
 * datasets/models/ (stylegan2, stylegan3, psp, toyface).
 *
 * <p>"Render" here means one thing: drawing frames from W+ codes. What this package may import:
 * {@code wplus} (trajectories, the {@code FrameRenderer} interface a synthesizer implements) and
 * {@code video} ({@link org.latentmotion.render.Synthesizer#render} returns a {@code Video}; video
 * itself imports only wplus), plus ONNX Runtime, ND4J and Tablesaw. Not {@code display}: the models'
 * interface tables are Tablesaw tables ({@code interfaceTable()}), and how a model shows in a
 * notebook is {@code display}'s {@code SynthesisRenderers}.
 */
package org.latentmotion.render;
