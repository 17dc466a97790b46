package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hadoop jar target/tsad-job.jar tsad.Main prepare|score ...} against a real HDFS + YARN: the client is a
 * separate JVM started the way the {@code hadoop} script starts one (Hadoop's jars + the cluster's configuration,
 * then {@code org.apache.hadoop.util.RunJar}), and the YARN containers have only Hadoop's jars, so tsad, protobuf,
 * JavaCPP and the libtorch natives can only come from the job jar. Scores must equal the local CLI's, and the
 * generic options {@code -files} and {@code -libjars} must reach the containers.
 */
@Tag("minicluster")
class JobJarIT {
  @TempDir static Path dir;
  static Path jobJar;
  static String hadoopClasspath;
  static MiniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    jobJar = Path.of("tsad-job.jar").toAbsolutePath(); // surefire/failsafe run in target/
    assertTrue(Files.isRegularFile(jobJar), jobJar + " missing: the job jar is built in the package phase (mvn verify)");
    hadoopClasspath = hadoopOnlyClasspath(jobJar);
    cluster = new MiniCluster(dir, hadoopClasspath);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** This JVM's classpath without tsad and without any library the job jar carries in lib/: what a cluster has. */
  static String hadoopOnlyClasspath(Path jar) throws IOException {
    Set<String> shipped;
    try (JarFile j = new JarFile(jar.toFile())) {
      shipped = j.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
          .map(n -> n.substring(4)).collect(Collectors.toSet());
    }
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      boolean projectDir = e.contains(File.separator + "target" + File.separator);
      if (!shipped.contains(name) && !projectDir && !name.startsWith("tsad-")) {
        keep.add(e);
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  @Test
  void hadoopJarRunsPrepareAndScoreOnYarnWithTheLocalCliScores() throws Exception {
    Path local = dir.resolve("data");
    Map<String, double[]> expected = cluster.dataModelAndLocalScores(local, 40, 12, "/in/test.csv");
    FileSystem fs = cluster.fs();
    String hdfs = fs.getUri().toString();
    Path model = local.resolve("model");

    Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
    try (OutputStream os = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
      cluster.conf().writeXml(os);
    }
    String prepared = hadoopJar(confDir, "prepare", "--input", hdfs + "/in/test.csv", "--output", hdfs + "/prepared",
        "--window", "32");
    assertTrue(prepared.contains("prepared 40 windows"), prepared);
    // Hadoop's generic options reach the containers: -libjars puts a codec class the cluster does not have on
    // the tasks' classpath, and -files a file in their working directory, whose text the codec reads as its
    // extension. Output files named part-m-NNNNN.<that text> show both arrived.
    Path probeJar = ProbeCodecJar.build(dir.resolve("probe"), hadoopClasspath);
    Path probeFile = Files.writeString(dir.resolve(ProbeCodecJar.FILE), "shipped-by-files");
    String scored = hadoopJar(confDir, "score", "--mapreduce", "-files", probeFile.toString(), "-libjars",
        probeJar.toString(), "-D", "mapreduce.output.fileoutputformat.compress=true", "-D",
        "mapreduce.output.fileoutputformat.compress.codec=" + ProbeCodecJar.CODEC, "--model", model.toString(),
        "--input", hdfs + "/prepared", "--output", hdfs + "/scores");
    assertTrue(scored.contains("scored 40 slices (40 windows)"), scored);

    List<String> lines = new ArrayList<>();
    var parts = fs.globStatus(new org.apache.hadoop.fs.Path("/scores/part-m-*"));
    assertTrue(parts.length > 0, "no part-m-* files in /scores");
    for (var st : parts) {
      assertTrue(st.getPath().getName().matches("part-m-\\d+\\.shipped-by-files"), st.getPath()
          + ": the task did not use the -libjars codec with the -files text as its extension");
      try (var in = new java.util.zip.InflaterInputStream(fs.open(st.getPath()))) {
        lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
      }
    }
    Map<String, double[]> got = LocalJobRunnerTest.scores(lines);
    assertEquals(expected.keySet(), got.keySet());
    for (String id : expected.keySet()) {
      double e = expected.get(id)[0];
      assertEquals(e, got.get(id)[0], 1e-6 * Math.max(1, e), id + ": score from the job jar on YARN");
    }
  }

  /** Runs {@code hadoop jar tsad-job.jar tsad.Main ARGS} as a new JVM and returns its output (fails on non-zero exit). */
  private static String hadoopJar(Path confDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", confDir + File.pathSeparator + hadoopClasspath, "org.apache.hadoop.util.RunJar",
        jobJar.toString(), "tsad.Main"));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "hadoop-jar", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "hadoop jar " + String.join(" ", args) + " timed out");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), "hadoop jar " + String.join(" ", args) + " failed:\n" + out);
    return out;
  }
}
