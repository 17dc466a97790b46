package tsad.mr;

import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;

/**
 * Reads text files as Hadoop's {@code TextInputFormat} does (the same splits, codecs, record delimiter and lines,
 * through its {@link LineRecordReader}) but hands them on in batches of up to {@link #BATCH_LINES} lines or about
 * {@link #BATCH_BYTES}: the key is the batch's ordinal within the split, the value a {@link LineBatch} holding
 * each line with its byte offset.
 */
public final class LineBatchInputFormat extends FileInputFormat<LongWritable, LineBatch> {
  /** Lines per batch at most. */
  static final int BATCH_LINES = 1024;
  /** A batch stops growing at this many bytes, so long lines do not make huge batches. */
  static final int BATCH_BYTES = 1 << 20;

  @Override
  public RecordReader<LongWritable, LineBatch> createRecordReader(InputSplit split, TaskAttemptContext ctx) {
    String delimiter = ctx.getConfiguration().get("textinputformat.record.delimiter");
    LineRecordReader lines = new LineRecordReader(delimiter == null ? null
        : delimiter.getBytes(StandardCharsets.UTF_8));
    return new BatchRecordReader<LongWritable, Text, LineBatch>(lines, new LineBatch()) {
      @Override
      boolean full(LineBatch b) {
        return b.size() >= BATCH_LINES || b.bytes() >= BATCH_BYTES;
      }

      @Override
      void add(LineBatch b, LongWritable offset, Text line) {
        b.add(offset.get(), line);
      }
    };
  }

  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    CompressionCodec codec = new CompressionCodecFactory(context.getConfiguration()).getCodec(file);
    return codec == null || codec instanceof SplittableCompressionCodec;
  }
}
