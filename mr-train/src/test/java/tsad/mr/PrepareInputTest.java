package tsad.mr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import tsad.core.data.Series;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.DataSummary;
import tsad.proto.GapPolicy;

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

  /**
   * A series with a 5-hour hole in 1-minute data: prepare (the reducer's windows and counts), the readers' cutter
   * and the local reader give the same windows, none across the hole, and the prepared spec records the policy;
   * a model's reject policy makes the score mapper's cutter reject the slice with its reason.
   */
  @Test
  void timeGapsAreHandledAlikeByPrepareTheCutterAndTheLocalReader() throws IOException {
    StringBuilder csv = new StringBuilder("slice_id,time,value\n");
    for (int i = 0; i < 30; i++) {
      long minute = i + (i >= 10 ? 300 : 0);
      csv.append("dev,").append(60 * minute).append(',').append(i).append('\n');
    }
    Path file = Files.writeString(dir.resolve("gappy.csv"), csv);
    Path out = dir.resolve("gappy-prepared");
    MainTest.Run prepare = MainTest.tsad("prepare", "--input", file.toString(), "--output", out.toString(), "--mode",
        "window", "--window", "4", "--stride", "4");
    assertEquals(0, prepare.code(), prepare.err());
    PreparedWindows.Loaded mr = PreparedWindows.load(out.toString());
    assertEquals(GapPolicy.GAP_SPLIT, mr.manifest().getData().getGapPolicy());
    WindowSpec spec = Inputs.windowSpec(mr.manifest().getData());
    DataReport localReport = new DataReport();
    List<Window> local = Inputs.read(List.of(file), CsvOptions.defaults(), spec, localReport).windows();
    assertEquals(local.stream().map(Window::id).toList(), mr.windows().stream().map(Window::id).toList());
    assertEquals(List.of(0f, 4f, 6f, 10f, 14f, 18f, 22f, 26f), mr.windows().stream().map(w -> w.value(0)).toList(),
        "two runs, each windowed to its end; none across the hole");
    assertEquals(localReport.windows(), mr.manifest().getSummary().getWindows());

    PreparedWindows.Cutter rejecting = new PreparedWindows.Cutter(mr.manifest().getData().toBuilder()
        .setGapPolicy(GapPolicy.GAP_REJECT).build());
    Series series = Inputs.read(List.of(file), CsvOptions.defaults(), spec, new DataReport()).series().get(0);
    PreparedWindows.Rejected e = assertThrows(PreparedWindows.Rejected.class,
        () -> rejecting.windows(java.nio.ByteBuffer.wrap(series.toProto().toByteArray())));
    assertEquals(RejectReason.TIME_GAP, e.reason());
    assertTrue(e.getMessage().startsWith("slice dev has 1 time gap (the longest 5.02 h"), e.getMessage());
  }

  @Test
  void theToolsWindowLengthIsAutoInWindowModeAsOnTheCommandLine() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(false);
    conf.set(JobKeys.MODE, "window");
    PrepareJob.Request auto = PrepareJob.request(conf, "in", "out");
    assertTrue(auto.autoSpec() != null, "window mode without a length chooses it");
    assertEquals(288, auto.autoSpec().apply(288).length());
    assertEquals(144, auto.autoSpec().apply(288).stride(), "the default stride is half the chosen window");
    conf.set(JobKeys.WINDOW, "96");
    PrepareJob.Request given = PrepareJob.request(conf, "in", "out");
    assertEquals(null, given.autoSpec());
    assertEquals(96, given.spec().length());
    conf.set(JobKeys.WINDOW, "ninety");
    assertEquals("tsad.window.length must be a number of steps or auto, got 'ninety'", assertThrows(
        tsad.core.data.DataException.class, () -> PrepareJob.request(conf, "in", "out")).getMessage());
    conf.set(JobKeys.WINDOW, "auto");
    conf.set(JobKeys.MODE, "slice");
    assertTrue(assertThrows(tsad.core.data.DataException.class, () -> PrepareJob.request(conf, "in", "out"))
        .getMessage().startsWith("tsad.window.length=auto is for tsad.window.mode=window"));
    conf.unset(JobKeys.WINDOW);
    assertEquals(64, PrepareJob.request(conf, "in", "out").spec().length(), "slice mode keeps 64");
  }
}
