package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching input format over a SequenceFile cut into many splits: every record comes out exactly once, in
 * file order, in batches no larger than the batch size, with keys and values intact.
 */
class RecordBatchInputFormatTest {
  @TempDir Path dir;

  @Test
  void everyRecordOnceInOrderAcrossSplits() throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("part-r-00000").toUri());
    int n = 5000;
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(file),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(BytesWritable.class))) {
      for (int i = 0; i < n; i++) {
        w.append(new Text("w" + i), new BytesWritable(("value of " + i).repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8)));
      }
    }
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, file);
    FileInputFormat.setMaxInputSplitSize(job, 8192);
    job.getConfiguration().setInt(ScoreJob.BATCH, 33);
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
}
