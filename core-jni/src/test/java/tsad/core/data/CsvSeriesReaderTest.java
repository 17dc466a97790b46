package tsad.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.proto.TimeFormat;

class CsvSeriesReaderTest {
  @TempDir Path dir;

  private Path csv(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void groupsBySliceAndSortsByTime() throws IOException {
    Path p = csv("a.csv", "slice_id,time,value\nb,3,3.0\na,2,2.0\na,1,1.0\nb,1,1.5\n");
    DataReport r = new DataReport();
    List<Series> s = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(p), r);
    assertEquals(2, s.size());
    assertEquals("b", s.get(0).id());
    assertArrayEquals(new long[] {1000, 3000}, s.get(0).timesMs());
    assertArrayEquals(new float[] {1.5f, 3.0f}, s.get(0).values());
    assertArrayEquals(new float[] {1.0f, 2.0f}, s.get(1).values());
    assertEquals(4, r.rowsRead());
    assertEquals(0, r.rowsRejected());
  }

  @Test
  void countsEveryKindOfBadRowWithItsReason() throws IOException {
    Path p = csv("bad.csv", String.join("\n",
        "slice_id,time,value",
        "a,2026-01-01T00:00:00Z,1",
        "a,2026-01-01T00:01:00Z",              // malformed: 2 fields
        ",2026-01-01T00:02:00Z,1",             // missing slice id
        "a,,1",                                 // missing time
        "a,yesterday,1",                        // bad time
        "a,2026-01-01T00:03:00Z,",             // missing value
        "a,2026-01-01T00:04:00Z,abc",          // non-numeric
        "a,2026-01-01T00:05:00Z,NaN",          // non-finite
        "a,2026-01-01T00:06:00Z,Infinity",     // non-finite
        "a,2026-01-01T00:07:00Z,1e300",        // overflows float
        "a,2026-01-01T00:07:30Z,-inf",         // non-finite as Python and R write it
        "a,2026-01-01T00:00:00Z,9",            // duplicate timestamp
        "a,2026-01-01T00:08:00Z,2", ""));
    List<String> quarantined = new ArrayList<>();
    DataReport r = new DataReport((where, reason, detail, rec) -> quarantined.add(reason.label() + "@" + where));
    List<Series> s = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(p), r);
    assertEquals(1, s.size());
    assertArrayEquals(new float[] {1f, 2f}, s.get(0).values(), "first row of a duplicate time is kept");
    assertEquals(13, r.rowsRead());
    assertEquals(1, r.rowsRejected(RejectReason.MALFORMED_ROW));
    assertEquals(1, r.rowsRejected(RejectReason.MISSING_SLICE_ID));
    assertEquals(1, r.rowsRejected(RejectReason.MISSING_TIME));
    assertEquals(1, r.rowsRejected(RejectReason.BAD_TIME));
    assertEquals(1, r.rowsRejected(RejectReason.MISSING_VALUE));
    assertEquals(1, r.rowsRejected(RejectReason.NON_NUMERIC));
    assertEquals(4, r.rowsRejected(RejectReason.NON_FINITE));
    assertEquals(1, r.rowsRejected(RejectReason.DUPLICATE_TIMESTAMP));
    assertEquals(11, r.rowsRejected());
    assertEquals(11, quarantined.size(), "every reject reaches the quarantine sink");
    assertTrue(quarantined.contains("malformed_row@" + p + ":3"), quarantined.toString());
    String summary = r.format();
    assertTrue(summary.contains("13 read") && summary.contains("non_finite: 4"), summary);
  }

  @Test
  void otherToolsSpellingsOfNanAndInfinityAreNonFiniteNotNonNumeric() {
    for (String v : List.of("nan", "NAN", "-nan", "inf", "-inf", "+Inf", "INF", "infinity", "-INFINITY")) {
      assertTrue(CsvRowParser.spellsNonFinite(v), v);
    }
    for (String v : List.of("n/a", "nano", "info", "--inf", "in", "", "-", "1.#INF")) {
      assertFalse(CsvRowParser.spellsNonFinite(v), v);
    }
  }

  @Test
  void strictModeFailsOnTheFirstBadRowWithItsLine() throws IOException {
    Path p = csv("bad.csv", "slice_id,time,value\na,1,1\na,2,oops\n");
    DataException e = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults().withStrict(true)).read(List.of(p), new DataReport()));
    assertTrue(e.getMessage().contains("bad.csv:3") && e.getMessage().contains("non_numeric"), e.getMessage());
  }

  @Test
  void strictModeRefusesDuplicateTimestamps() throws IOException {
    Path p = csv("dup.csv", "slice_id,time,value\na,1,1\na,1,2\n");
    DataException e = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults().withStrict(true)).read(List.of(p), new DataReport()));
    assertTrue(e.getMessage().contains("duplicate_timestamp"), e.getMessage());
  }

  @Test
  void emptyInputsGiveClearErrors() throws IOException {
    Path zero = csv("zero.csv", "");
    DataException e1 = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(zero), new DataReport()));
    assertTrue(e1.getMessage().contains("empty input"), e1.getMessage());
    Path header = csv("header.csv", "slice_id,time,value\n");
    DataException e2 = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(header), new DataReport()));
    assertTrue(e2.getMessage().contains("no usable data rows"), e2.getMessage());
    DataException e3 = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(dir.resolve("nope.csv")), new DataReport()));
    assertTrue(e3.getMessage().contains("does not exist"), e3.getMessage());
    Path emptyDir = Files.createDirectory(dir.resolve("empty"));
    DataException e4 = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(emptyDir), new DataReport()));
    assertTrue(e4.getMessage().contains("no .csv"), e4.getMessage());
  }

  @Test
  void unknownColumnNamesListTheColumnsThatExist() throws IOException {
    Path p = csv("a.csv", "device,ts,temp\nd,1,2\n");
    DataException e = assertThrows(DataException.class,
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(p), new DataReport()));
    assertTrue(e.getMessage().contains("'slice_id' not found") && e.getMessage().contains("[device, ts, temp]"),
        e.getMessage());
    CsvOptions named = new CsvOptions("device", "ts", List.of("humidity"), TimeFormat.AUTO, false);
    DataException e2 = assertThrows(DataException.class,
        () -> new CsvSeriesReader(named).read(List.of(p), new DataReport()));
    assertTrue(e2.getMessage().contains("feature column 'humidity' not found"), e2.getMessage());
  }

  @Test
  void multivariateWithCustomColumnsQuotesAndTimeFormats() throws IOException {
    Path p = csv("m.csv", "ts,\"dev,ice\",a,b\n1700000000000,\"x,1\",1,10\n1700000060,\"x,1\",2,20\n"
        + "2023-11-14T22:15:00Z,\"x,1\",3,30\n");
    CsvOptions o = new CsvOptions("dev,ice", "ts", List.of(), TimeFormat.AUTO, true);
    CsvSeriesReader reader = new CsvSeriesReader(o);
    List<Series> s = reader.read(List.of(p), new DataReport());
    assertEquals(List.of("a", "b"), reader.featureNames(), "all non-id, non-time columns are features");
    assertEquals("x,1", s.get(0).id());
    assertArrayEquals(new long[] {1700000000000L, 1700000060000L, 1700000100000L}, s.get(0).timesMs());
    assertArrayEquals(new float[] {1, 10, 2, 20, 3, 30}, s.get(0).values());
    assertEquals(2, s.get(0).features());
  }

  @Test
  void readsDirectoriesAndRequiresTheSameFeaturesInEveryFile() throws IOException {
    Path d = Files.createDirectory(dir.resolve("parts"));
    Files.writeString(d.resolve("p1.csv"), "slice_id,time,value\na,1,1\n");
    Files.writeString(d.resolve("p2.csv"), "slice_id,time,value\na,2,2\n");
    DataReport r = new DataReport();
    List<Series> s = new CsvSeriesReader(CsvOptions.defaults()).read(List.of(d), r);
    assertEquals(2, s.get(0).length());
    Files.writeString(d.resolve("p3.csv"), "slice_id,time,other\na,3,3\n");
    assertThrowsWith(DataException.class, "p3.csv: feature columns [other] differ from [value] in the first file",
        () -> new CsvSeriesReader(CsvOptions.defaults()).read(List.of(d), new DataReport()));
  }
}
