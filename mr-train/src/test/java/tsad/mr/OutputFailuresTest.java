package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.core.io.TinyDisk;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;

/**
 * The MapReduce jobs' output on a read-only and on a full file system, both real: small tmpfs mounts ({@link TinyDisk};
 * the test needs root and fails without it). A read-only place is refused before any work; a full disk fails the job with
 * one line naming the file and the cause, the stack trace in a log file, and no output left to block a rerun.
 */
class OutputFailuresTest {
  @TempDir static Path dir;
  static TinyDisk readOnlyDisk;
  static TinyDisk fullDisk;
  static Path readOnly;
  static Path full;
  static Path prepared;
  static Path model;

  @BeforeAll
  static void mountsAndData() throws Exception {
    readOnlyDisk = TinyDisk.mount(dir.resolve("ro"), "64k");
    readOnlyDisk.readOnly();
    readOnly = readOnlyDisk.root();
    fullDisk = TinyDisk.mount(dir.resolve("full"), "16k");
    full = fullDisk.root();
    new SynthGenerator(new SynthConfig(120, 32, 1, 0.1, 8)).writeCsv(dir.resolve("synth"));
    prepared = dir.resolve("prepared");
    MainTest.Run prep = MainTest.tsad("prepare", "--input", dir.resolve("synth/test.csv").toString(), "--output",
        prepared.toString(), "--window", "32");
    assertEquals(0, prep.code(), prep.err());
    model = dir.resolve("model");
    MainTest.Run train = MainTest.tsad("train", "--prepared", prepared.toString(), "--model-out", model.toString(),
        "--epochs", "1", "--threads", "1", "--quiet");
    assertEquals(0, train.code(), train.err());
  }

  @AfterAll
  static void unmount() throws Exception {
    for (TinyDisk d : new TinyDisk[] {readOnlyDisk, fullDisk}) {
      if (d != null) {
        d.close();
      }
    }
  }

  @Test
  void aReadOnlyOutputIsRefusedBeforeAnyWork() {
    for (MainTest.Run r : List.of(
        MainTest.tsad("prepare", "--input", dir.resolve("synth/test.csv").toString(), "--output",
            readOnly.resolve("p").toString(), "--window", "32"),
        MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", prepared.toString(), "--output",
            readOnly.resolve("s").toString(), "--threads", "1"))) {
      assertEquals(1, r.code(), r.err());
      assertEquals("tsad: error: cannot create output " + readOnly.resolve(r.err().contains("/p:") ? "p" : "s") + ": "
          + readOnly + " is on a read-only file system", r.err().strip(), "one line, nothing before it");
    }
  }

  @Test
  void aFullDiskFailsTheJobWithOneLineNamingTheFileAndLeavesNothing() throws IOException {
    MainTest.Run prep = MainTest.tsad("prepare", "--input", dir.resolve("synth/test.csv").toString(), "--output",
        full.resolve("p").toString(), "--window", "32");
    oneLine(prep, "prepare job \\S+ failed: writing file:" + full.resolve("p") + "/\\S+: No space left on device");
    MainTest.Run score = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input",
        prepared.toString(), "--output", full.resolve("s").toString(), "--per", "row", "--threads", "1");
    oneLine(score, "score job \\S+ failed: writing file:" + full.resolve("s") + "/part-m-00000: No space left on device");
    try (var left = Files.list(full)) {
      assertEquals(List.of(), left.toList(), "a failed job leaves nothing that blocks a rerun");
    }
  }

  @Test
  void fullHadoopLocalDirectoriesAreOneLineNamingThem() throws Exception {
    // A disk with a little room (the job's files do not fit: Hadoop's FSError) and one with none left (Hadoop's
    // DiskErrorException: no usable local directory).
    for (boolean fill : new boolean[] {false, true}) {
      try (TinyDisk scratch = TinyDisk.mount(dir.resolve("scratch-" + fill), "16k")) {
        if (fill) {
          try (var o = Files.newOutputStream(scratch.root().resolve("filler"))) {
            for (int i = 0; i < 64; i++) {
              o.write(new byte[1024]);
            }
          } catch (IOException full) {
            // the disk is full now
          }
        }
        Path local = scratch.root().resolve("local");
        Path out = dir.resolve("p-scratch-" + fill);
        MainTest.Run prep = MainTest.tsad("prepare", "-D", "mapreduce.cluster.local.dir=" + local, "--input",
            dir.resolve("synth/test.csv").toString(), "--output", out.toString(), "--window", "32");
        assertEquals(1, prep.code(), prep.err());
        assertFalse(prep.err().contains("\tat "), prep.err());
        String last = prep.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("tsad: error: submitting the prepare job: ") && last.contains(" in Hadoop's local "
            + "directories (" + local + ", mapreduce.cluster.local.dir under hadoop.tmp.dir: free space there, or "
            + "point them elsewhere with -D)"), prep.err());
        assertTrue(Files.notExists(out), "nothing left that blocks a rerun");
      }
    }
  }

  /** Exit 1; the error line matches, names its stack-trace file (which has the trace); no stack on the terminal. */
  private static void oneLine(MainTest.Run r, String error) throws IOException {
    assertEquals(1, r.code(), r.err());
    assertFalse(r.err().contains("\tat "), "a stack trace on the terminal: " + r.err());
    var m = Pattern.compile("(?m)^tsad: error: " + error + " \\(stack trace: (\\S+)\\)$").matcher(r.err());
    assertTrue(m.find(), r.err());
    assertTrue(Files.readString(Path.of(m.group(1))).contains("\tat "), m.group(1));
  }
}
