/**
 * MoCoGAN-HD on W+ codes (Tian et al., ICLR 2021): a content code and an LSTM that adds motion
 * residuals along the training frames' principal directions, judged by a temporal PatchGAN
 * critic with the relativistic average LSGAN. {@link org.latentmotion.motion.mocogan.MoCoGanHd} is
 * the model (a {@link org.latentmotion.motion.MotionModel}),
 * {@link org.latentmotion.motion.mocogan.MoCoGanHdConfig} its settings with the paper's and a CPU
 * preset; the networks and losses are package-private parts of it.
 */
package org.latentmotion.motion.mocogan;
