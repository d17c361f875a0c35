/**
 * Motion models on W+ trajectories and the loop that trains them.
 *
 * <ul>
 *   <li>{@link org.latentmotion.motion.MotionModel}: what sampling, rendering, the offset trick and
 *       evaluation see of a trained model (a trajectory of any length, its layer count, width and fps);
 *       sample-only, so anything that makes trajectories (a replay, a looper) can be evaluated.</li>
 *   <li>{@link org.latentmotion.motion.TrainableMotionModel}: the training contract every trainable
 *       model implements, and all the trainer, checkpoints and charts know of a model: its
 *       {@link org.latentmotion.motion.MotionModelConfig} (batch, window length, epochs, seed, a paper
 *       reference), the real batches a step consumes, {@code prepare} (buffers fitted to the data), one
 *       {@code trainStep} that gets a {@link org.latentmotion.motion.TrainingStep} (the batches with
 *       their seeds, and a step seed) and returns a {@link org.latentmotion.motion.StepReport} of the
 *       {@link org.latentmotion.motion.Figure}s it declared (the history's columns and the live
 *       charts' curves; losses are watched for NaN and divergence), copy/restore, save and a
 *       {@link org.latentmotion.motion.ModelType} that loads it back, found by name in
 *       {@link org.latentmotion.motion.ModelTypes} (a {@link java.util.ServiceLoader} service, or
 *       registered in code).</li>
 *   <li>{@link org.latentmotion.motion.StyleVideoGan} (seed 002) with its configuration
 *       {@link org.latentmotion.motion.StyleVideoGanConfig} (presets {@code paper()}, {@code small()},
 *       {@code laptop()}); one training step is its critic steps (one real batch each) and a generator
 *       step; its parts are package-private classes named for what they are: the
 *       networks ({@code Generator}, {@code Critic}), the coordinates they work in
 *       ({@code Standardization}, {@code ChangeWhitening}), the losses ({@code AdversarialLosses},
 *       {@code GradientAnglePenalty}), the random draws ({@code StepDraws}, {@code StepNoise}) and
 *       sampling ({@code Sampling}).</li>
 *   <li>{@link org.latentmotion.motion.Trainer}: the step loop for any trainable model, with
 *       listeners, checkpoints ({@link org.latentmotion.motion.Checkpoint}, {@code TrainerState}; they
 *       record the model's type), exact resume, time and step budgets, interrupt at a step boundary and
 *       restore after a divergence; {@link org.latentmotion.motion.TrainingHistory} records what
 *       happened, one column per figure the model reports.</li>
 * </ul>
 *
 * <p>Imports {@code nn} (autodiff, layers, Adam, EMA), {@code pca} (the motion space),
 * {@code progress} (progress and live charts, shown by whoever watches) and {@code wplus}
 * (trajectories, windows, NPZ files); nothing above it. How a model or a history looks in a
 * notebook is the {@code display} layer's business.
 */
package org.latentmotion.motion;
