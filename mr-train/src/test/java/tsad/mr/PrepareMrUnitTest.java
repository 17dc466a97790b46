package tsad.mr;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.MapReduceDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataException;
import tsad.core.data.RejectSink;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;
import tsad.proto.SeriesRecord;

/**
 * MRUnit tests of the prepare job's mapper and reducer: parsing and quarantine in the mapper, the secondary sort
 * (rows arriving out of time order leave the reducer as windows in time order, the first duplicate in file order
 * kept), and the rejects of the reducer, each with its counters.
 */
class PrepareMrUnitTest {
  static final String HEADER = "slice_id,time,value";

  /** A mapper whose quarantine is a list, so a test can read what was quarantined and why. */
  static final class Mapper extends PrepareMapper {
    final List<String> quarantined = new ArrayList<>();

    @Override
    RejectSink quarantine(Context ctx) {
      return (where, reason, detail, record) -> quarantined.add(reason.label() + "\t" + record);
    }
  }

  /** A reducer whose quarantine and statistics file are kept in memory. */
  static final class Reducer extends PrepareReducer {
    final List<String> quarantined = new ArrayList<>();
    tsad.proto.PreparedData stats;

    @Override
    void saveStats(Context ctx, tsad.proto.PreparedData taskStats) {
      stats = taskStats;
    }

    @Override
    RejectSink quarantine(Context ctx) {
      return (where, reason, detail, record) -> quarantined.add(reason.label() + "\t" + where);
    }
  }

  /** The job configuration the prepare Tool would set: header, data spec (slice mode, T=4), lenient. */
  static void configure(Configuration conf) {
    conf.set(JobKeys.HEADER, HEADER);
    conf.set(JobKeys.SPEC, Base64.getEncoder().encodeToString(Inputs.dataSpec(CsvOptions.defaults(),
        new WindowSpec(WindowMode.SLICE, 4, 2, LengthPolicy.REJECT), List.of("value")).toByteArray()));
    conf.setBoolean(JobKeys.STRICT, false);
  }

  /** One CSV line at byte {@code offset} of its file, as the input format hands it on (a batch of one). */
  static LineBatch line(long offset, String s) {
    LineBatch b = new LineBatch();
    b.add(offset, new Text(s));
    return b;
  }

  static String t(int minute) {
    return String.format("2026-01-01T00:%02d:00Z", minute);
  }

  @Test
  void mapperKeysRowsBySliceAndTimeAndQuarantinesBadRows() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, LineBatch, SliceTimeKey, RowWritable> d = MapDriver.newMapDriver(m);
    configure(d.getConfiguration());
    d.withInput(new LongWritable(0), line(0, HEADER))
        .withInput(new LongWritable(20), line(20, "a," + t(2) + ",1.5"))
        .withInput(new LongWritable(45), line(45, "a," + t(1) + ",NaN"))
        .withInput(new LongWritable(70), line(70, "only-two,fields"))
        .withInput(new LongWritable(90), line(90, "b,not-a-time,3"));
    List<Pair<SliceTimeKey, RowWritable>> out = d.run();
    assertEquals(1, out.size(), "the header is skipped, three bad rows are quarantined");
    assertEquals("a", out.get(0).getFirst().slice());
    assertEquals(java.time.Instant.parse(t(2)).toEpochMilli(), out.get(0).getFirst().timeMs());
    assertEquals(out.get(0).getFirst().timeMs(), out.get(0).getSecond().timeMs());
    assertArrayEquals(new float[] {1.5f}, out.get(0).getSecond().values());
    assertEquals(3, m.quarantined.size(), m.quarantined.toString());
    assertTrue(m.quarantined.contains("non_finite\ta," + t(1) + ",NaN"), m.quarantined.toString());
    assertTrue(m.quarantined.contains("malformed_row\tonly-two,fields"), m.quarantined.toString());
    assertTrue(m.quarantined.stream().anyMatch(q -> q.endsWith("\tb,not-a-time,3")), m.quarantined.toString());
    assertEquals(4, d.getCounters().findCounter(DataCounter.ROWS_READ).getValue(), "4 data rows, header not counted");
    assertEquals(0, d.getCounters().findCounter(DataCounter.ROWS_USED).getValue(),
        "rows count as used only when the reducer puts them in a window");
    assertEquals(1, d.getCounters().findCounter(DataCounter.ROWS_REJECTED_GROUP, "non_finite").getValue());
    assertEquals(1, d.getCounters().findCounter(DataCounter.ROWS_REJECTED_GROUP, "malformed_row").getValue());
  }

  @Test
  void aBatchOfLinesIsReadLineByLineAndOnlyTheHeaderAtOffsetZeroIsSkipped() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, LineBatch, SliceTimeKey, RowWritable> d = MapDriver.newMapDriver(m);
    configure(d.getConfiguration());
    LineBatch b = new LineBatch();
    for (String[] l : new String[][] {{"0", HEADER}, {"20", "a," + t(1) + ",1"}, {"45", "broken"},
        {"52", HEADER}, {"70", "a," + t(0) + ",0"}}) {
      b.add(Long.parseLong(l[0]), new Text(l[1]));
    }
    List<Pair<SliceTimeKey, RowWritable>> out = d.withInput(new LongWritable(0), b).run();
    assertEquals(2, out.size(), "two good rows");
    assertEquals(java.time.Instant.parse(t(1)).toEpochMilli(), out.get(0).getFirst().timeMs());
    assertEquals(java.time.Instant.parse(t(0)).toEpochMilli(), out.get(1).getFirst().timeMs());
    assertEquals(List.of("malformed_row\tbroken", "bad_time\t" + HEADER), m.quarantined,
        "a header line further down a file is a bad row, as in the local reader");
  }

  /**
   * Two devices whose ids differ only in bytes that are not UTF-8 ("dev\xFF", "dev\xFE") would both be keyed as
   * "dev\uFFFD" by a replacing decoder, one slice of two devices' rows: the mapper rejects both rows, as the local
   * reader does, and keeps a valid multi-byte id.
   */
  @Test
  void rowsThatAreNotUtf8AreQuarantinedNotMergedIntoOneSlice() throws IOException {
    Mapper m = new Mapper();
    MapDriver<LongWritable, LineBatch, SliceTimeKey, RowWritable> d = MapDriver.newMapDriver(m);
    configure(d.getConfiguration());
    LineBatch b = new LineBatch();
    b.add(0, new Text(HEADER));
    long offset = 20;
    for (byte[] row : new byte[][] {{'d', 'e', 'v', (byte) 0xFF, ',', '1', ',', '1'},
        {'d', 'e', 'v', (byte) 0xFE, ',', '1', ',', '2'}, ("caf\u00e9," + t(1) + ",3").getBytes(UTF_8)}) {
      Text line = new Text();
      line.set(row);
      b.add(offset, line);
      offset += row.length + 1;
    }
    List<Pair<SliceTimeKey, RowWritable>> out = d.withInput(new LongWritable(0), b).run();
    assertEquals(List.of("caf\u00e9"), out.stream().map(p -> p.getFirst().slice()).toList());
    assertEquals(List.of("invalid_utf8\tdev\\xFF,1,1", "invalid_utf8\tdev\\xFE,1,2"), m.quarantined);
    assertEquals(3, d.getCounters().findCounter(DataCounter.ROWS_READ).getValue());
    assertEquals(2, d.getCounters().findCounter(DataCounter.ROWS_REJECTED_GROUP, "invalid_utf8").getValue());
  }

  @Test
  void secondarySortTurnsOutOfOrderRowsIntoTimeOrderedWindows() throws IOException {
    Mapper m = new Mapper();
    Reducer r = new Reducer();
    MapReduceDriver<LongWritable, LineBatch, SliceTimeKey, RowWritable, Text, BytesWritable> d =
        MapReduceDriver.newMapReduceDriver(m, r);
    configure(d.getConfiguration());
    d.withKeyGroupingComparator(new SliceTimeKey.SliceGroupingComparator());
    d.withKeyOrderComparator(new SliceTimeKey.RawComparator());
    // Slice b's rows arrive in reverse time order, interleaved with slice a's; a has a later duplicate of minute 2.
    String[] rows = {"b," + t(3) + ",13", "a," + t(2) + ",2", "b," + t(2) + ",12", "a," + t(0) + ",0",
        "b," + t(1) + ",11", "a," + t(3) + ",3", "b," + t(0) + ",10", "a," + t(1) + ",1", "a," + t(2) + ",99"};
    d.withInput(new LongWritable(0), line(0, HEADER));
    for (int i = 0; i < rows.length; i++) {
      d.withInput(new LongWritable(100 + i * 20), line(100 + i * 20, rows[i]));
    }
    List<Pair<Text, BytesWritable>> out = d.run();
    assertEquals(2, out.size(), "one series record per slice");
    for (Pair<Text, BytesWritable> p : out) {
      SeriesRecord w = SeriesRecord.parseFrom(java.util.Arrays.copyOf(p.getSecond().getBytes(),
          p.getSecond().getLength()));
      assertEquals(p.getFirst().toString(), w.getId(), "keyed by slice id");
      float base = w.getId().equals("a") ? 0 : 10;
      assertEquals(List.of(base, base + 1, base + 2, base + 3), w.getValuesList(),
          w.getId() + ": values in time order, the first row of minute 2 in file order kept");
      assertEquals(java.time.Instant.parse(t(0)).toEpochMilli(), w.getFirstTimeMs());
      assertEquals(List.of(60_000L, 60_000L, 60_000L), w.getStepMsList(), "one minute apart");
    }
    assertEquals(List.of("duplicate_timestamp\ta"), r.quarantined.stream().map(q -> q.substring(0,
        q.indexOf('\t') + 2)).toList(), r.quarantined.toString());
    assertEquals(2, d.getCounters().findCounter(DataCounter.WINDOWS_MADE).getValue());
    tsad.proto.FeatureStats value = r.stats.getFeatureStats(0);
    assertEquals(8, value.getCount(), "the scaler statistics cover the 8 values in windows");
    assertEquals(6.5, value.getMean(), 1e-12);
    assertEquals(0, value.getMin(), 0);
    assertEquals(13, value.getMax(), 0);
    assertEquals(1, d.getCounters().findCounter(DataCounter.ROWS_REJECTED_GROUP, "duplicate_timestamp").getValue());
  }

  @Test
  void reducerQuarantinesShortSlicesWithTheirRowCount() throws IOException {
    Reducer r = new Reducer();
    ReduceDriver<SliceTimeKey, RowWritable, Text, BytesWritable> d = ReduceDriver.newReduceDriver(r);
    configure(d.getConfiguration());
    List<RowWritable> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      values.add(new RowWritable().set(java.time.Instant.parse(t(i)).toEpochMilli(), new float[] {i}));
    }
    d.withInput(new SliceTimeKey().set("short", java.time.Instant.parse(t(0)).toEpochMilli(), 0, 0), values);
    assertTrue(d.run().isEmpty(), "a 3-step slice makes no 4-step window under the reject policy");
    assertEquals(List.of("too_short\tshort", "in_rejected_slice\tshort"), r.quarantined,
        "the slice and its rows are both quarantined");
    assertEquals(1, d.getCounters().findCounter(DataCounter.SLICES_REJECTED_GROUP, "too_short").getValue());
    assertEquals(3, d.getCounters().findCounter(DataCounter.ROWS_REJECTED_GROUP, "in_rejected_slice").getValue(),
        "the slice's rows are counted as rejected, not lost");
  }

  @Test
  void strictReducerFailsOnASliceOfTheWrongLengthNamingTheInputAndTheSlice() {
    Reducer r = new Reducer();
    ReduceDriver<SliceTimeKey, RowWritable, Text, BytesWritable> d = ReduceDriver.newReduceDriver(r);
    configure(d.getConfiguration());
    d.getConfiguration().setBoolean(JobKeys.STRICT, true);
    d.getConfiguration().set(JobKeys.SOURCE, "data/day.csv");
    List<RowWritable> values = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      values.add(new RowWritable().set(java.time.Instant.parse(t(i)).toEpochMilli(), new float[] {i}));
    }
    d.withInput(new SliceTimeKey().set("long", java.time.Instant.parse(t(0)).toEpochMilli(), 0, 0), values);
    DataException e = assertThrows(DataException.class, d::run, "--strict (README): the first rejected slice fails");
    assertEquals("data/day.csv: too_long: slice long has 6 steps, expected 4 (strict mode; without it the slice's "
        + "rows are counted and skipped)", e.getMessage());
    assertEquals(List.of(), r.quarantined, "failed, not quarantined");
  }

  @Test
  void rawComparatorsOrderSerializedKeysLikeTheKeysThemselves() throws IOException {
    java.util.Random rnd = new java.util.Random(7);
    String[] slices = {"a", "ab", "b", "device-17", "é-unicode", ""};
    List<SliceTimeKey> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(new SliceTimeKey().set(slices[rnd.nextInt(slices.length)], rnd.nextInt(5) - 2L,
          rnd.nextInt(3) * 200, rnd.nextInt(3) * 100_000L)); // ranks and offsets of one and more vint bytes
    }
    SliceTimeKey.RawComparator sort = new SliceTimeKey.RawComparator();
    SliceTimeKey.SliceGroupingComparator group = new SliceTimeKey.SliceGroupingComparator();
    for (SliceTimeKey a : keys) {
      byte[] ba = bytesOf(a);
      for (SliceTimeKey b : keys.subList(0, 40)) {
        byte[] bb = bytesOf(b);
        assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(sort.compare(ba, 0, ba.length, bb, 0, bb.length)));
        assertEquals(Integer.signum(a.slice().compareTo(b.slice()) == 0 ? 0
            : new Text(a.slice()).compareTo(new Text(b.slice()))),
            Integer.signum(group.compare(ba, 0, ba.length, bb, 0, bb.length)));
      }
    }
  }

  private static byte[] bytesOf(SliceTimeKey k) throws IOException {
    org.apache.hadoop.io.DataOutputBuffer out = new org.apache.hadoop.io.DataOutputBuffer();
    k.write(out);
    return java.util.Arrays.copyOf(out.getData(), out.getLength());
  }

  @Test
  void filesRankInInputOrderAndASplitOfAnotherFileFails() {
    Configuration c = new Configuration(false);
    assertEquals(0, PrepareJob.fileRank(c, "file:/x.csv"), "a mapper run outside the job reads one file");
    c.set(JobKeys.FILES, "file:/d/b.csv\nfile:/d/a.csv");
    assertEquals(0, PrepareJob.fileRank(c, "file:/d/b.csv"));
    assertEquals(1, PrepareJob.fileRank(c, "file:/d/a.csv"), "--input order, not name order");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PrepareJob.fileRank(c, "file:/d/c.csv"));
    assertTrue(e.getMessage().contains("file:/d/c.csv"), e.getMessage());
    // The rank breaks a tie of slice and time before the offset: the first file's row comes first.
    SliceTimeKey.RawComparator sort = new SliceTimeKey.RawComparator();
    byte[] first = bytesOfUnchecked(new SliceTimeKey().set("s", 5, 0, 900_000));
    byte[] second = bytesOfUnchecked(new SliceTimeKey().set("s", 5, 1, 0));
    assertTrue(sort.compare(first, 0, first.length, second, 0, second.length) < 0);
  }

  private static byte[] bytesOfUnchecked(SliceTimeKey k) {
    try {
      return bytesOf(k);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void partitionerSendsEverySliceToOneReducerWhateverTheTime() {
    SliceTimeKey.SlicePartitioner p = new SliceTimeKey.SlicePartitioner();
    for (String slice : List.of("a", "device-17", "zz")) {
      int first = p.getPartition(new SliceTimeKey().set(slice, 0, 0, 0), null, 7);
      for (long time = 1; time < 50; time += 7) {
        assertEquals(first, p.getPartition(new SliceTimeKey().set(slice, time * 60_000, 1, time), null, 7));
      }
    }
  }
}
