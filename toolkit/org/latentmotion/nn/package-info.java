/**
 * Exact reverse-mode autodiff on ND4J arrays that can differentiate its own gradients, and the
 * layers, optimizer and weight averaging StyleVideoGAN needs.
 *
 * <ul>
 *   <li>{@link org.latentmotion.nn.Var}: a value on the tape; {@link org.latentmotion.nn.Ops}: the
 *       ops (matmul with transpose flags, elementwise and broadcast arithmetic, reductions,
 *       slice/concat/reshape/permute, LeakyReLU, sigmoid, tanh, sqrt, reciprocal, atan, square,
 *       relu), each with a backward rule written in ops;
 *       {@link org.latentmotion.nn.Autograd#grad(Var, java.util.List, boolean)} with
 *       {@code createGraph = true} returns gradients that are themselves differentiable (double
 *       backprop, for WGAN-GP and the gradient angle penalty; SameDiff cannot do this).</li>
 *   <li>{@link org.latentmotion.nn.Scope}: closes the native memory of a step's temporaries.</li>
 *   <li>A GRU stack over a whole window in plain Java, where ND4J's fixed cost per op would
 *       dominate at small batch: {@link org.latentmotion.nn.GruStackUnroll} (off the tape for
 *       sampling, and as one tape node with first- and second-order rules for training:
 *       {@link org.latentmotion.nn.GruStackUnroll#lastCellStatesRecorded}).</li>
 *   <li>Layers: {@link org.latentmotion.nn.Linear}, {@link org.latentmotion.nn.GruCell} (fused
 *       gates), {@link org.latentmotion.nn.BatchNorm}, {@link org.latentmotion.nn.Layers#pixelNorm},
 *       {@link org.latentmotion.nn.Conv1d}; parameters live in a named
 *       {@link org.latentmotion.nn.ParameterSet}; {@link org.latentmotion.nn.Adam},
 *       {@link org.latentmotion.nn.Ema}.</li>
 * </ul>
 * The data type follows the arrays: float32 for training, float64 for gradient checks (every op
 * and layer is checked against central finite differences, first and second order).
 *
 * <p>Backend: ND4J's CPU backend by default; {@code mvn -Pcuda} swaps in nd4j-cuda (pom.xml's
 * {@code cuda} profile) with no code change, since nothing here is backend-specific.
 */
package org.latentmotion.nn;
