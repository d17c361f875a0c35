/**
 * Principal components of W+ codes: {@link org.latentmotion.pca.LatentPca} fits (exact or
 * randomized, seeded), projects, reconstructs, reports explained variance and saves to NPZ; the
 * basis the motion model and the offset trick work in.
 *
 * <p>Imports {@code wplus} only (and ND4J, Tablesaw). Its scree plot, plane charts and the
 * component explorer are drawn by {@code org.latentmotion.display} ({@code PcaCharts},
 * {@code PcaExplorer}).
 */
package org.latentmotion.pca;
