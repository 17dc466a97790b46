package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
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
 * The batching line reader over a file cut into many splits, and over a gzip file (one split): every line comes
 * out exactly once, in file order, with its byte offset, in batches no larger than the limits.
 */
class LineBatchInputFormatTest {
  @TempDir Path dir;

  @Test
  void everyLineOnceInOrderWithItsOffsetAcrossSplits() throws Exception {
    List<String> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String l = "s" + (i / 100) + ",2026-01-01T00:00:00Z," + "9".repeat(i % 13) + (i % 7 == 0 ? ",é" : "");
      offsets.add((long) text.toString().getBytes(StandardCharsets.UTF_8).length);
      lines.add(l);
      text.append(l).append(i % 5 == 0 ? "\r\n" : "\n");
    }
    Path plain = dir.resolve("rows.csv");
    Files.writeString(plain, text);
    Path gz = dir.resolve("rows.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    List<String> got = new ArrayList<>();
    List<Long> at = new ArrayList<>();
    assertTrue(read(plain, got, at) > 10, "many splits");
    assertEquals(lines, got, "no line lost, split or read twice");
    assertEquals(offsets, at, "each line's byte offset");
    got.clear();
    at.clear();
    assertEquals(1, read(gz, got, at), "a gzip file is one split");
    assertEquals(lines, got);
  }

  /** Reads every split of {@code file} (8 KB splits); returns the number of splits. */
  private static int read(Path file, List<String> lines, List<Long> offsets) throws Exception {
    Job job = Job.getInstance(new Configuration());
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(file.toUri()));
    FileInputFormat.setMaxInputSplitSize(job, 8192);
    LineBatchInputFormat format = new LineBatchInputFormat();
    List<InputSplit> splits = format.getSplits(job);
    for (InputSplit split : splits) {
      TaskAttemptContext ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<?, LineBatch> r = format.createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          LineBatch b = r.getCurrentValue();
          assertTrue(b.size() >= 1 && b.size() <= LineBatchInputFormat.BATCH_LINES, "batch of " + b.size());
          for (int i = 0; i < b.size(); i++) {
            lines.add(b.line(i));
            offsets.add(b.offset(i));
          }
        }
      }
    }
    return splits.size();
  }
}
