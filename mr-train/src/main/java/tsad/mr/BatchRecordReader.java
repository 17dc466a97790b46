package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * Groups the records of one of Hadoop's record readers into batches, so a mapper pays Hadoop's per-record
 * bookkeeping (file-system statistics, progress, counters) once per batch: the key is the batch's ordinal within
 * the split, the value the batch. The input formats of prepare (lines) and score (prepared records) use it.
 *
 * @param <K> the wrapped reader's key
 * @param <V> the wrapped reader's value
 * @param <B> the batch
 */
abstract class BatchRecordReader<K, V, B extends BatchRecordReader.Batch> extends RecordReader<LongWritable, B> {
  /** What a batch offers the reader. */
  interface Batch {
    /** Empties the batch (keeping its buffers). */
    void clear();

    /** The number of records in the batch. */
    int size();
  }

  private final RecordReader<K, V> records;
  private final LongWritable ordinal = new LongWritable(-1);
  private final B batch;
  private TaskAttemptContext ctx;
  private org.apache.hadoop.fs.Path file;

  BatchRecordReader(RecordReader<K, V> records, B batch) {
    this.records = records;
    this.batch = batch;
  }

  /** Whether the batch takes no more records. */
  abstract boolean full(B b);

  /** Appends a copy of the wrapped reader's current record. */
  abstract void add(B b, K key, V value);

  @Override
  public void initialize(InputSplit split, TaskAttemptContext ctx) throws IOException, InterruptedException {
    this.ctx = ctx;
    file = split instanceof FileSplit f ? f.getPath() : new org.apache.hadoop.fs.Path(String.valueOf(split));
    // A read error (a damaged .gz, a file gone) fails the task; noted with the file, so the job's message names it.
    TaskFailures.on(ctx, "reading", file, () -> records.initialize(split, ctx));
  }

  @Override
  public boolean nextKeyValue() throws IOException, InterruptedException {
    batch.clear();
    try {
      while (!full(batch) && records.nextKeyValue()) {
        add(batch, records.getCurrentKey(), records.getCurrentValue());
      }
    } catch (IOException | RuntimeException | Error e) {
      throw TaskFailures.failed(ctx, "reading", file, e);
    }
    ordinal.set(ordinal.get() + 1);
    return batch.size() > 0;
  }

  @Override
  public LongWritable getCurrentKey() {
    return ordinal;
  }

  @Override
  public B getCurrentValue() {
    return batch;
  }

  @Override
  public float getProgress() throws IOException, InterruptedException {
    return records.getProgress();
  }

  @Override
  public void close() throws IOException {
    records.close();
  }
}
