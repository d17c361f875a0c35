/**
 * StyleFaceV-style motion in W+ (seed 004): appearance/pose decomposition, recomposition and an
 * LSTM pose sampler trained against 2-D and 3-D pose critics; see {@link org.latentmotion.motion.stylefacev.StyleFaceV}.
 */
package org.latentmotion.motion.stylefacev;
