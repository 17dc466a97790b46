package tsad.mr;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileRecordReader;

/**
 * Reads the prepared SequenceFiles (split like any SequenceFile, at sync marks) as batches of up to
 * {@code tsad.score.batch} records and about {@link #BATCH_BYTES} of values (long slices): the key is the batch's
 * ordinal within the split, the value a {@link RecordBatch}.
 */
public final class RecordBatchInputFormat extends FileInputFormat<LongWritable, RecordBatch> {
  /** A batch stops growing at this many bytes of values, so long slices do not make huge batches. */
  static final int BATCH_BYTES = 1 << 20;

  @Override
  public RecordReader<LongWritable, RecordBatch> createRecordReader(InputSplit split, TaskAttemptContext ctx) {
    return new Reader(Math.max(1, ctx.getConfiguration().getInt(ScoreJob.BATCH, 256)));
  }

  /** Wraps Hadoop's SequenceFile reader and groups its records. */
  private static final class Reader extends RecordReader<LongWritable, RecordBatch> {
    private final SequenceFileRecordReader<Text, BytesWritable> records = new SequenceFileRecordReader<>();
    private final LongWritable ordinal = new LongWritable(-1);
    private final RecordBatch batch = new RecordBatch();
    private final int batchSize;

    Reader(int batchSize) {
      this.batchSize = batchSize;
    }

    @Override
    public void initialize(InputSplit split, TaskAttemptContext ctx) throws IOException, InterruptedException {
      records.initialize(split, ctx);
    }

    @Override
    public boolean nextKeyValue() throws IOException, InterruptedException {
      batch.clear();
      while (batch.size() < batchSize && batch.valueBytes() < BATCH_BYTES && records.nextKeyValue()) {
        batch.add(records.getCurrentKey(), records.getCurrentValue());
      }
      ordinal.set(ordinal.get() + 1);
      return batch.size() > 0;
    }

    @Override
    public LongWritable getCurrentKey() {
      return ordinal;
    }

    @Override
    public RecordBatch getCurrentValue() {
      return batch;
    }

    @Override
    public float getProgress() throws IOException {
      return records.getProgress();
    }

    @Override
    public void close() throws IOException {
      records.close();
    }
  }
}
