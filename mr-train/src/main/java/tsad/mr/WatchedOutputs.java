package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;

/**
 * The jobs' output formats, Hadoop's own, whose record writers note a failure (a full disk, a file system gone
 * read-only) with the output file it happened on ({@link TaskFailures}): Hadoop fails the task after the mapper or
 * reducer has returned, when the writer is closed, and the local job runner's job reports only "NA".
 */
final class WatchedOutputs {
  private WatchedOutputs() {}

  /** SequenceFile output (the prepare job's series). */
  static final class SequenceFiles<K, V> extends SequenceFileOutputFormat<K, V> {
    @Override
    public RecordWriter<K, V> getRecordWriter(TaskAttemptContext ctx) throws IOException, InterruptedException {
      Path file = finalFile(ctx);
      RecordWriter<K, V>[] w = newArray();
      TaskFailures.on(ctx, "writing", file, () -> w[0] = super.getRecordWriter(ctx));
      return new Watched<>(w[0], ctx, file);
    }
  }

  /** Text output (score lines, quarantine). */
  static final class Texts<K, V> extends TextOutputFormat<K, V> {
    @Override
    public RecordWriter<K, V> getRecordWriter(TaskAttemptContext ctx) throws IOException, InterruptedException {
      Path file = finalFile(ctx);
      RecordWriter<K, V>[] w = newArray();
      TaskFailures.on(ctx, "writing", file, () -> w[0] = super.getRecordWriter(ctx));
      return new Watched<>(w[0], ctx, file);
    }
  }

  /**
   * The file a task's writer makes, as it is named once the job is committed (the task writes it in a temporary
   * attempt directory first): the job's output directory and the task's part name, e.g. {@code OUT/part-r-00000}.
   * A compressed output's extension is left off.
   */
  static Path finalFile(TaskAttemptContext ctx) {
    return new Path(FileOutputFormat.getOutputPath(ctx), FileOutputFormat.getUniqueFile(ctx,
        ctx.getConfiguration().get(BASE_OUTPUT_NAME, PART), ""));
  }

  @SuppressWarnings("unchecked")
  private static <K, V> RecordWriter<K, V>[] newArray() {
    return new RecordWriter[1];
  }

  /** A writer that notes its failures with its file. */
  private static final class Watched<K, V> extends RecordWriter<K, V> {
    private final RecordWriter<K, V> out;
    private final TaskAttemptContext ctx;
    private final Path file;

    Watched(RecordWriter<K, V> out, TaskAttemptContext ctx, Path file) {
      this.out = out;
      this.ctx = ctx;
      this.file = file;
    }

    @Override
    public void write(K key, V value) throws IOException, InterruptedException {
      try { // not through TaskFailures.on: a score job writes a line per window, and this is its hot path
        out.write(key, value);
      } catch (IOException | RuntimeException | Error e) {
        throw TaskFailures.failed(ctx, "writing", file, e);
      }
    }

    @Override
    public void close(TaskAttemptContext c) throws IOException, InterruptedException {
      TaskFailures.on(ctx, "writing", file, () -> out.close(c));
    }
  }

  /** FileOutputFormat's keys for a task's base file name (protected there). */
  private static final String BASE_OUTPUT_NAME = "mapreduce.output.basename";
  private static final String PART = "part";
}
