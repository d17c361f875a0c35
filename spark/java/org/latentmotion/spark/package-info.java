/**
 * Jobs on Apache Spark for what outgrows one machine: encoding (frame folders and video files to
 * W+ NPY trajectories), evaluating (Fréchet distances from feature sums reduced on the driver),
 * rendering (NPY trajectories to MP4 files) and training many models (presets × seeds) over many
 * files. Start them from {@link org.latentmotion.spark.SparkJobs}; each job moves a progress bar
 * fed by Spark's scheduler ({@link org.latentmotion.spark.JobProgress}), and an input a task cannot
 * use fails the job with a {@link org.latentmotion.spark.BadInputException} naming the file (encode
 * and render write every good input's output first).
 *
 * <p>Kept off the default kernel's class path: a notebook adds it with one {@code %jars} line
 * (see {@code spark/README.md}). The jobs take data and settings, never user lambdas: classes a
 * JShell snippet defines do not ship to remote executors, so every function a job runs is a
 * named class of this package. Files go through Hadoop paths ({@code file://} on one machine,
 * any Spark-readable store on a cluster) and every output is written under a temporary name and
 * renamed into place, so a retried task — or one whose executor was killed — leaves one complete
 * file per item.
 */
package org.latentmotion.spark;
