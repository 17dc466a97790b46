package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prepare and score on a real HDFS + YARN minicluster: data on hdfs://, jobs submitted to YARN, libtorch
 * running inside YARN containers; output checked against the local CLI.
 */
@Tag("minicluster")
class YarnClusterTest {
  @TempDir static Path dir;
  static MiniCluster cluster;
  static Configuration conf;

  @BeforeAll
  static void start() throws Exception {
    // Containers get this JVM's classpath: tsad, protobuf, JavaCPP and the libtorch natives (JobJarIT proves
    // the job jar instead).
    cluster = new MiniCluster(dir, System.getProperty("java.class.path"));
    conf = cluster.conf();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void prepareTrainAndScoreFromHdfsMatchTheLocalCli() throws Exception {
    Path local = dir.resolve("data");
    java.util.Map<String, double[]> expected = cluster.dataModelAndLocalScores(local, 60, 11, "/data/test.csv");
    FileSystem fs = cluster.fs();
    String hdfs = fs.getUri().toString();
    Path model = local.resolve("model");

    // The prepare job as a plain Tool, its settings as configuration keys.
    assertEquals(0, ToolRunner.run(new Configuration(conf), new PrepareJob(), new String[] {"-D", JobKeys.WINDOW
        + "=32", hdfs + "/data/test.csv", hdfs + "/prepared"}));
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/prepared/" + PrepareJob.MANIFEST)));
    // Training reads the prepared SequenceFiles straight from HDFS and gives the model training on the CSV gives.
    String[] common = {"--epochs", "2", "--threads", "1", "--quiet", "--window", "32"};
    tsad.MainTest.Run fromHdfs = tsad.MainTest.tsad(LocalJobRunnerTest.concat(new String[] {"train", "--prepared", hdfs + "/prepared",
        "--model-out", local.resolve("m-hdfs").toString()}, common));
    assertEquals(0, fromHdfs.code(), fromHdfs.err());
    tsad.MainTest.Run fromCsv = tsad.MainTest.tsad(LocalJobRunnerTest.concat(new String[] {"train", "--input",
        local.resolve("test.csv").toString(), "--model-out", local.resolve("m-csv").toString()}, common));
    assertEquals(0, fromCsv.code(), fromCsv.err());
    assertArrayEquals(java.nio.file.Files.readAllBytes(local.resolve("m-csv/model.pt")),
        java.nio.file.Files.readAllBytes(local.resolve("m-hdfs/model.pt")), "training from HDFS = training from CSV");
    // Splits of a few KB: the tasks past the first find their first record by the sync search, reading HDFS.
    long prepared = fs.getFileStatus(new org.apache.hadoop.fs.Path("/prepared/part-r-00000")).getLen();
    Configuration small = new Configuration(conf);
    small.setLong("mapreduce.input.fileinputformat.split.maxsize", prepared / 3 + 1);
    tsad.registry.ModelResolver.Resolved resolved = new tsad.registry.ModelResolver(dir.resolve("cache"), null)
        .resolve(model.toString());
    ScoreJob.Result score = new ScoreJob(small).run(new ScoreJob.Request(resolved, hdfs + "/prepared",
        hdfs + "/scores", 256, 1, "jsonl", tsad.core.score.ScoreLines.Per.SLICE));
    long maps = score.job().getCounters().findCounter(org.apache.hadoop.mapreduce.JobCounter.TOTAL_LAUNCHED_MAPS)
        .getValue();
    assertTrue(maps >= 3, "the prepared file was read in splits: " + maps + " map tasks");
    assertEquals("-Xmx512m " + ScoreJob.TASK_JIT, score.job().getConfiguration().get("mapreduce.map.java.opts"),
        "the task JVMs (which started with it) kept the cluster's heap and got the shallower inlining");
    List<String> lines = read(fs, "/scores");
    assertEquals(60, lines.size());
    java.util.Map<String, double[]> got = LocalJobRunnerTest.scores(lines);
    assertEquals(expected.keySet(), got.keySet(), "every slice scored once on YARN");
    for (String id : expected.keySet()) {
      double e = expected.get(id)[0];
      assertEquals(e, got.get(id)[0], 1e-6 * Math.max(1, e), id + ": YARN score equals the local CLI's");
      assertEquals(expected.get(id)[1], got.get(id)[1], 0, id + " threshold");
    }
    assertEquals("yarn", conf.get("mapreduce.framework.name"), "the jobs ran on YARN, not the local runner");

    // Every task's first attempt fails after writing all its lines; the retried attempts' output replaces it.
    Configuration failing = new Configuration(conf);
    failing.setBoolean(JobKeys.FAIL_FIRST_ATTEMPT, true);
    ScoreJob.Result retrying = new ScoreJob(failing).run(new ScoreJob.Request(resolved, hdfs + "/prepared",
        hdfs + "/scores-retried", 256, 1, "jsonl", tsad.core.score.ScoreLines.Per.SLICE));
    long failedAttempts = retrying.job().getCounters()
        .findCounter(org.apache.hadoop.mapreduce.JobCounter.NUM_FAILED_MAPS).getValue();
    assertTrue(failedAttempts > 0, "a map attempt really failed and was retried (" + failedAttempts + ")");
    List<String> retried = read(fs, "/scores-retried");
    java.util.Collections.sort(retried);
    java.util.Collections.sort(lines);
    assertEquals(lines, retried, "same output after retries, no duplicates from the failed attempts");
  }

  /**
   * A task that fails on YARN: Hadoop's reason names only the task, so the job's one line adds the attempt's own
   * error, which names the file it was reading (a .csv.gz cut short); the failed job leaves no output directory.
   */
  @Test
  void aFailedTaskOnYarnNamesItsCauseAndItsFile() throws Exception {
    FileSystem fs = cluster.fs();
    String hdfs = fs.getUri().toString();
    java.net.URL truncated = getClass().getResource("/bad-input/mapreduce-gz-truncated/rows.csv.gz");
    try (var in = truncated.openStream();
         var out = fs.create(new org.apache.hadoop.fs.Path("/broken/rows.csv.gz"))) {
      in.transferTo(out);
    }
    Configuration once = new Configuration(conf);
    once.setInt("mapreduce.map.maxattempts", 1);   // one container, not four tries of the same damaged file
    tsad.core.data.DataException e = org.junit.jupiter.api.Assertions.assertThrows(
        tsad.core.data.DataException.class, () -> new PrepareJob(once).run(new PrepareJob.Request(
            List.of(hdfs + "/broken/rows.csv.gz"), hdfs + "/broken-prepared", tsad.core.data.CsvOptions.defaults(),
            new tsad.core.window.WindowSpec(tsad.proto.WindowMode.SLICE, 32, 16, tsad.proto.LengthPolicy.REJECT),
            null, null)));
    assertTrue(e.getMessage().matches("prepare job job_\\w+ failed: task attempt_\\w+ failed: reading "
        + java.util.regex.Pattern.quote(hdfs + "/broken/rows.csv.gz") + ": the gzip data ends early, so the file is "
        + "truncated or damaged .*\\(Task failed task_\\w+; .*\\)"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(!fs.exists(new org.apache.hadoop.fs.Path("/broken-prepared")), "the failed job's output is left");
  }

  private static List<String> read(FileSystem fs, String dir) throws java.io.IOException {
    List<String> lines = new ArrayList<>();
    for (FileStatus st : fs.globStatus(new org.apache.hadoop.fs.Path(dir + "/part-m-*"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(st.getPath()), StandardCharsets.UTF_8))) {
        r.lines().forEach(lines::add);
      }
    }
    return lines;
  }
}
