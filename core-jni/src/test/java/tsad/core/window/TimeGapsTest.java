package tsad.core.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.core.score.RowScores;
import tsad.proto.DataSpec;
import tsad.proto.GapPolicy;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** Window mode and time gaps: split at them, reject the slice, or ignore them; old specs keep ignoring them. */
class TimeGapsTest {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  static final long MINUTE = 60_000;

  /** One-minute data, value i at step i, with a hole of {@code holeMinutes} after step {@code holeAfter}. */
  static Series withHole(String id, int n, int holeAfter, long holeMinutes) {
    long[] t = new long[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = T0 + MINUTE * i + (i > holeAfter ? MINUTE * holeMinutes : 0);
      v[i] = i;
    }
    return new Series(id, t, v, 1);
  }

  static DataReport read(Series s, List<String> quarantine) {
    DataReport r = new DataReport((where, reason, detail, record) -> quarantine.add(reason.label() + ": " + detail));
    for (int i = 0; i < s.length(); i++) {
      r.rowRead();
    }
    r.sliceRead();
    return r;
  }

  static WindowSpec spec(int t, int stride, LengthPolicy length, GapPolicy gaps) {
    return new WindowSpec(WindowMode.WINDOW, t, stride, length, gaps, WindowSpec.DEFAULT_MAX_GAP);
  }

  private static List<Integer> firstValues(List<Window> w) {
    List<Integer> out = new ArrayList<>();
    w.forEach(x -> out.add((int) x.value(0)));
    return out;
  }

  @Test
  void gapsAreStepsOverKTimesTheSeriesOwnMedianStep() {
    assertArrayEquals(new int[0], TimeGaps.find(withHole("a", 20, 9, 0).timesMs(), 3), "regular: none");
    assertArrayEquals(new int[0], TimeGaps.find(withHole("a", 20, 9, 2).timesMs(), 3),
        "two missing samples make a 3-minute step: not more than 3 median steps");
    assertArrayEquals(new int[] {10}, TimeGaps.find(withHole("a", 20, 9, 3).timesMs(), 3));
    assertArrayEquals(new int[] {10}, TimeGaps.find(withHole("a", 20, 9, 300).timesMs(), 3));
    long[] hourly = {0, 3_600_000, 7_200_000, 10_800_000, 30_000_000, 33_600_000};
    assertArrayEquals(new int[] {4}, TimeGaps.find(hourly, 3), "the median is the series' own: hours here");
    assertEquals(3_600_000, TimeGaps.medianStep(hourly));
    assertEquals("slice a has 1 time gap (the longest 5.02 h after 2026-01-01T00:09:00Z) of more than 3 times its "
        + "median step of 1 min", TimeGaps.describe("a", withHole("a", 20, 9, 300).timesMs(), new int[] {10}, 3));
    assertEquals("250 ms / 1.5 s / 2.5 d", TimeGaps.duration(250) + " / " + TimeGaps.duration(1500) + " / "
        + TimeGaps.duration(216_000_000));
  }

  @Test
  void splitGivesNoWindowAcrossAGapAndCoversEachRunsTail() {
    // 30 steps: a run of 10 (0..9), a 5-hour hole, a run of 20 (10..29); T=4, stride 4.
    Series s = withHole("dev", 30, 9, 300);
    List<String> q = new ArrayList<>();
    DataReport r = read(s, q);
    List<Window> w = new WindowBuilder(spec(4, 4, LengthPolicy.REJECT, GapPolicy.GAP_SPLIT)).build(s, r);
    // Run 1: 0, 4, then 6 aligned to its end; run 2: 10, 14, 18, 22, 26 (26 + 4 = 30 reaches its end).
    assertEquals(List.of(0, 4, 6, 10, 14, 18, 22, 26), firstValues(w));
    for (Window x : w) {
      assertTrue(x.endMs() - x.startMs() == 3 * MINUTE, "every window is 4 contiguous minutes: " + x.id());
    }
    for (int i = 0; i < w.size(); i++) {
      assertEquals(i, w.get(i).index(), "positions increase through the runs");
    }
    assertEquals(30, r.rowsUsed());
    assertEquals(8, r.windows());
    assertTrue(q.isEmpty(), q.toString());
    WindowBuilderTest.assertCountsAddUp(r);
  }

  @Test
  void splitCountsTheRowsOfRunsShorterThanTheWindow() {
    // A run of 3 (0..2), a hole, a run of 12: T=8 takes the second run only; the first run's 3 rows are rejected.
    Series s = withHole("dev", 15, 2, 60);
    List<String> q = new ArrayList<>();
    DataReport r = read(s, q);
    List<Window> w = new WindowBuilder(spec(8, 4, LengthPolicy.REJECT, GapPolicy.GAP_SPLIT)).build(s, r);
    assertEquals(List.of(3, 7), firstValues(w));
    assertEquals(3, r.rowsRejected(RejectReason.SHORT_SEGMENT));
    assertEquals(12, r.rowsUsed());
    assertEquals(List.of("short_segment: 3 steps from 2026-01-01T00:00:00Z to 2026-01-01T00:02:00Z between time "
        + "gaps, fewer than the window's 8"), q);
    WindowBuilderTest.assertCountsAddUp(r);

    // Under the pad policy the short run is one padded window, placed by its own rows for per-row scores.
    DataReport padded = read(s, new ArrayList<>());
    List<Window> p = new WindowBuilder(spec(8, 4, LengthPolicy.PAD, GapPolicy.GAP_SPLIT)).build(s, padded);
    assertEquals(List.of(0, 3, 7), firstValues(p));
    assertEquals(3, p.get(0).validSteps());
    assertEquals(15, padded.rowsUsed());
    double[] rows = RowScores.of(s, p, new double[] {1, 2, 4});
    assertEquals(1, rows[0]);
    assertEquals(2, rows[3], "row 3 is only in the second run's first window");
    assertEquals(3, rows[7], "row 7 is in the second run's two windows");

    // When no run is long enough, the slice is too short, and says why.
    Series holes = withHole("dev", 6, 2, 60);
    List<String> q2 = new ArrayList<>();
    DataReport r2 = read(holes, q2);
    assertTrue(new WindowBuilder(spec(4, 1, LengthPolicy.REJECT, GapPolicy.GAP_SPLIT)).build(holes, r2).isEmpty());
    assertEquals(1, r2.slicesRejected(RejectReason.TOO_SHORT));
    assertEquals(6, r2.rowsRejected(RejectReason.IN_REJECTED_SLICE));
    assertTrue(q2.get(0).startsWith("too_short: slice dev has no run of 4 steps between its time gaps (the longest "
        + "has 3); slice dev has 1 time gap"), q2.toString());
    WindowBuilderTest.assertCountsAddUp(r2);
  }

  @Test
  void rejectQuarantinesASliceWithAGapAndIgnoreCutsAcrossIt() {
    Series s = withHole("dev", 30, 9, 300);
    List<String> q = new ArrayList<>();
    DataReport r = read(s, q);
    assertTrue(new WindowBuilder(spec(4, 4, LengthPolicy.REJECT, GapPolicy.GAP_REJECT)).build(s, r).isEmpty());
    assertEquals(1, r.slicesRejected(RejectReason.TIME_GAP));
    assertEquals(30, r.rowsRejected(RejectReason.IN_REJECTED_SLICE));
    assertEquals("time_gap: slice dev has 1 time gap (the longest 5.02 h after 2026-01-01T00:09:00Z) of more than 3 "
        + "times its median step of 1 min", q.get(0));
    WindowBuilderTest.assertCountsAddUp(r);
    Series regular = withHole("ok", 30, 9, 0);
    assertEquals(8, new WindowBuilder(spec(4, 4, LengthPolicy.REJECT, GapPolicy.GAP_REJECT))
        .build(regular, read(regular, new ArrayList<>())).size(), "a regular slice passes");

    List<Window> ignored = new WindowBuilder(spec(4, 4, LengthPolicy.REJECT, GapPolicy.GAP_IGNORE))
        .build(s, read(s, new ArrayList<>()));
    assertEquals(List.of(0, 4, 8, 12, 16, 20, 24, 26), firstValues(ignored), "steps taken as contiguous");
    assertTrue(ignored.get(2).endMs() - ignored.get(2).startMs() > 300 * MINUTE, "a window across the hole");
  }

  @Test
  void theSpecRecordsTheGapPolicyInWindowModeAndOldSpecsIgnoreGaps() {
    WindowSpec split = new WindowSpec(WindowMode.WINDOW, 8, 2, LengthPolicy.REJECT, GapPolicy.GAP_SPLIT, 5);
    DataSpec d = Inputs.dataSpec(tsad.core.data.CsvOptions.defaults(), split, List.of("value"));
    assertEquals(GapPolicy.GAP_SPLIT, d.getGapPolicy());
    assertEquals(5, d.getMaxGap());
    assertEquals(split, Inputs.windowSpec(d), "read back as written");
    DataSpec before = d.toBuilder().clearGapPolicy().clearMaxGap().build();
    assertEquals(GapPolicy.GAP_IGNORE, Inputs.windowSpec(before).gapPolicy(),
        "a bundle from before gap policies keeps its behaviour: gaps ignored");
    DataSpec slice = Inputs.dataSpec(tsad.core.data.CsvOptions.defaults(),
        new WindowSpec(WindowMode.SLICE, 8, 2, LengthPolicy.REJECT), List.of("value"));
    assertEquals(GapPolicy.GAP_POLICY_UNSPECIFIED, slice.getGapPolicy(), "slice mode has no gap handling to record");
    assertEquals(GapPolicy.GAP_SPLIT, new WindowSpec(WindowMode.WINDOW, 8, 2, LengthPolicy.REJECT).gapPolicy(),
        "the default for new specs");
    assertThrowsWith(DataException.class, "the gap limit must be a finite number above 1", () ->
        new WindowSpec(WindowMode.WINDOW, 8, 2, LengthPolicy.REJECT, GapPolicy.GAP_SPLIT, 1));
    assertThrowsWith(DataException.class, "unknown --gap-policy 'skip'; use split, reject or ignore", () ->
        WindowSpec.parseGapPolicy("skip", "--gap-policy"));
    assertEquals("split", WindowSpec.gapPolicyName(GapPolicy.GAP_SPLIT));
  }
}
