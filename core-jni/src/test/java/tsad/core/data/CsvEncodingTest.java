package tsad.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.io.FileTrees;

/**
 * Input is read as written: bytes that are not UTF-8 reject their row (never replaced, which could merge two slice
 * ids), line ends are the usual three, and a directory input says which of its entries it does not read.
 */
class CsvEncodingTest {
  @TempDir Path dir;

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) p);
      }
    }
    return out.toByteArray();
  }

  @Test
  void idsThatDifferOnlyInBytesThatAreNotUtf8AreRejectedNotMerged() throws IOException {
    // "dev\xFF" and "dev\xFE" both decode to "dev\uFFFD" with replacement: one slice of two devices' rows.
    Path p = dir.resolve("latin.csv");
    Files.write(p, bytes("slice_id,time,value\n", "dev", 0xFF, ",1,1\n", "dev", 0xFE, ",1,2\n",
        "caf\u00e9,1,3\n", "caf\u00e9,2,4\n", "lit\uFFFD,1,5\n"));
    List<String> quarantined = new ArrayList<>();
    DataReport r = new DataReport((where, reason, detail, record) ->
        quarantined.add(reason.label() + "|" + where + "|" + detail + "|" + record));
    List<Series> s = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(p), r);
    assertEquals(List.of("caf\u00e9", "lit\uFFFD"), s.stream().map(Series::id).toList(),
        "valid UTF-8 (an accent, U+FFFD written as its own bytes) is read; the two invalid rows are not a slice");
    assertEquals(5, r.rowsRead());
    assertEquals(2, r.rowsRejected(RejectReason.INVALID_UTF8));
    assertEquals(List.of(
        "invalid_utf8|" + p + ":2|byte 4 (0xFF) is not UTF-8; " + Utf8.ADVICE + "|dev\\xFF,1,1",
        "invalid_utf8|" + p + ":3|byte 4 (0xFE) is not UTF-8; " + Utf8.ADVICE + "|dev\\xFE,1,2"), quarantined);
    assertTrue(r.format().contains("invalid_utf8: 2"), r.format());
  }

  @Test
  void strictModeStopsAtTheFirstLineThatIsNotUtf8AndAHeaderThatIsNotIsAnError() throws IOException {
    Path p = dir.resolve("bad.csv");
    Files.write(p, bytes("slice_id,time,value\n", "a,1,1\n", "b", 0xC3, ",2,2\n"));
    assertThrowsWith(DataException.class, p + ":3: invalid_utf8: byte 2 (0xC3) is not UTF-8",
        () -> new CsvSeriesReader(CsvOptions.defaults().withStrict(true)).read(List.of(p), new DataReport()));
    Path h = dir.resolve("header.csv");
    Files.write(h, bytes("slice_id,time,temp", 0xB0, "C\n", "a,1,1\n"));
    assertThrowsWith(DataException.class, h + ": header: byte 19 (0xB0) is not UTF-8: slice_id,time,temp\\xB0C",
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(h), new DataReport()));
  }

  @Test
  void utf8DecodingIsStrictAndEscapesWhatItCannotRead() {
    byte[] ok = bytes("a\u00e9\u20ac\uD83D\uDE00");
    assertEquals("a\u00e9\u20ac\uD83D\uDE00", Utf8.decode(ok, 0, ok.length));
    assertEquals(-1, Utf8.firstInvalid(ok, 0, ok.length));
    byte[] truncated = bytes("x", 0xE2, 0x82);             // the first two bytes of the euro sign
    assertNull(Utf8.decode(truncated, 0, truncated.length));
    assertEquals("x\\xE2\\x82", Utf8.escaped(truncated, 0, truncated.length));
    byte[] surrogate = bytes(0xED, 0xA0, 0x80, "y");      // an encoded surrogate (CESU-8) is not UTF-8
    assertNull(Utf8.decode(surrogate, 0, surrogate.length));
    byte[] inside = bytes("ab", 0xFF, "cd");
    assertEquals("b", Utf8.decode(inside, 1, 1), "offsets and lengths are honoured");
    assertEquals(1, Utf8.firstInvalid(inside, 1, 3));
  }

  @Test
  void linesEndAtLfCrLfOrCrAndTheLastNeedsNoEnd() throws IOException {
    byte[] in = bytes("a\nb\r\nc\rd\r\n\r\ne");
    List<String> lines = new ArrayList<>();
    try (CsvLines l = new CsvLines(new ByteArrayInputStream(in))) {
      while (l.next()) {
        lines.add(new String(l.bytes(), 0, l.length(), StandardCharsets.UTF_8));
      }
    }
    assertEquals(List.of("a", "b", "c", "d", "", "e"), lines);
    // A line longer than the read buffer, and a CR LF split across two reads.
    String longLine = "x".repeat((1 << 16) - 1);
    lines.clear();
    try (CsvLines l = new CsvLines(new ByteArrayInputStream(bytes(longLine, "\r\nnext\n")))) {
      while (l.next()) {
        lines.add(new String(l.bytes(), 0, l.length(), StandardCharsets.UTF_8));
      }
    }
    assertEquals(List.of(longLine, "next"), lines);
  }

  @Test
  void aDirectoryReadsCsvFilesInAnyCaseAndNamesWhatItSkips() throws IOException {
    Path d = Files.createDirectory(dir.resolve("day"));
    Files.writeString(d.resolve("a.csv"), "slice_id,time,value\na,1,1\n");
    Files.writeString(d.resolve("B.CSV"), "slice_id,time,value\nb,1,1\n");
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(d.resolve("c.Csv.gz")))) {
      gz.write("slice_id,time,value\nc,1,1\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(d.resolve("notes.txt"), "not data");
    Files.writeString(d.resolve("_SUCCESS"), "");
    Files.writeString(d.resolve("d.CSV.GZ"), "");
    Files.createDirectory(d.resolve("older.csv"));
    assertEquals(List.of(d.resolve("B.CSV"), d.resolve("a.csv"), d.resolve("c.Csv.gz")),
        CsvSeriesReader.expand(List.of(d)));
    List<Series> s = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(d), new DataReport());
    assertEquals(List.of("b", "a", "c"), s.stream().map(Series::id).toList());
    assertEquals("skipped 4 entries in " + d + " that are not *.csv / *.csv.gz files: _SUCCESS, d.CSV.GZ, "
        + "notes.txt, older.csv/", FileTrees.skippedLine(d.toString(), List.of("notes.txt", "older.csv/", "_SUCCESS",
        "d.CSV.GZ")));
    assertNull(FileTrees.skippedLine(d.toString(), List.of()));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      many.add("f" + (char) ('a' + i) + ".txt");
    }
    assertTrue(FileTrees.skippedLine("D", many).endsWith("fi.txt, fj.txt, and 2 more"), FileTrees.skippedLine("D",
        many));
    assertFalse(FileTrees.isCsvName(".a.csv"));
    assertFalse(FileTrees.isCsvName("a.csv.crc"));
    Path none = Files.createDirectory(dir.resolve("none"));
    Files.writeString(none.resolve("x.tsv"), "");
    assertThrowsWith(DataException.class, "directory " + none + " holds no .csv or .csv.gz files (skipped 1 entry in "
        + none + " that is not a *.csv / *.csv.gz file: x.tsv)",
        () -> CsvSeriesReader.expand(List.of(none)));
  }
}
