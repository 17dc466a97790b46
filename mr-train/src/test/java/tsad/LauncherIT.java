package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code scripts/tsad} as users run it, after the package phase: it dumps the class-data archive for the
 * build on its first run and its JVMs then map tsad's classes from that archive; {@code TSAD_CDS=off} runs without.
 * The JVM silently ignores an archive that does not match its class path, so only this shows the archive in use.
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

  private record Run(int rc, String err, List<String> loaded) {}

  private Run launch(String cds, String log) throws Exception {
    Path logFile = dir.resolve(log);
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/tsad").toString(), "--version")
        .redirectError(dir.resolve(log + ".err").toFile()).redirectOutput(dir.resolve(log + ".out").toFile());
    pb.environment().put("TSAD_CDS", cds);
    pb.environment().put("TSAD_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + logFile);
    pb.environment().remove("HADOOP_CONF_DIR");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "scripts/tsad --version did not finish in 120 s");
    String out = Files.readString(dir.resolve(log + ".out"), StandardCharsets.UTF_8);
    assertTrue(out.startsWith("tsad "), "unexpected --version output: " + out);
    return new Run(p.exitValue(), Files.readString(dir.resolve(log + ".err"), StandardCharsets.UTF_8),
        Files.readAllLines(logFile, StandardCharsets.UTF_8));
  }

  /** The class-load log line of one class (its name followed by a space), which names where it came from. */
  private static String source(Run r, String classAndSpace) {
    return r.loaded.stream().filter(l -> l.contains(" " + classAndSpace)).findFirst()
        .orElse("no load line for " + classAndSpace.trim());
  }
}
