package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataReport;
import tsad.core.window.Inputs;

/** The command line as a user runs it: exit codes, one-line errors, and the synth-train-score path. */
public class MainTest {
  @TempDir static Path dir;
  static Path data;
  static Path model;

  /** Output of one CLI run. */
  public record Run(int code, String out, String err) {}

  public static Run tsad(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /**
   * Starts tsad in a JVM of its own (this test's class path, one BLAS thread), stdout and stderr to {@code log}: for
   * tests that signal it or run several at once.
   */
  public static Process child(List<String> args, Path log) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), "tsad.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    return pb.start();
  }

  @BeforeAll
  static void trainSmallModel() {
    data = dir.resolve("data");
    model = dir.resolve("model");
    Run synth = tsad("synth", "--out", data.toString(), "--slices", "300", "--length", "32", "--seed", "3");
    assertEquals(0, synth.code(), synth.err());
    Run train = tsad("train", "--input", data.resolve("train.csv").toString(), "--model-out", model.toString(),
        "--window", "32", "--epochs", "5", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("threshold: p99 = "), train.out());
    assertTrue(train.err().contains("rows:   9600 read, 9600 used, 0 rejected"), train.err());
  }

  @Test
  void helpListsEveryCommandAndOption() {
    Run help = tsad("--help");
    assertEquals(0, help.code());
    for (String cmd : List.of("synth", "train", "score", "evaluate", "bench")) {
      assertTrue(help.out().contains(cmd), help.out());
    }
    Run train = tsad("train", "--help");
    for (String opt : List.of("--arch", "--window", "--stride", "--mode", "--epochs", "--batch-size", "--lr",
        "--patience", "--threshold", "--seed", "--device", "--threads", "--resume", "--length-policy", "--strict",
        "--rejects")) {
      assertTrue(train.out().contains(opt), opt + " missing from train --help");
    }
  }

  /** A command that runs out of heap (as a large CSV in a small JVM does; see docs/benchmarks.md, "Memory"). */
  @picocli.CommandLine.Command(name = "big")
  static final class Big implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("GC overhead limit exceeded");
    }
  }

  @Test
  void runningOutOfHeapIsAOneLineErrorWithAdvice() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.execute(new picocli.CommandLine(new Big()));
    } finally {
      System.setErr(oldErr);
    }
    assertEquals(Main.EXIT_USER_ERROR, code);
    assertEquals("tsad: error: out of memory (GC overhead limit exceeded): this input needs more heap than the JVM "
        + "has; give it more with TSAD_JAVA_OPTS=-Xmx8g (scripts/tsad's default is -Xmx4g), or use the MapReduce jobs "
        + "(tsad prepare, tsad score --mapreduce), which stream their input\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingClassIsNotBlamedOnLibtorch() {
    String other = Main.linkFailure(new NoClassDefFoundError("com/fasterxml/jackson/core/JsonProcessingException"));
    assertEquals("a class is missing from the class path: com.fasterxml.jackson.core.JsonProcessingException (a "
        + "library tsad needs is absent, or an older version of it comes first on the class path)", other);
    String torch = Main.linkFailure(new NoClassDefFoundError("Could not initialize class "
        + "org.bytedeco.pytorch.global.torch"));
    assertTrue(torch.startsWith("cannot load libtorch: ") || torch.contains("-Dgpu"), torch);
    String lib = Main.linkFailure(new UnsatisfiedLinkError("libtorch_cpu.so: cannot open shared object file"));
    assertTrue(lib.contains("libtorch_cpu.so"), lib);
  }

  @Test
  void scoreWritesOneJsonLinePerSliceWithTheBundleNumbers() throws IOException {
    Path out = dir.resolve("scores.jsonl");
    Run score = tsad("score", "--model", model.toString(), "--input", data.resolve("test.csv").toString(),
        "--output", out.toString(), "--threads", "1");
    assertEquals(0, score.code(), score.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(300, lines.size());
    assertTrue(lines.get(0).matches("\\{\"slice_id\":\"test-000001\",\"score\":[0-9.eE-]+,\"threshold\":[0-9.eE-]+,"
        + "\"is_anomaly\":(true|false),\"model\":\"bundle\",\"version\":\"sha256:[0-9a-f]{12}\"}"), lines.get(0));
    assertTrue(score.err().contains("scored 300 slices"), score.err());
    // The same numbers as the library path, to the last bit.
    ModelBundle b = ModelBundle.load(model);
    var windows = Inputs.read(List.of(data.resolve("test.csv")), Inputs.csvOptions(b.dataSpec(), false),
        Inputs.windowSpec(b.dataSpec()), new DataReport()).windows();
    double first = b.newScorer().scores(windows, 256)[0];
    assertTrue(lines.get(0).contains("\"score\":" + first + ","), lines.get(0) + " vs " + first);

    Run eval = tsad("evaluate", "--scores", out.toString(), "--labels", data.resolve("labels.csv").toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("AUC-ROC: "), eval.out());
  }

  @Test
  void detailAddsStepErrorsAndFeatureShares() throws IOException {
    Path out = dir.resolve("detail.jsonl");
    Run score = tsad("score", "--model", model.toString(), "--input", data.resolve("test.csv").toString(),
        "--output", out.toString(), "--detail");
    assertEquals(0, score.code(), score.err());
    String first = Files.readAllLines(out).get(0);
    assertTrue(first.contains("\"step_errors\":[") && first.contains("\"feature_share\":{\"value\":1.0}"), first);
  }

  @Test
  void badInputGivesOneLineErrorsAndExitCodeOne() throws IOException {
    Run missing = tsad("train", "--input", dir.resolve("nope.csv").toString(), "--model-out", dir.resolve("m").toString());
    assertEquals(1, missing.code());
    assertEquals("tsad: error: input " + dir.resolve("nope.csv") + " does not exist", missing.err().strip());

    Path odd = dir.resolve("odd.csv");
    Files.writeString(odd, "device,ts,temp\nd,1,2\n");
    Run column = tsad("train", "--input", odd.toString(), "--model-out", dir.resolve("m").toString());
    assertEquals(1, column.code());
    assertTrue(column.err().contains("'slice_id' not found") && column.err().strip().lines().count() == 1,
        column.err());

    Run cuda = tsad("train", "--input", data.resolve("train.csv").toString(), "--model-out",
        dir.resolve("m").toString(), "--window", "32", "--device", "cuda", "--quiet");
    assertEquals(1, cuda.code());
    assertTrue(cuda.err().contains("no CUDA device"), cuda.err());

    Run usage = tsad("train", "--input", "x.csv", "--model-out", "m", "--bogus");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("Unknown option"), usage.err());

    Run notModel = tsad("score", "--model", dir.toString(), "--input", data.resolve("test.csv").toString());
    assertEquals(1, notModel.code());
    assertTrue(notModel.err().contains("not a tsad model bundle"), notModel.err());
  }

  @Test
  void lenientReadingQuarantinesBadRowsAndShortSlices() throws IOException {
    Path bad = dir.resolve("bad.csv");
    List<String> rows = new java.util.ArrayList<>(Files.readAllLines(data.resolve("test.csv")).subList(0, 65));
    rows.add("test-000002,2026-01-01T01:00:00Z,NaN");
    rows.add("short,2026-01-01T00:00:00Z,1.0");
    Files.write(bad, rows);
    Path rejects = dir.resolve("rejects.jsonl");
    Path out = dir.resolve("bad-scores.jsonl");
    Run score = tsad("score", "--model", model.toString(), "--input", bad.toString(), "--output", out.toString(),
        "--rejects", rejects.toString());
    assertEquals(0, score.code(), score.err());
    assertTrue(score.err().contains("non_finite: 1") && score.err().contains("too_short: 1"), score.err());
    List<String> q = Files.readAllLines(rejects);
    assertTrue(q.stream().anyMatch(l -> l.contains("\"reason\":\"non_finite\"")), q.toString());
    assertTrue(q.stream().anyMatch(l -> l.contains("\"reason\":\"too_short\"")), q.toString());
    assertEquals(2, Files.readAllLines(out).size(), "test-000001 (32 rows) and test-000002 (32 rows) scored");

    Run strict = tsad("score", "--model", model.toString(), "--input", bad.toString(), "--output", out.toString(),
        "--strict");
    assertEquals(1, strict.code());
    assertTrue(strict.err().contains("bad.csv:66: non_finite"), strict.err());
  }

  /** Failures outside tsad get one line and exit 1; tsad's own get a stack trace (exit 3). */
  @Test
  void aClusterThatDoesNotAnswerOrAPathThatIsNotAllowedIsOneLine() {
    Exception down = new java.io.IOException("submitting", new java.net.ConnectException(
        "Call From vm/127.0.0.1 to localhost:1 failed on connection exception"));
    org.junit.jupiter.api.Assertions.assertTrue(Main.environmentError(down).startsWith(
        "Call From vm/127.0.0.1 to localhost:1 failed on connection exception (is the cluster up?"));
    org.junit.jupiter.api.Assertions.assertEquals("permission denied: user x may not write /data",
        Main.environmentError(new org.apache.hadoop.security.AccessControlException("user x may not write /data")));
    org.junit.jupiter.api.Assertions.assertNull(Main.environmentError(new IllegalStateException("a bug")));
  }
}
