package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import tsad.core.data.DataException;

/** What every tsad job does alike: local-runner settings, a fresh output directory, running to the end. */
final class MrDefaults {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MrDefaults.class);
  private MrDefaults() {}

  static void apply(Configuration conf) {
    // Without this every job waits 5 s for its completion poll, even a 1 s local one.
    if (unset(conf, "mapreduce.client.completion.pollinterval")) {
      conf.setInt("mapreduce.client.completion.pollinterval", 100);
    }
    // Hadoop's default 4 KB stream buffer costs a system call per 4 KB written: a per-window score job (a
    // ~200-byte line per window) measured faster with 128 KB, a size clusters commonly configure.
    if (unset(conf, "io.file.buffer.size")) {
      conf.setInt("io.file.buffer.size", 128 * 1024);
    }
    nativeThreadsEnv(conf);
    if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
      shareLocalHeap(conf);
      inProcessLocalFiles(conf);
      perUserStaging(conf);
    } else if (unset(conf, "yarn.resourcemanager.connect.max-wait.ms")
        && !conf.getBoolean("yarn.resourcemanager.ha.enabled", false)) {
      // A resource manager that does not answer: Hadoop's client keeps trying for 15 minutes by default. Each try
      // is itself ~10 connection attempts a second apart; two more tries 10 s apart make about a minute in all,
      // after which the command says why it failed (Main.environmentError). Not with RM HA: there the wait also
      // sets how many failovers the client tries, and a failover in progress must be waited out.
      conf.setLong("yarn.resourcemanager.connect.max-wait.ms", 20_000);
      if (unset(conf, "yarn.resourcemanager.connect.retry-interval.ms")) {
        conf.setLong("yarn.resourcemanager.connect.retry-interval.ms", 10_000);
      }
    }
  }

  /**
   * The local job runner's files through {@link NioLocalFileSystem}, which does in this JVM what Hadoop without
   * its native library forks a process for; unless the user or a site file chose a local file system. Only for
   * the local runner: a cluster's own processes (application master, node managers) would not find the class.
   * It takes effect if no {@code file:} file system was cached in this JVM before (Hadoop's cache keeps the first).
   */
  static void inProcessLocalFiles(Configuration conf) {
    String fs = "fs.file.impl";
    if (!org.apache.hadoop.util.NativeCodeLoader.isNativeCodeLoaded() && unset(conf, fs)) {
      conf.set(fs, NioLocalFileSystem.class.getName());
    }
  }

  /**
   * The local job runner's staging directory under the user's own Hadoop temporary directory
   * ({@code /tmp/hadoop-USER} by default), unless the user or a site file chose one. Hadoop's fallback is
   * {@code /tmp/hadoop/mapred/staging} for every user: the first user to run a job creates it, readable but not
   * writable by others, and every other user's job then fails with "… .staging does not exist".
   */
  static void perUserStaging(Configuration conf) {
    if (unset(conf, STAGING_ROOT)) {
      conf.set(STAGING_ROOT, "${hadoop.tmp.dir}/mapred/staging");
    }
  }

  /**
   * Task JVMs on a cluster get the environment the launcher gives the command line: OpenBLAS single-threaded (its
   * threads fight libtorch's pool) and OpenMP threads that sleep rather than spin while they wait (spinning threads
   * starve each other on a shared worker node). A variable the user or a site file put in the list stands.
   */
  static void nativeThreadsEnv(Configuration conf) {
    for (String key : new String[] {"mapreduce.map.env", "mapreduce.reduce.env"}) {
      String env = conf.get(key, "").strip();
      for (String var : new String[] {"OPENBLAS_NUM_THREADS=1", "OMP_WAIT_POLICY=PASSIVE"}) {
        String name = var.substring(0, var.indexOf('=') + 1);
        if (!("," + env).replace(" ", "").contains("," + name)) {
          env = env.isEmpty() ? var : env + "," + var;
        }
      }
      conf.set(key, env);
    }
  }

  /** The local job runner's staging root (JTConfig.JT_STAGING_AREA_ROOT, not public API). */
  static final String STAGING_ROOT = "mapreduce.jobtracker.staging.root.dir";

  /** Whether {@code key} has only Hadoop's shipped default: not set by the user, a site file or the command line. */
  static boolean unset(Configuration conf, String key) {
    String[] from = conf.getPropertySources(key);
    return from == null || from.length == 1 && from[0].endsWith("-default.xml");
  }

  /**
   * The local job runner runs every task in this one JVM, but Hadoop sizes each reduce task's in-memory shuffle
   * as a share of the whole heap (70 %), as if it had a JVM of its own: two local reducers then ask for 140 %
   * and a 1 GB client dies in the shuffle. Give each concurrent reducer its part of the budget instead, unless
   * the user set the share.
   */
  static void shareLocalHeap(Configuration conf) {
    String key = "mapreduce.reduce.shuffle.input.buffer.percent";
    if (conf.get(key) != null && !"0.70".equals(conf.get(key)) && !"0.7".equals(conf.get(key))) {
      return;
    }
    int reducers = Math.max(1, Math.min(conf.getInt("mapreduce.local.reduce.tasks.maximum", 1),
        conf.getInt("mapreduce.job.reduces", 1)));
    conf.setFloat(key, 0.35f / reducers);
  }

  /** Sets a job's output directory, refusing one that exists (a rerun must not mix old and new parts). */
  static Path newOutput(Job job, String dir) throws IOException {
    Path out = freshOutput(job.getConfiguration(), dir);
    FileOutputFormat.setOutputPath(job, out);
    return out;
  }

  /**
   * The output directory {@code dir}; a clear error if it exists (a job never writes into old output) or cannot be
   * made. It is made and removed again here, so that a read-only or unwritable place is refused before any work,
   * not by a task's committer after the input was read.
   */
  static Path freshOutput(Configuration conf, String dir) throws IOException {
    Path out = new Path(dir);
    FileSystem fs = out.getFileSystem(conf);
    if (fs.exists(out)) {
      throw new DataException("output " + out + " already exists; remove it or choose another");
    }
    boolean made;
    try {
      made = fs.mkdirs(out);
    } catch (org.apache.hadoop.fs.ParentNotDirectoryException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new DataException("cannot create output " + out + ": " + e.getMessage());
    }
    if (!made) {
      throw new DataException("cannot create output " + out + ": " + whyNot(fs, out));
    }
    fs.delete(out, true);
    return out;
  }

  /** Why the local file system would not make {@code out} (Hadoop's mkdirs says only "false"). */
  private static String whyNot(FileSystem fs, Path out) {
    if (!"file".equals(fs.getUri().getScheme())) {
      return "the file system refused it";
    }
    java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(out).toUri()).getParent();
    while (p != null && !java.nio.file.Files.exists(p)) {
      p = p.getParent();
    }
    try {
      if (p == null || !java.nio.file.Files.isDirectory(p)) {
        return p + " is not a directory";
      }
      if (java.nio.file.Files.getFileStore(p).isReadOnly()) {
        return p + " is on a read-only file system";
      }
    } catch (IOException e) {
      return e.getMessage();
    }
    return java.nio.file.Files.isWritable(p) ? "the file system refused it" : "permission denied on " + p;
  }

  /**
   * Removes what a failed run made of {@code out}: {@link #freshOutput} found nothing there, so anything there now is
   * this run's (a rerun would otherwise be refused with "already exists"). Best effort: the run's own error stands.
   */
  static void removeFailed(Configuration conf, Path out, Throwable failure) {
    try {
      out.getFileSystem(conf).delete(out, true);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Runs a job to completion; a failed job becomes one error naming the job and Hadoop's reason, or, where Hadoop has
   * none (the local job runner), the first failed task's own error, with the file it was reading or writing. Its
   * stack trace goes to a log file the message names ({@link #saveTrace}), not to the terminal.
   */
  static void run(Job job, String what) throws IOException, InterruptedException {
    boolean done;
    try {
      done = job.waitForCompletion(false);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("a job class is missing from the job jar: " + e.getMessage(), e);
    } catch (org.apache.hadoop.util.DiskChecker.DiskErrorException | org.apache.hadoop.fs.FSError e) {
      // The local job runner writes the job's files to Hadoop's local directories at submission; a full or failing
      // disk there comes as an Error (FSError) or a DiskErrorException, neither of which names the setting.
      throw new DataException("submitting the " + what + " job: " + TaskFailures.cause(e) + " in Hadoop's local "
          + "directories (" + job.getConfiguration().get(MRConfig.LOCAL_DIR) + ", mapreduce.cluster.local.dir under "
          + "hadoop.tmp.dir: free space there, or point them elsewhere with -D)", e);
    }
    if (!done) {
      String reason = job.getStatus().getFailureInfo();
      TaskFailures.Failure task = TaskFailures.take(job.getJobID());
      boolean none = reason == null || reason.isBlank() || "NA".equals(reason);
      if (task != null && none) {
        reason = task.message() + saveTrace(job, task.error()); // the local runner's "NA": the task's own error
      } else if (!none) {
        // YARN's reason says which task failed, not why: the first failed attempt's own error says why.
        String attempt = firstFailedAttempt(job);
        reason = (attempt != null ? attempt + " (" : "") + reason.strip().replaceAll("\\s*\\n\\s*", "; ")
            + (attempt != null ? ")" : "");
      } else {
        reason = "Hadoop gave no reason (TSAD_JAVA_OPTS=-D" + TRACE_LOGGER + "=warn shows the local job runner's log)";
      }
      throw new DataException(what + " job " + job.getJobID() + " failed: " + reason);
    }
  }

  /**
   * The first line of the first failed task attempt's diagnostics (its error, as the attempt reported it; its stack
   * trace stays in the attempt's log), without the class name of the IOException or DataException that carries
   * tsad's own message; null if there is none.
   */
  static String firstFailedAttempt(Job job) {
    try {
      for (org.apache.hadoop.mapreduce.TaskCompletionEvent e : job.getTaskCompletionEvents(0, 1000)) {
        var status = e.getStatus(); // TIPFAILED: an attempt that was its task's last
        if (status != org.apache.hadoop.mapreduce.TaskCompletionEvent.Status.FAILED
            && status != org.apache.hadoop.mapreduce.TaskCompletionEvent.Status.TIPFAILED) {
          continue;
        }
        String[] d = job.getTaskDiagnostics(e.getTaskAttemptId());
        if (d != null && d.length > 0 && d[0] != null && !d[0].isBlank()) {
          String first = d[0].strip().lines().findFirst().orElse("");
          return "task " + e.getTaskAttemptId() + " failed: " + first.replaceFirst("^Error: ", "")
              .replaceFirst("^(java\\.io\\.IOException|tsad\\.core\\.data\\.DataException): ", "");
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no task diagnostics", e);
      return null; // the reason Hadoop gave stands alone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** The logger of the local job runner, whose failure traces tsad keeps off the terminal (simplelogger.properties). */
  static final String TRACE_LOGGER = "org.slf4j.simpleLogger.log.org.apache.hadoop.mapred.LocalJobRunner";

  /**
   * Writes a failed task's stack trace to {@code hadoop.tmp.dir/tsad-logs/JOB.log} (a local directory of the user's
   * own) and returns " (stack trace: FILE)", or "" if it cannot be written (a full disk): the message stands alone.
   */
  static String saveTrace(Job job, Throwable error) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of(job.getConfiguration().get("hadoop.tmp.dir"), "tsad-logs");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Path log = dir.resolve(job.getJobID() + ".log");
      try (java.io.PrintWriter w = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(log))) {
        error.printStackTrace(w);
      }
      return " (stack trace: " + log + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
