/**
 * The offset trick of StyleVideoGAN (seed 002, Sec. 3): a motion generated for the training actor
 * moved to a new actor through the PCA basis of the training frames, so that it changes who moves
 * and not how.
 *
 * <ul>
 *   <li>{@link org.latentmotion.transfer.OffsetTrick}: the transfer, its naive counterpart, and the
 *       state coordinates both are judged by.</li>
 *   <li>{@link org.latentmotion.transfer.TransferComparison}: one motion moved both ways, with a
 *       table of how far each leaves the training actor's states.</li>
 * </ul>
 *
 * <p>What this package may import: {@code wplus} (trajectories, the frame renderer interface) and
 * {@code pca} (the basis), plus ND4J and Tablesaw. Not {@code display}: a notebook shows these
 * values through {@code display}'s {@code TransferRenderers}, and frames of a comparison are drawn
 * by {@code display.TransferStrips}.
 */
package org.latentmotion.transfer;
