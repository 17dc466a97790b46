package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.core.data.DataException;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.proto.PreparedData;

/**
 * What the bad-input corpus cannot show through the CLI: a report resealed after a change (its record counts and
 * digests still hold the reader to the parts), a part swapped for another day's of the same length (the score job,
 * which reads parts in splits, checks the sum of their records' hashes), a directory from a tsad that kept no part
 * list, and the report's own record of what the job wrote.
 */
class PreparedDirTest {
  @TempDir static Path dir;
  static Path prepared;

  @BeforeAll
  static void prepare() throws IOException {
    new SynthGenerator(new SynthConfig(40, 32, 1, 0.1, 3)).writeCsv(dir.resolve("synth"));
    prepared = dir.resolve("prep");
    MainTest.Run r = MainTest.tsad("prepare", "--input", dir.resolve("synth/train.csv").toString(), "--output",
        prepared.toString(), "--window", "32", "--reducers", "2");
    assertEquals(0, r.code(), r.err());
  }

  /** A copy of the prepared directory whose report is {@code edit} of the original, sealed anew. */
  private static Path resealed(String name, java.util.function.UnaryOperator<PreparedData.Builder> edit)
      throws IOException {
    Path copy = dir.resolve(name);
    try (var files = Files.list(prepared)) {
      Files.createDirectories(copy);
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith("._tsad_prepared")) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
    }
    PreparedData d = PreparedData.parseFrom(Files.readAllBytes(prepared.resolve(PrepareJob.MANIFEST)));
    Files.delete(copy.resolve(PrepareJob.MANIFEST));
    Files.delete(copy.resolve(PreparedDir.SEAL));
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(copy.toUri());
    PreparedDir.write(FileSystem.get(out.toUri(), conf), out, edit.apply(d.toBuilder()).build());
    return copy;
  }

  @Test
  void theReportListsEveryPartWithItsLengthRecordsAndDigest() throws IOException {
    PreparedData d = PreparedData.parseFrom(Files.readAllBytes(prepared.resolve(PrepareJob.MANIFEST)));
    assertEquals(2, d.getPartsCount(), d.toString());
    long records = 0;
    for (var p : d.getPartsList()) {
      assertEquals(Files.size(prepared.resolve(p.getName())), p.getBytes(), p.getName());
      assertTrue(tsad.core.io.Sha256Sums.isSha256(p.getSha256()), p.toString());
      assertEquals(hashSum(prepared.resolve(p.getName())), p.getRecordHashSum(), p.getName());
      records += p.getRecords();
    }
    assertEquals(d.getSummary().getSlicesUsed(), records);
    assertEquals(d.getSummary().getWindows(), PreparedWindows.load(prepared.toString()).windows().size());
  }

  @Test
  void aResealedReportStillHoldsTheReaderToThePartsRecords() throws IOException {
    Path fewer = resealed("fewer", b -> {
      b.setParts(0, b.getParts(0).toBuilder().setRecords(b.getParts(0).getRecords() - 1));
      return b;
    });
    DataException e = assertThrows(DataException.class, () -> PreparedWindows.load(fewer.toString()));
    assertTrue(e.getMessage().matches("prepared data \\S+fewer has been changed: part-r-00000 holds \\d+ records, its "
        + "report says \\d+; run tsad prepare again"), e.getMessage());

    Path other = resealed("other", b -> {
      b.setParts(1, b.getParts(1).toBuilder().setSha256("0".repeat(64)));
      return b;
    });
    e = assertThrows(DataException.class, () -> PreparedWindows.load(other.toString()));
    assertTrue(e.getMessage().contains("part-r-00001 holds other records than tsad prepare wrote (expected sha256 "
        + "0000"), e.getMessage());
  }

  /** The sum of the record hashes of a part, read back with Hadoop's own SequenceFile reader. */
  private static long hashSum(Path part) throws IOException {
    PreparedDir.Digest d = new PreparedDir.Digest();
    long sum = 0;
    try (var r = new org.apache.hadoop.io.SequenceFile.Reader(new Configuration(),
        org.apache.hadoop.io.SequenceFile.Reader.file(new org.apache.hadoop.fs.Path(part.toUri())))) {
      var key = new org.apache.hadoop.io.Text();
      var value = new org.apache.hadoop.io.BytesWritable();
      while (r.next(key, value)) {
        sum += d.hash(key, value);
      }
    }
    return sum;
  }

  @Test
  void theScoreJobRefusesAPartSwappedForAnotherOfTheSameLength() throws IOException {
    // Another day of the same fleet: as many slices of as many steps, so its parts have the same lengths.
    new SynthGenerator(new SynthConfig(40, 32, 1, 0.1, 4)).writeCsv(dir.resolve("synth-other"));
    Path other = dir.resolve("prep-other");
    MainTest.Run r = MainTest.tsad("prepare", "--input", dir.resolve("synth-other/train.csv").toString(), "--output",
        other.toString(), "--window", "32", "--reducers", "2");
    assertEquals(0, r.code(), r.err());
    Path swapped = dir.resolve("swapped");
    Files.createDirectories(swapped);
    try (var files = Files.list(prepared)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, swapped.resolve(f.getFileName()));
      }
    }
    for (String name : new String[] {"part-r-00000", ".part-r-00000.crc"}) {
      Files.copy(other.resolve(name), swapped.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertEquals(Files.size(prepared.resolve("part-r-00000")), Files.size(swapped.resolve("part-r-00000")));
    Path model = dir.resolve("swap-model");
    r = MainTest.tsad("train", "--prepared", prepared.toString(), "--model-out", model.toString(), "--epochs", "1",
        "--threads", "1", "--quiet");
    assertEquals(0, r.code(), r.err());
    r = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", prepared.toString(),
        "--output", dir.resolve("scores").toString());
    assertEquals(0, r.code(), r.err());

    Path out = dir.resolve("scores-swapped");
    r = MainTest.tsad("score", "--mapreduce", "--model", model.toString(), "--input", swapped.toString(),
        "--output", out.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("prepared data " + swapped + " has been changed: its parts hold other records than "
        + "tsad prepare wrote (a part replaced by another of the same length?); run tsad prepare again"), r.err());
    assertTrue(Files.notExists(out), "no scores of other data left behind");
  }

  @Test
  void aDirectoryFromATsadThatKeptNoPartListIsRefusedWithAdvice() throws IOException {
    Path old = resealed("old", PreparedData.Builder::clearParts);
    Files.delete(old.resolve(PreparedDir.SEAL));
    MainTest.Run r = MainTest.tsad("train", "--prepared", old.toString(), "--model-out", dir.resolve("m").toString(),
        "--threads", "1", "--quiet");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("was prepared by an older tsad (no record of its part files, so a lost or cut part "
        + "cannot be noticed); run tsad prepare again on its input"), r.err());
    assertTrue(Files.notExists(dir.resolve("m")));
  }
}
