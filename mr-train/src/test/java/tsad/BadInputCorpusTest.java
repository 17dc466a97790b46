package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: every case under {@code src/test/resources/bad-input/} is one user mistake or bad input run
 * through the command line, with the exit code and one-line message it must give and what it must (not) leave behind.
 *
 * <p>A case is a folder with a {@code case.txt} and the input files it names. {@code case.txt} lines (# comments):
 * <ul>
 *   <li>{@code run: ARGS} the tsad command line, split on spaces; several {@code run:} lines run in order, and the
 *       check lines below a run apply to it (checked before the next run starts);</li>
 *   <li>{@code exit: N} the expected exit code of the run;</li>
 *   <li>{@code stderr: REGEX} / {@code stdout: REGEX} a pattern that must be found;</li>
 *   <li>{@code lacks: REGEX} a pattern that neither standard output nor standard error may hold (a secret);</li>
 *   <li>{@code no-stack-trace} standard error must hold no "\tat " frame (default for exit codes other than 3);</li>
 *   <li>{@code exists: PATH} / {@code absent: PATH} a file that must or must not be there afterwards;</li>
 *   <li>{@code absent-glob: DIR/GLOB} no file in DIR may match GLOB afterwards (a name with a random part);</li>
 *   <li>{@code contains: PATH REGEX} a file whose text must hold the pattern;</li>
 *   <li>{@code copy: FROM TO}, {@code delete: PATH}, {@code flip: PATH OFFSET} (the lowest bit of that byte),
 *       {@code truncate: PATH BYTES} (the first BYTES kept) and
 *       {@code proto-edit: PATH MESSAGE FROM => TO} (the protobuf file re-encoded with the first FROM in its text
 *       format replaced by TO; MESSAGE is its class, e.g. {@code tsad.proto.BundleManifest}) change files between
 *       runs, where they stand; a shared model is copied to {@code ${tmp}} before it is changed.</li>
 * </ul>
 * In ARGS and paths, {@code ${case}} is the case folder, {@code ${tmp}} a fresh directory per case, and
 * {@code ${model}} / {@code ${window-model}} small bundles trained once (slice mode T=32; window mode T=16 stride 4)
 * on {@code ${train}} / {@code ${window-train}}.
 */
public class BadInputCorpusTest {
  @TempDir static Path dir;
  static Path slices;
  static Path model;
  static Path windowTrain;
  static Path windowModel;

  @BeforeAll
  static void trainModels() throws IOException {
    Path data = dir.resolve("data");
    MainTest.Run synth = MainTest.tsad("synth", "--out", data.toString(), "--slices", "200", "--length", "32",
        "--seed", "5");
    assertEquals(0, synth.code(), synth.err());
    slices = data.resolve("train.csv");
    model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--input", slices.toString(), "--model-out", model.toString(),
        "--window", "32", "--epochs", "3", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
    windowTrain = dir.resolve("window-train.csv");
    StringBuilder csv = new StringBuilder("slice_id,time,value\n");
    for (int i = 0; i < 400; i++) {
      csv.append("s1,").append(i).append(',').append(Math.sin(i / 5.0)).append('\n');
    }
    Files.writeString(windowTrain, csv);
    windowModel = dir.resolve("window-model");
    train = MainTest.tsad("train", "--input", windowTrain.toString(), "--model-out", windowModel.toString(),
        "--mode", "window", "--window", "16", "--stride", "4", "--epochs", "3", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
  }

  @TestFactory
  Stream<DynamicTest> everyCase() throws Exception {
    java.net.URL url = BadInputCorpusTest.class.getResource("/bad-input");
    assertTrue(url != null, "no bad-input corpus on the test class path");
    Path root = Path.of(url.toURI());
    List<Path> cases;
    try (Stream<Path> s = Files.list(root)) {
      cases = s.filter(p -> Files.isRegularFile(p.resolve("case.txt"))).sorted().toList();
    }
    assertFalse(cases.isEmpty(), "the corpus at " + root + " is empty");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> runCase(c)));
  }

  private void runCase(Path folder) throws IOException {
    Path tmp = Files.createTempDirectory(dir, folder.getFileName().toString());
    List<String> lines = Files.readAllLines(folder.resolve("case.txt"), StandardCharsets.UTF_8);
    MainTest.Run last = null;
    List<String> checks = new ArrayList<>();
    for (String raw : lines) {
      String line = expand(raw.strip(), folder, tmp);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("run:")) {
        if (!checks.isEmpty()) {
          check(folder, last, checks);
          checks.clear();
        }
        last = MainTest.tsad(line.substring(4).strip().split(" +"));
      } else if (CaseFiles.change(line)) {
        continue;
      } else {
        assertTrue(last != null, folder + ": a check before any run: line: " + line);
        checks.add(line);
      }
    }
    assertTrue(last != null, folder + ": no run: line");
    check(folder, last, checks);
  }

  /** Checks one run's outcome against the check lines that follow its run: line. */
  private static void check(Path folder, MainTest.Run last, List<String> checks) throws IOException {
    String what = folder.getFileName() + " (exit " + last.code() + ")\nstderr: " + last.err() + "\nstdout: "
        + last.out();
    boolean stackAllowed = false;
    for (String check : checks) {
      int colon = check.indexOf(':');
      String key = colon < 0 ? check : check.substring(0, colon);
      String value = colon < 0 ? "" : check.substring(colon + 1).strip();
      switch (key) {
        case "exit" -> {
          assertEquals(Integer.parseInt(value), last.code(), what);
          stackAllowed = value.equals("3");
        }
        case "stderr" -> assertTrue(Pattern.compile(value).matcher(last.err()).find(), "stderr lacks /" + value
            + "/ in " + what);
        case "stdout" -> assertTrue(Pattern.compile(value).matcher(last.out()).find(), "stdout lacks /" + value
            + "/ in " + what);
        case "lacks" -> assertFalse(Pattern.compile(value).matcher(last.err() + "\n" + last.out()).find(), "/"
            + value + "/ printed by " + what);
        case "no-stack-trace" -> { }
        case "exists" -> assertTrue(Files.exists(Path.of(value)), value + " missing after " + what);
        case "absent" -> assertFalse(Files.exists(Path.of(value)), value + " left behind by " + what);
        case "absent-glob" -> {
          Path glob = Path.of(value);
          try (var left = Files.newDirectoryStream(glob.getParent(), glob.getFileName().toString())) {
            assertFalse(left.iterator().hasNext(), value + " left behind by " + what);
          }
        }
        case "contains" -> {
          int space = value.indexOf(' ');
          Path file = Path.of(value.substring(0, space));
          String regex = value.substring(space + 1);
          assertTrue(Pattern.compile(regex).matcher(Files.readString(file)).find(), file + " lacks /" + regex
              + "/ after " + what);
        }
        default -> throw new AssertionError(folder + ": unknown line '" + check + "'");
      }
    }
    if (!stackAllowed) {
      assertFalse(last.err().contains("\tat "), "stack trace for a user's mistake in " + what);
    }
  }

  private static String expand(String line, Path folder, Path tmp) {
    return line.replace("${case}", folder.toAbsolutePath().toString())
        .replace("${tmp}", tmp.toString())
        .replace("${window-model}", windowModel.toString())
        .replace("${window-train}", windowTrain.toString())
        .replace("${model}", model.toString())
        .replace("${train}", slices.toString());
  }
}
