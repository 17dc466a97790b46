package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching input format over a SequenceFile cut into many splits: every record comes out exactly once, in
 * file order, in batches no larger than the batch size, with keys and values intact; and its bulk sync search gives
 * every split exactly the records Hadoop's own reader gives it, on a file of small records and records of hundreds
 * of KB (long slices), read split by split at many split sizes and at arbitrary offsets.
 */
class RecordBatchInputFormatTest {
  @TempDir Path dir;

  @Test
  void everyRecordOnceInOrderAcrossSplits() throws Exception {
    Configuration conf = new Configuration();
    int n = 5000;
    org.apache.hadoop.fs.Path file = sequenceFile(conf, "w", n,
        i -> ("value of " + i).repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8));
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, file);
    FileInputFormat.setMaxInputSplitSize(job, 8192);
    job.getConfiguration().setInt(JobKeys.BATCH, 33);
    RecordBatchInputFormat format = new RecordBatchInputFormat();
    List<InputSplit> splits = format.getSplits(job);
    assertTrue(splits.size() > 10, "many splits: " + splits.size());
    List<String> keys = new ArrayList<>();
    for (InputSplit split : splits) {
      TaskAttemptContext ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<?, RecordBatch> r = format.createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          RecordBatch b = r.getCurrentValue();
          assertTrue(b.size() >= 1 && b.size() <= 33, "batch of " + b.size());
          for (int i = 0; i < b.size(); i++) {
            int id = Integer.parseInt(b.key(i).substring(1));
            byte[] v = new byte[b.value(i).remaining()];
            b.value(i).get(v);
            assertEquals(("value of " + id).repeat(1 + id % 7), new String(v, StandardCharsets.UTF_8));
            keys.add(b.key(i));
          }
        }
      }
    }
    assertEquals(n, keys.size(), "no record lost or read twice");
    for (int i = 0; i < n; i++) {
      assertEquals("w" + i, keys.get(i));
    }
  }

  /** Also with record and block compression, which clusters often turn on for all job output. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(SequenceFile.CompressionType.class)
  void everySplitReadsWhatHadoopsReaderReads(SequenceFile.CompressionType compression) throws Exception {
    Configuration conf = new Configuration();
    Random r = new Random(7);
    int n = 400;
    org.apache.hadoop.fs.Path file = sequenceFile(conf, "r", n, i -> {
      byte[] v = new byte[i % 50 == 7 ? 300_000 + r.nextInt(200_000) : r.nextInt(3000)];
      r.nextBytes(v);
      return v;
    }, compression);
    long length = FileSystem.getLocal(conf).getFileStatus(file).getLen();
    for (long size : new long[] {7919, 65_536, 150_001, 1 << 20}) {
      List<String> all = new ArrayList<>();
      for (long start = 0; start < length; start += size) {
        FileSplit split = new FileSplit(file, start, Math.min(size, length - start), new String[0]);
        List<String> ours = read(new SyncSeekingRecordReader(), split, conf);
        assertEquals(read(new SequenceFileRecordReader<>(), split, conf), ours, "split " + start + "+" + size);
        all.addAll(ours);
      }
      assertEquals(n, all.size(), "every record once at split size " + size);
      for (int i = 0; i < n; i++) {
        assertEquals("r" + i, all.get(i).substring(0, all.get(i).indexOf(':')));
      }
    }
    // A split at the very end of the file, and one ending inside the last record.
    assertTrue(read(new SyncSeekingRecordReader(), new FileSplit(file, length - 3, 3, new String[0]), conf).isEmpty());
    FileSplit late = new FileSplit(file, length - 2000, 1000, new String[0]);
    assertEquals(read(new SequenceFileRecordReader<>(), late, conf), read(new SyncSeekingRecordReader(), late, conf));
  }

  /** The keys and value sizes and hashes a reader gives for one split. */
  private static List<String> read(RecordReader<Text, BytesWritable> reader, FileSplit split, Configuration conf)
      throws Exception {
    TaskAttemptContext ctx = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    List<String> out = new ArrayList<>();
    try (reader) {
      reader.initialize(split, ctx);
      while (reader.nextKeyValue()) {
        BytesWritable v = reader.getCurrentValue();
        out.add(reader.getCurrentKey() + ":" + v.getLength() + ":" + v.hashCode());
      }
    }
    return out;
  }

  /** A SequenceFile of n records, keys PREFIX + i, values made by {@code value}. */
  private org.apache.hadoop.fs.Path sequenceFile(Configuration conf, String prefix, int n,
      java.util.function.IntFunction<byte[]> value) throws java.io.IOException {
    return sequenceFile(conf, prefix, n, value, SequenceFile.CompressionType.NONE);
  }

  private org.apache.hadoop.fs.Path sequenceFile(Configuration conf, String prefix, int n,
      java.util.function.IntFunction<byte[]> value, SequenceFile.CompressionType compression)
      throws java.io.IOException {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("part-r-00000").toUri());
    org.apache.hadoop.io.compress.DefaultCodec codec = new org.apache.hadoop.io.compress.DefaultCodec();
    codec.setConf(conf);
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(file),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(BytesWritable.class),
        SequenceFile.Writer.compression(compression, codec))) {
      for (int i = 0; i < n; i++) {
        w.append(new Text(prefix + i), new BytesWritable(value.apply(i)));
      }
    }
    return file;
  }
}
