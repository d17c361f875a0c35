/**
 * StyleGAN-V (Skorokhodov, Tulyakov, Elhoseiny; CVPR 2022) on W+ codes: continuous-time motion
 * from motion codes at sparse times and learned positional embeddings, trained on 2–3 frames per
 * clip against a critic conditioned on their time gaps. Start at {@link org.latentmotion.motion.styleganv.StyleGanV}.
 */
package org.latentmotion.motion.styleganv;
