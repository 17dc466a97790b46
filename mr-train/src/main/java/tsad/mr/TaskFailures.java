package tsad.mr;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import tsad.core.data.DataException;

/**
 * The first error of each job's tasks that ran in this JVM, for the job's failure message: the local job runner
 * reports a failed job's reason as "NA" and only logs the task's error (a YARN job carries its own reason). Readers
 * and writers note their errors with the file they were reading or writing, before the task's own note, so the
 * message names the file.
 */
final class TaskFailures {
  private static final Map<String, Failure> FIRST = new ConcurrentHashMap<>();

  private TaskFailures() {}

  /**
   * A task's error.
   *
   * @param message one line: what failed, on which file, and why
   * @param error the error itself, for the stack trace
   */
  record Failure(String message, Throwable error) {}

  /** A task's whole run (a mapper's or reducer's {@code super.run}), or one read or write of it. */
  interface Run {
    void run() throws IOException, InterruptedException;
  }

  /** Runs a task, keeping its error, if it fails, for {@link #take}; the error still fails the task. */
  static void watch(TaskAttemptContext ctx, Run task) throws IOException, InterruptedException {
    try {
      task.run();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      note(ctx, e instanceof DataException ? e.getMessage() : "task " + ctx.getTaskAttemptID() + " failed: " + e, e);
      throw e;
    }
  }

  /**
   * Runs one read or write of {@code file} ({@code what}: "reading", "writing"), noting its error with the file. An
   * IOException goes on as one whose message names the file, which is what a YARN task attempt reports; other
   * errors go on as they are (Hadoop handles an FSError, a local disk's failure, on its own).
   */
  static void on(TaskAttemptContext ctx, String what, Path file, Run io) throws IOException, InterruptedException {
    try {
      io.run();
    } catch (IOException | RuntimeException | Error e) {
      throw failed(ctx, what, file, e);
    }
  }

  /**
   * Notes that {@code what}ing {@code file} failed with {@code e}, and returns what to throw: an IOException naming
   * the file for an IOException, else {@code e} itself (rethrown here, for a RuntimeException or an Error).
   */
  static IOException failed(TaskAttemptContext ctx, String what, Path file, Throwable e) {
    String message = what + " " + file + ": " + explain(file, e);
    note(ctx, message, e);
    if (e instanceof IOException) {
      return new IOException(message, e);
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    throw (Error) e;
  }

  /** Keeps {@code message} as the job's failure unless an earlier error of its tasks was kept. */
  static void note(TaskAttemptContext ctx, String message, Throwable e) {
    try {
      FIRST.putIfAbsent(ctx.getJobID().toString(), new Failure(message, e));
    } catch (Throwable ignored) { // out of memory even for the note: the task's own error still stands
    }
  }

  /**
   * Why {@code file} could not be read or written: the error's own words ({@link #cause}), said plainly for a
   * {@code .gz} file that is not gzip data, is empty, or ends early (the JDK's and Hadoop's gzip readers throw a
   * bare "Not in GZIP format" or EOFException).
   */
  static String explain(Path file, Throwable e) {
    String said = cause(e);
    if (!file.getName().endsWith(".gz")) {
      return said;
    }
    String lower = said.toLowerCase(java.util.Locale.ROOT);
    if (e instanceof java.util.zip.ZipException || lower.contains("not a gzip") || lower.contains("not in gzip")) {
      return "not gzip data, though its name ends in .gz (" + said + "): compress it with gzip, or name it .csv";
    }
    if (e instanceof java.io.EOFException) {
      return said.equals(String.valueOf(e)) ? "empty or cut short: a .gz file holds at least gzip's 10-byte header"
          : "the gzip data ends early, so the file is truncated or damaged (" + said + ")";
    }
    return said;
  }

  /**
   * What went wrong, in the words of the innermost error that has any (Hadoop wraps a full disk's "No space left on
   * device" in an FSError whose message is the wrapped error's class and message).
   */
  static String cause(Throwable e) {
    String said = String.valueOf(e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        said = t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return said;
  }

  /**
   * The first task error kept for {@code job}, with advice when it ran out of heap, or null; forgets it.
   * Local tasks share the client's heap, which the launcher sets (TSAD_JAVA_OPTS).
   */
  static Failure take(JobID job) {
    Failure f = FIRST.remove(job.toString());
    if (f != null && f.message().contains("OutOfMemoryError")) {
      return new Failure(f.message() + " (the local job runner runs every task in this JVM: give it more heap, e.g. "
          + "TSAD_JAVA_OPTS=-Xmx8g)", f.error());
    }
    return f;
  }
}
