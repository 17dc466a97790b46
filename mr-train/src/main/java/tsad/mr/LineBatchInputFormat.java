package tsad.mr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
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
    return new Reader(new LineRecordReader(delimiter == null ? null : delimiter.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    CompressionCodec codec = new CompressionCodecFactory(context.getConfiguration()).getCodec(file);
    return codec == null || codec instanceof SplittableCompressionCodec;
  }

  /** Wraps Hadoop's line reader and groups its lines. */
  private static final class Reader extends RecordReader<LongWritable, LineBatch> {
    private final LineRecordReader lines;
    private final LongWritable ordinal = new LongWritable(-1);
    private final LineBatch batch = new LineBatch();

    Reader(LineRecordReader lines) {
      this.lines = lines;
    }

    @Override
    public void initialize(InputSplit split, TaskAttemptContext ctx) throws IOException {
      lines.initialize(split, ctx);
    }

    @Override
    public boolean nextKeyValue() throws IOException {
      batch.clear();
      while (batch.size() < BATCH_LINES && batch.bytes() < BATCH_BYTES && lines.nextKeyValue()) {
        batch.add(lines.getCurrentKey().get(), lines.getCurrentValue());
      }
      ordinal.set(ordinal.get() + 1);
      return batch.size() > 0;
    }

    @Override
    public LongWritable getCurrentKey() {
      return ordinal;
    }

    @Override
    public LineBatch getCurrentValue() {
      return batch;
    }

    @Override
    public float getProgress() throws IOException {
      return lines.getProgress();
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
