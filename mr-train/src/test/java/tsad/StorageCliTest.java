package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.io.TinyDisk;

/**
 * Full disks and read-only file systems (a small tmpfs, see {@link TinyDisk}): every write tsad makes is one line
 * with exit 1 that names the file and the system's reason, and leaves no truncated file that looks complete.
 */
class StorageCliTest {
  @TempDir static Path dir;
  static Path train;
  static Path model;

  @BeforeAll
  static void trainSmallModel() {
    Path data = dir.resolve("data");
    MainTest.Run synth = MainTest.tsad("synth", "--out", data.toString(), "--slices", "100", "--length", "32",
        "--seed", "4");
    assertEquals(0, synth.code(), synth.err());
    train = data.resolve("train.csv");
    model = dir.resolve("model");
    MainTest.Run run = MainTest.tsad("train", "--input", train.toString(), "--model-out", model.toString(),
        "--window", "32", "--epochs", "2", "--threads", "1", "--quiet");
    assertEquals(0, run.code(), run.err());
  }

  @Test
  void trainingOntoAFullDiskIsOneLineAndLeavesNoModel() throws Exception {
    try (TinyDisk disk = TinyDisk.mount(dir.resolve("full-train"), "64k")) {
      disk.fill();
      Path out = disk.root().resolve("model");
      MainTest.Run run = MainTest.tsad("train", "--input", train.toString(), "--model-out", out.toString(),
          "--window", "32", "--epochs", "2", "--threads", "1", "--quiet");
      assertOneLine(run, "cannot write checkpoint in " + out.resolve(".checkpoint") + ": No space left on device");
      assertEquals(List.of(), files(out), "nothing written under the model directory");
    }
  }

  @Test
  void scoringOntoAFullDiskIsOneLineAndLeavesNoOutput() throws Exception {
    try (TinyDisk disk = TinyDisk.mount(dir.resolve("full-score"), "64k")) {
      disk.fill();
      Path out = disk.root().resolve("scores.jsonl");
      MainTest.Run run = MainTest.tsad("score", "--model", model.toString(), "--input", train.toString(),
          "--per", "row", "--output", out.toString(), "--threads", "1");
      assertOneLine(run, "cannot write --output " + out + ": No space left on device");
      assertEquals(List.of(disk.root().resolve("filler")), files(disk.root()), "no partial output left");
    }
  }

  @Test
  void rejectsOntoAFullDiskIsOneLineAndLeavesNoPartialFile() throws Exception {
    StringBuilder csv = new StringBuilder("slice_id,time,value\n");
    for (int i = 0; i < 3000; i++) {
      csv.append("s").append(i).append(",0,not-a-number-at-all\n");
    }
    Path bad = Files.writeString(dir.resolve("bad.csv"), csv);
    try (TinyDisk disk = TinyDisk.mount(dir.resolve("full-rejects"), "64k")) {
      disk.fill();
      Path rejects = disk.root().resolve("rejects.jsonl");
      MainTest.Run run = MainTest.tsad("score", "--model", model.toString(), "--input", bad.toString(),
          "--output", dir.resolve("unused.jsonl").toString(), "--rejects", rejects.toString(), "--threads", "1");
      assertOneLine(run, "cannot write --rejects file " + rejects + ": No space left on device");
      assertEquals(List.of(disk.root().resolve("filler")), files(disk.root()), "no partial rejects file left");
    }
  }

  @Test
  void aReadOnlyFileSystemIsRefusedBeforeAnyWork() throws Exception {
    try (TinyDisk disk = TinyDisk.mount(dir.resolve("read-only"), "64k")) {
      disk.readOnly();
      Path out = disk.root().resolve("scores.jsonl");
      MainTest.Run run = MainTest.tsad("score", "--model", model.toString(), "--input", train.toString(),
          "--output", out.toString(), "--threads", "1");
      assertOneLine(run, "cannot write --output " + out + ": Read-only file system");
      assertFalse(run.err().contains("windows"), "refused before reading the input: " + run.err());
      Path bundle = disk.root().resolve("model");
      run = MainTest.tsad("train", "--input", train.toString(), "--model-out", bundle.toString(), "--window", "32",
          "--epochs", "1", "--threads", "1", "--quiet");
      assertOneLine(run, "cannot write --model-out " + bundle + ": Read-only file system");
    }
  }

  private static void assertOneLine(MainTest.Run run, String message) {
    assertEquals(1, run.code(), run.err());
    List<String> errors = run.err().lines().filter(l -> l.startsWith("tsad: ")).toList();
    assertEquals(List.of("tsad: error: " + message), errors, run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
