package tsad.mr;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;

/**
 * A real HDFS + YARN in the test JVM (MiniDFSCluster + MiniMRYarnCluster) with the settings that start it in
 * ~15 s on 2 cores and give containers 512 MB heaps; the container classpath is the caller's choice.
 */
public final class MiniCluster implements AutoCloseable {
  private final MiniDFSCluster dfs;
  private final MiniMRYarnCluster yarn;

  /** Starts both clusters with their data under {@code dir}; containers run with {@code containerClasspath}. */
  public MiniCluster(Path dir, String containerClasspath) throws Exception {
    this(dir, containerClasspath, Map.of());
  }

  /** As {@link #MiniCluster(Path, String)}, with {@code overrides} set over this class's settings in both clusters. */
  public MiniCluster(Path dir, String containerClasspath, Map<String, String> overrides) throws Exception {
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    c.setInt("yarn.nodemanager.resource.memory-mb", 4096);
    c.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    for (String k : List.of("yarn.app.mapreduce.am.resource.mb", "mapreduce.map.memory.mb", "mapreduce.reduce.memory.mb")) {
      c.setInt(k, 768);
    }
    c.set("yarn.app.mapreduce.am.command-opts", "-Xmx512m");
    c.set("mapreduce.map.java.opts", "-Xmx512m");
    c.set("mapreduce.reduce.java.opts", "-Xmx512m");
    c.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    c.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
    c.setLong("yarn.nodemanager.process-kill-wait.ms", 100);
    c.setLong("yarn.nodemanager.log.retain-seconds", 1);
    c.set("yarn.application.classpath", containerClasspath);
    c.set("mapreduce.map.env", "OPENBLAS_NUM_THREADS=1,OMP_NUM_THREADS=1");
    c.set("mapreduce.reduce.env", "OPENBLAS_NUM_THREADS=1,OMP_NUM_THREADS=1");
    overrides.forEach(c::set);
    dfs = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    c.set("fs.defaultFS", dfs.getFileSystem().getUri().toString());
    yarn = new MiniMRYarnCluster("tsad");
    yarn.init(c);
    yarn.start();
  }

  /** A client configuration that submits to this YARN and uses this HDFS as the default file system. */
  public Configuration conf() {
    return new Configuration(yarn.getConfig());
  }

  /** The HDFS file system. */
  public FileSystem fs() throws java.io.IOException {
    return FileSystem.get(conf());
  }

  /**
   * Writes synthetic data ({@code slices} slices of 32 steps) under {@code local}, copies test.csv to HDFS as
   * {@code hdfsPath}, trains a small model at {@code local/model} and scores test.csv with the local CLI: the
   * scores the cluster must reproduce, slice id to {score, threshold}.
   */
  java.util.Map<String, double[]> dataModelAndLocalScores(Path local, int slices, long seed, String hdfsPath)
      throws java.io.IOException {
    new tsad.core.synth.SynthGenerator(new tsad.core.synth.SynthConfig(slices, 32, 1, 0.1, seed)).writeCsv(local);
    fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.resolve("test.csv").toString()),
        new org.apache.hadoop.fs.Path(hdfsPath));
    Path model = local.resolve("model");
    tsad.MainTest.Run train = tsad.MainTest.tsad("train", "--input", local.resolve("train.csv").toString(),
        "--model-out", model.toString(), "--window", "32", "--epochs", "2", "--threads", "1", "--quiet");
    org.junit.jupiter.api.Assertions.assertEquals(0, train.code(), train.err());
    Path scores = local.resolve("local.jsonl");
    tsad.MainTest.Run score = tsad.MainTest.tsad("score", "--model", model.toString(), "--input",
        local.resolve("test.csv").toString(), "--output", scores.toString(), "--threads", "1");
    org.junit.jupiter.api.Assertions.assertEquals(0, score.code(), score.err());
    return LocalJobRunnerTest.scores(java.nio.file.Files.readAllLines(scores));
  }

  @Override
  public void close() {
    yarn.stop();
    dfs.shutdown();
  }
}
