package tsad.mr;

import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;

/**
 * Reads the prepared SequenceFiles (split like any SequenceFile, at sync marks, found by
 * {@link SyncSeekingRecordReader}) as batches of up to {@code tsad.score.batch} records and about
 * {@link #BATCH_BYTES} of values (long slices): the key is the batch's ordinal within the split, the value a
 * {@link RecordBatch}. It counts the records it reads and adds up their hashes ({@link ScoreCounter#RECORDS_READ},
 * {@link ScoreCounter#RECORD_HASH_SUM}), which the job checks against the prepared report when the tasks are done.
 */
public final class RecordBatchInputFormat extends FileInputFormat<LongWritable, RecordBatch> {
  /** A batch stops growing at this many bytes of values, so long slices do not make huge batches. */
  static final int BATCH_BYTES = 1 << 20;

  @Override
  public RecordReader<LongWritable, RecordBatch> createRecordReader(InputSplit split, TaskAttemptContext ctx) {
    int batchSize = Math.max(1, ctx.getConfiguration().getInt(JobKeys.BATCH, tsad.core.score.Scorer.DEFAULT_BATCH));
    org.apache.hadoop.mapreduce.Counter read = ctx.getCounter(ScoreCounter.RECORDS_READ);
    org.apache.hadoop.mapreduce.Counter hashSum = ctx.getCounter(ScoreCounter.RECORD_HASH_SUM);
    PreparedDir.Digest hashes = new PreparedDir.Digest();
    return new BatchRecordReader<Text, BytesWritable, RecordBatch>(new SyncSeekingRecordReader(),
        new RecordBatch()) {
      @Override
      boolean full(RecordBatch b) {
        return b.size() >= batchSize || b.valueBytes() >= BATCH_BYTES;
      }

      @Override
      void add(RecordBatch b, Text key, BytesWritable value) {
        b.add(key, value);
        read.increment(1);
        hashSum.increment(hashes.hash(key, value)); // counters add longs, wrapping as the report's sum does
      }
    };
  }
}
