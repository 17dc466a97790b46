package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code scripts/tsad} as users run it, after the package phase: it dumps the class-data archive for the
 * build on its first run and its JVMs then map tsad's classes from that archive; {@code TSAD_CDS=off} runs without.
 * The JVM silently ignores an archive that does not match its class path, so only this shows the archive in use,
 * also with a cluster's configuration directory (HADOOP_CONF_DIR) on the class path.
 */
class LauncherIT {
  @TempDir Path dir;

  /** The project root: failsafe runs in mr-train/target. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

  @Test
  void theLauncherMapsTsadsClassesFromItsArchiveUnlessToldNotTo() throws Exception {
    Path archive = ROOT.resolve("mr-train/target/cds/tsad.jsa");
    Run first = launch("on", "first.log");
    assertEquals(0, first.rc, first.err);
    assertTrue(Files.isRegularFile(archive), "no archive after the first run: " + first.err);
    Run on = launch("on", "on.log");
    assertEquals(0, on.rc, on.err);
    assertFalse(on.err.contains("writing the class-data archive"), "dumped again with nothing changed: " + on.err);
    assertTrue(source(on, "picocli.CommandLine ").contains("shared objects file"), source(on, "picocli.CommandLine "));
    assertTrue(source(on, "tsad.Main ").contains("shared objects file"), source(on, "tsad.Main "));
    Run off = launch("off", "off.log");
    assertEquals(0, off.rc, off.err);
    assertTrue(source(off, "tsad.Main ").contains("tsad-mr-train.jar"), source(off, "tsad.Main "));
  }

  /**
   * With HADOOP_CONF_DIR set, its core-site.xml reaches the job (here: hadoop.tmp.dir, under which the local job
   * runner keeps its task files) and the classes still come from the archive: the directory goes after the jars. No jar
   * on the launcher's class path carries a *-site.xml that would shadow the cluster's.
   */
  @Test
  void clusterConfigurationReachesTheJobsAndKeepsTheArchive() throws Exception {
    for (Path jar : jars()) {
      try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
        List<String> sites = j.stream().map(e -> e.getName())
            .filter(n -> n.matches("(core|hdfs|mapred|yarn)-site\\.xml")).toList();
        assertTrue(sites.isEmpty(), jar + " carries " + sites + ", which would shadow HADOOP_CONF_DIR's");
      }
    }
    Path conf = Files.createDirectories(dir.resolve("hadoop-conf"));
    Path clusterTmp = dir.resolve("cluster-tmp");
    Files.writeString(conf.resolve("core-site.xml"), "<configuration><property><name>hadoop.tmp.dir</name><value>"
        + clusterTmp + "</value></property></configuration>");
    assertEquals(0, MainTest.tsad("synth", "--out", dir.resolve("data").toString(), "--slices", "20", "--length",
        "32").code());
    launch("on", "warm.log", Map.of(), "--version");   // the archive of this build, if not there yet
    Run prepare = launch("on", "conf.log", Map.of("HADOOP_CONF_DIR", conf.toString()), "prepare", "--input",
        dir.resolve("data/train.csv").toString(), "--output", dir.resolve("prepared").toString(), "--window", "32");
    assertEquals(0, prepare.rc, prepare.err);
    assertTrue(Files.isDirectory(clusterTmp.resolve("mapred/local/localRunner")), "the job kept no files under the "
        + "conf dir's hadoop.tmp.dir " + clusterTmp + ": " + prepare.err);
    assertTrue(source(prepare, "tsad.Main ").contains("shared objects file"), source(prepare, "tsad.Main "));
  }

  private static List<Path> jars() throws java.io.IOException {
    try (var lib = Files.list(ROOT.resolve("mr-train/target/lib"))) {
      List<Path> all = new java.util.ArrayList<>(lib.filter(p -> p.toString().endsWith(".jar")).toList());
      all.add(ROOT.resolve("mr-train/target/tsad-mr-train.jar"));
      return all;
    }
  }

  private record Run(int rc, String err, List<String> loaded) {}

  private Run launch(String cds, String log) throws Exception {
    Run r = launch(cds, log, Map.of(), "--version");
    String out = Files.readString(dir.resolve(log + ".out"), StandardCharsets.UTF_8);
    assertTrue(out.startsWith("tsad "), "unexpected --version output: " + out);
    return r;
  }

  private Run launch(String cds, String log, Map<String, String> env, String... args) throws Exception {
    Path logFile = dir.resolve(log);
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("scripts/tsad").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(dir.resolve(log + ".err").toFile()).redirectOutput(dir.resolve(log + ".out").toFile());
    pb.environment().put("TSAD_CDS", cds);
    pb.environment().put("TSAD_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + logFile);
    pb.environment().remove("HADOOP_CONF_DIR");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "scripts/tsad " + String.join(" ", args) + " did not finish in 120 s");
    return new Run(p.exitValue(), Files.readString(dir.resolve(log + ".err"), StandardCharsets.UTF_8),
        Files.readAllLines(logFile, StandardCharsets.UTF_8));
  }

  /** The class-load log line of one class (its name followed by a space), which names where it came from. */
  private static String source(Run r, String classAndSpace) {
    return r.loaded.stream().filter(l -> l.contains(" " + classAndSpace)).findFirst()
        .orElse("no load line for " + classAndSpace.trim());
  }
}
