/**
 * Motion models on W+ trajectories and the loop that trains them.
 *
 * <ul>
 *   <li>{@link org.latentmotion.motion.MotionModel}: what sampling, rendering, the offset trick and
 *       evaluation see of a trained model (a trajectory of any length, its layer count, width and fps).</li>
 *   <li>{@link org.latentmotion.motion.StyleVideoGan} (seed 002) with its configuration
 *       {@link org.latentmotion.motion.StyleVideoGanConfig} (presets {@code paper()}, {@code small()},
 *       {@code laptop()}); its parts are package-private classes named for what they are: the
 *       networks ({@code Generator}, {@code Critic}), the coordinates they work in
 *       ({@code Standardization}, {@code ChangeWhitening}), the losses ({@code AdversarialLosses},
 *       {@code GradientAnglePenalty}), the random draws ({@code StepDraws}, {@code StepNoise}) and
 *       sampling ({@code Sampling}).</li>
 *   <li>{@link org.latentmotion.motion.Trainer}: the step loop with listeners, checkpoints
 *       ({@code Checkpoint}, {@code TrainerState}), exact resume, time and step budgets, interrupt at
 *       a step boundary and restore after a divergence; {@link org.latentmotion.motion.TrainingHistory}
 *       records what happened.</li>
 * </ul>
 *
 * <p>Imports {@code nn} (autodiff, layers, Adam, EMA), {@code pca} (the motion space) and
 * {@code wplus} (trajectories, windows, NPZ files); nothing above it. How a model or a history
 * looks in a notebook is the {@code display} layer's business.
 */
package org.latentmotion.motion;
