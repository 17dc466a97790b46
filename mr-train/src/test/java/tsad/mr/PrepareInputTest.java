package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.proto.DataSummary;

/**
 * The prepare job on the local job runner reads its input as the local reader does: the same files of a directory
 * (the others named in one warning), and the same rows rejected for bytes that are not UTF-8.
 */
class PrepareInputTest {
  @TempDir Path dir;

  @Test
  void aDirectoryIsReadAsTheLocalReaderReadsItAndWhatIsSkippedIsNamed() throws IOException {
    Path in = Files.createDirectories(dir.resolve("day"));
    StringBuilder a = new StringBuilder("slice_id,time,value\n");
    StringBuilder b = new StringBuilder("slice_id,time,value\n");
    for (int i = 0; i < 8; i++) {
      a.append("a,").append(i).append(',').append(i).append('\n');
      b.append("b,").append(i).append(',').append(i).append('\n');
    }
    Files.writeString(in.resolve("a.csv"), a);
    Files.writeString(in.resolve("B.CSV"), b);
    ByteArrayOutputStream latin = new ByteArrayOutputStream();
    latin.writeBytes("slice_id,time,value\nc,0,1\n".getBytes(StandardCharsets.UTF_8));
    latin.writeBytes(new byte[] {'d', 'e', 'v', (byte) 0xFF, ',', '1', ',', '1', '\n'});
    latin.writeBytes(new byte[] {'d', 'e', 'v', (byte) 0xFE, ',', '1', ',', '2', '\n'});
    Files.write(in.resolve("c.csv"), latin.toByteArray());
    Files.writeString(in.resolve("notes.txt"), "not data\n");
    Files.createDirectories(in.resolve("archive"));

    Path out = dir.resolve("prepared");
    MainTest.Run prepare = MainTest.tsad("prepare", "--input", in.toString(), "--output", out.toString(), "--window",
        "8");
    assertEquals(0, prepare.code(), prepare.err());
    assertTrue(prepare.err().contains("WARN PrepareJob - skipped 2 entries in " + in + " that are not *.csv / *.csv.gz files: archive/, notes.txt"), prepare.err());
    DataSummary mr = PreparedWindows.manifest(new org.apache.hadoop.fs.Path(out.toString()),
        new org.apache.hadoop.conf.Configuration()).getSummary();

    DataReport local = new DataReport();
    new CsvSeriesReader(CsvOptions.defaults()).read(List.of(in), local);
    assertEquals(19, local.rowsRead());
    assertEquals(local.rowsRead(), mr.getRowsRead(), "the same rows read: a.csv, B.CSV and c.csv");
    assertEquals(2, local.rowsRejected(RejectReason.INVALID_UTF8));
    assertEquals(Long.valueOf(2), mr.getRowsRejectedByReasonMap().get("invalid_utf8"));
    String quarantine;
    try (Stream<Path> files = Files.walk(out.resolve(MrReports.QUARANTINE))) {
      quarantine = String.join("", files.filter(p -> p.getFileName().toString().startsWith("part"))
          .map(p -> {
            try {
              return Files.readString(p);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList());
    }
    assertTrue(quarantine.contains("invalid_utf8\t") && quarantine.contains("\tdev\\xFF,1,1\n")
        && quarantine.contains("\tdev\\xFE,1,2\n"), quarantine);
  }
}
