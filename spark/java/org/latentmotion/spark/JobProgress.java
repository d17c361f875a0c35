package org.latentmotion.spark;

import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.latentmotion.display.Displayable;
import org.latentmotion.display.MimeBundle;
import org.latentmotion.progress.Progress;

/**
 * How one job of this package is going, as Spark's scheduler on the driver reports it (a
 * {@link SparkListener}): tasks done of the total, task attempts that failed and were retried,
 * executors lost, elapsed time and throughput. While the job runs it moves the toolkit's
 * {@link Progress} bar (redrawn in place in a notebook, only counted elsewhere); afterwards it
 * shows itself as one line, and {@link SparkJobs#lastProgress()} returns it.
 *
 * <p>A task counts once, when its partition first succeeds: a retried or speculative attempt
 * does not count twice, and a failed one counts as a failure. Only the stages of this job (its
 * Spark job group) count, so jobs other threads run on the same context do not move it.
 */
public final class JobProgress extends SparkListener implements Displayable {
    private final String label;
    private final String group;
    private final int total;
    private final String unit;
    private final Progress bar;
    private final long startNanos = System.nanoTime();
    private final Set<Integer> jobIds = new HashSet<>();
    private final Set<Integer> jobsEnded = new HashSet<>();
    private final Set<Integer> stageIds = new HashSet<>();
    private final Set<Long> partitionsDone = new HashSet<>();
    private int failedAttempts;
    private int executorsLost;
    private int executorsAdded;
    private long endNanos;
    private long units = -1;
    private String error;

    JobProgress(String label, String group, int total, String unit, boolean show) {
        this.label = label;
        this.group = group;
        this.total = total;
        this.unit = unit;
        this.bar = show ? Progress.start(label, total) : null;
    }

    /** Starts listening to {@code context}'s scheduler. */
    void attach(org.apache.spark.api.java.JavaSparkContext context) {
        context.sc().addSparkListener(this);
    }

    /** Stops listening to {@code context}'s scheduler. */
    void detach(org.apache.spark.api.java.JavaSparkContext context) {
        context.sc().removeSparkListener(this);
    }

    /** What the job does, e.g. "render 12 files". */
    public String label() {
        return label;
    }

    /** Tasks (partitions) the job runs. */
    public int total() {
        return total;
    }

    /** Tasks done so far (each partition counted once, at its first success). */
    public synchronized int done() {
        return partitionsDone.size();
    }

    /** Task attempts that failed (and that Spark retried, up to its limit). */
    public synchronized int failedAttempts() {
        return failedAttempts;
    }

    /** Executors the context lost while the job ran (a killed JVM, a lost machine). */
    public synchronized int executorsLost() {
        return executorsLost;
    }

    /** Executors that joined while the job ran (a replacement for a lost one, or dynamic allocation). */
    public synchronized int executorsAdded() {
        return executorsAdded;
    }

    /** Seconds since the job started, or its whole duration once it ended. */
    public synchronized double seconds() {
        return ((endNanos > 0 ? endNanos : System.nanoTime()) - startNanos) / 1e9;
    }

    /** Tasks done per second so far. */
    public synchronized double tasksPerSecond() {
        double s = seconds();
        return s <= 0 ? 0 : done() / s;
    }

    /**
     * Items the job produced per second (frames rendered or encoded, clips evaluated), NaN until
     * the job has ended and counted them.
     */
    public synchronized double unitsPerSecond() {
        double s = seconds();
        return units < 0 || s <= 0 ? Double.NaN : units / s;
    }

    /** Items the job produced (frames, clips, runs: see {@link #line}), or −1 until it has ended and counted them. */
    public synchronized long units() {
        return units;
    }

    /** True once the job has ended, successfully or not. */
    public synchronized boolean ended() {
        return endNanos > 0;
    }

    /** Why the job failed, or null if it did not (or has not ended). */
    public synchronized String error() {
        return error;
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        Properties p = e.properties();
        if (p == null || !group.equals(p.getProperty("spark.jobGroup.id"))) {
            return;
        }
        synchronized (this) {
            jobIds.add(e.jobId());
            for (StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(e.stageInfos())) {
                stageIds.add(s.stageId());
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        int done;
        synchronized (this) {
            if (!stageIds.contains(e.stageId())) {
                return;
            }
            if (e.taskInfo().successful()) {
                partitionsDone.add(((long) e.stageId() << 32) | e.taskInfo().index());
            } else {
                failedAttempts++;
            }
            done = partitionsDone.size();
        }
        if (bar != null) {
            bar.step(Math.min(done, total));
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        synchronized (this) {
            if (endNanos == 0) {
                executorsLost++;
            }
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded e) {
        synchronized (this) {
            if (endNanos == 0) {
                executorsAdded++;
            }
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        synchronized (this) {
            if (jobIds.contains(e.jobId())) {
                jobsEnded.add(e.jobId());
                notifyAll();
            }
        }
    }

    /**
     * Waits (at most {@code millis}) until the listener has seen the job end: Spark delivers
     * listener events on its own thread, a little after the job's result or failure, and a
     * job's task events come before its end.
     */
    synchronized void awaitJobEnd(long millis) {
        long end = System.currentTimeMillis() + millis;
        while ((jobIds.isEmpty() || !jobsEnded.containsAll(jobIds)) && System.currentTimeMillis() < end) {
            try {
                wait(Math.max(1, Math.min(50, end - System.currentTimeMillis())));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Marks the job ended, with {@code producedUnits} items made (−1: not counted) or the error that ended it. */
    void end(long producedUnits, String failure) {
        synchronized (this) {
            endNanos = System.nanoTime();
            units = producedUnits;
            error = failure;
        }
        if (bar != null) {
            bar.step(Math.min(done(), total));
            bar.finish();
        }
    }

    /** Records that the job failed after its tasks ended (e.g. some inputs were bad), for {@link #line}. */
    synchronized void fail(String failure) {
        error = failure;
    }

    /**
     * A rate per second, or per minute or hour when it is slow (a sweep of training tasks reads "1.8 runs/min",
     * not "0.0 runs/s").
     */
    static String rate(double perSecond, String unit) {
        if (!(perSecond < 0.1) || perSecond <= 0) {
            return String.format(Locale.ROOT, "%.2f %s/s", perSecond, unit);
        }
        if (perSecond * 60 >= 0.1) {
            return String.format(Locale.ROOT, "%.2f %s/min", perSecond * 60, unit);
        }
        return String.format(Locale.ROOT, "%.2f %s/h", perSecond * 3600, unit);
    }

    /** One line: what, tasks done of the total, time, throughput, and any retries, lost executors or error. */
    public synchronized String line() {
        StringBuilder sb = new StringBuilder(label).append(": ");
        sb.append(done()).append('/').append(total).append(" tasks");
        sb.append(String.format(Locale.ROOT, ", %.1f s, %s", seconds(), rate(tasksPerSecond(), "tasks")));
        if (units >= 0) {
            sb.append(String.format(Locale.ROOT, ", %d %s (%s)", units, unit, rate(unitsPerSecond(), unit)));
        }
        if (failedAttempts > 0) {
            sb.append(", ").append(failedAttempts).append(" failed attempt").append(failedAttempts == 1 ? "" : "s")
                    .append(" retried");
        }
        if (executorsLost > 0) {
            sb.append(", ").append(executorsLost).append(" executor").append(executorsLost == 1 ? "" : "s").append(" lost");
        }
        if (error != null) {
            sb.append(" — failed: ").append(error);
        } else if (!ended()) {
            sb.append(" (running)");
        }
        return sb.toString();
    }

    @Override
    public void renderTo(MimeBundle bundle) {
        bundle.text(line());
        if (bundle.wants(MimeBundle.HTML)) {
            double fraction = total <= 0 ? 0 : Math.min(1.0, done() / (double) total);
            String colour = error() != null ? "#c0392b" : "#2e86c1";
            bundle.html("<div style=\"font-family:monospace\"><span style=\"display:inline-block;width:12em;height:0.8em;"
                    + "border:1px solid #999;vertical-align:middle\"><span style=\"display:block;height:100%;width:"
                    + String.format(Locale.ROOT, "%.1f", 100 * fraction) + "%;background:" + colour + "\"></span></span> "
                    + escape(line()) + "</div>");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return line();
    }
}
