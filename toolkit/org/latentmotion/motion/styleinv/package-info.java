/**
 * StyleInV (seed 003): non-autoregressive W+ motion from the first frame's code and a temporal style
 * (a motion code and an acyclic positional encoding of time) that modulates an inversion encoder.
 */
package org.latentmotion.motion.styleinv;
