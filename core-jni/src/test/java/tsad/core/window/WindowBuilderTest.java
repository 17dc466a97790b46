package tsad.core.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.List;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.RejectReason;
import tsad.core.data.Series;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

class WindowBuilderTest {
  /** A series of n steps, 2 features: step i holds (i, 10 i); times 1 minute apart. */
  static Series series(String id, int n) {
    long[] t = new long[n];
    float[] v = new float[2 * n];
    for (int i = 0; i < n; i++) {
      t[i] = 1_700_000_000_000L + 60_000L * i;
      v[2 * i] = i;
      v[2 * i + 1] = 10 * i;
    }
    return new Series(id, t, v, 2);
  }

  static void assertCountsAddUp(DataReport r) {
    assertEquals(r.rowsRead(), r.rowsUsed() + r.rowsRejected(), "rows read = used + rejected");
    assertEquals(r.slicesRead(), r.slicesUsed() + r.slicesRejected(), "slices read = used + rejected");
  }

  private static DataReport reportFor(Series... ss) {
    DataReport r = new DataReport();
    for (Series s : ss) {
      for (int i = 0; i < s.length(); i++) {
        r.rowRead();
      }
      r.sliceRead();
    }
    return r;
  }

  @Test
  void sliceModeTakesExactLengthSlicesWhole() {
    Series s = series("a", 4);
    DataReport r = reportFor(s);
    List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.SLICE, 4, 1, LengthPolicy.REJECT)).build(s, r);
    assertEquals(1, w.size());
    assertEquals("a", w.get(0).id());
    assertArrayEquals(s.values(), w.get(0).values());
    assertEquals(4, w.get(0).validSteps());
    assertCountsAddUp(r);
  }

  @Test
  void overlappingWindowsShareTheSeriesArrayAndReadAsTheirOwnValues() {
    Series s = series("v", 10);
    List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 1, LengthPolicy.REJECT))
        .build(s, reportFor(s));
    assertEquals(7, w.size());
    for (Window x : w) {
      int start = x.index();
      assertTrue(x.data() == s.values(), "window " + start + " is a view of the series, not a copy");
      assertEquals(start * 2, x.offset());
      float[] expected = java.util.Arrays.copyOfRange(s.values(), start * 2, start * 2 + 8);
      assertArrayEquals(expected, x.values(), "values() holds the window's own T*F values");
      for (int k = 0; k < 8; k++) {
        assertEquals(expected[k], x.value(k));
      }
    }
    // A padded window cannot be a view: it holds its own array.
    Series shortS = series("p", 3);
    Window padded = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 1, LengthPolicy.PAD))
        .build(shortS, reportFor(shortS)).get(0);
    assertEquals(0, padded.offset());
    assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20, 2, 20}, padded.values());
  }

  @Test
  void rejectPolicyCountsShortAndLongSlices() {
    Series shortS = series("short", 3);
    Series longS = series("long", 6);
    DataReport r = reportFor(shortS, longS);
    WindowBuilder b = new WindowBuilder(new WindowSpec(WindowMode.SLICE, 4, 1, LengthPolicy.REJECT));
    assertTrue(b.build(shortS, r).isEmpty());
    assertTrue(b.build(longS, r).isEmpty());
    assertEquals(1, r.slicesRejected(RejectReason.TOO_SHORT));
    assertEquals(1, r.slicesRejected(RejectReason.TOO_LONG));
    assertEquals(9, r.rowsRejected(RejectReason.IN_REJECTED_SLICE));
    assertCountsAddUp(r);
  }

  @Test
  void truncatePolicyKeepsTheFirstStepsAndCountsTheRest() {
    Series s = series("a", 6);
    DataReport r = reportFor(s);
    List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.SLICE, 4, 1, LengthPolicy.TRUNCATE)).build(s, r);
    assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20, 3, 30}, w.get(0).values());
    assertEquals(2, r.rowsRejected(RejectReason.TRUNCATED));
    assertCountsAddUp(r);
  }

  @Test
  void padPolicyRepeatsTheLastValueAndRecordsValidSteps() {
    Series s = series("a", 2);
    DataReport r = reportFor(s);
    List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.SLICE, 4, 1, LengthPolicy.PAD)).build(s, r);
    assertArrayEquals(new float[] {0, 0, 1, 10, 1, 10, 1, 10}, w.get(0).values());
    assertEquals(2, w.get(0).validSteps());
    assertCountsAddUp(r);
  }

  @Test
  void windowModeCutsWithStrideAndCoversTheTail() {
    Series s = series("dev", 10);
    DataReport r = reportFor(s);
    List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 3, LengthPolicy.REJECT)).build(s, r);
    // starts 0, 3, 6 and then 6 again would be the end-aligned one: 6 + 4 = 10 covers the tail already.
    assertEquals(3, w.size());
    assertEquals(6, (int) w.get(2).values()[0]);
    Series s2 = series("dev2", 11);
    DataReport r2 = reportFor(s2);
    List<Window> w2 = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 3, LengthPolicy.REJECT)).build(s2, r2);
    assertEquals(4, w2.size(), "an end-aligned window covers steps the stride would skip");
    assertEquals(7, (int) w2.get(3).values()[0]);
    assertEquals("dev2@2023-11-14T22:16:20Z", w2.get(1).id(), "window id = series@start time");
    assertEquals("dev2", w2.get(1).seriesId());
    assertEquals(11, r2.rowsUsed());
    assertCountsAddUp(r2);
  }

  @Test
  void windowsOfALongSeriesAreMadeWhenReadAndMatchAPlainCut() {
    for (int n : new int[] {4, 5, 9, 10, 11, 37}) {
      for (int stride : new int[] {1, 2, 3, 4, 5}) {
        Series s = series("dev", n);
        List<Window> w = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, stride, LengthPolicy.REJECT))
            .build(s, reportFor(s));
        // The plain definition: every stride steps from 0, then one aligned to the end if the tail is not covered.
        List<Integer> starts = new java.util.ArrayList<>();
        for (int start = 0; start + 4 <= n; start += stride) {
          starts.add(start);
        }
        if (starts.get(starts.size() - 1) + 4 < n) {
          starts.add(n - 4);
        }
        assertEquals(starts.size(), w.size(), "n=" + n + " stride=" + stride);
        assertTrue(w instanceof java.util.RandomAccess, "scorers index windows");
        for (int i = 0; i < starts.size(); i++) {
          assertEquals(starts.get(i), (int) w.get(i).values()[0], "start of window " + i);
          assertEquals(i, w.get(i).index());
          assertEquals(s.timesMs()[starts.get(i)], w.get(i).startMs());
          assertEquals(w.get(i), w.get(i), "the same window on every read");
        }
        int size = w.size();
        assertThrows(IndexOutOfBoundsException.class, () -> w.get(size));
        assertThrows(UnsupportedOperationException.class, () -> w.add(w.get(0)), "the view is read-only");
      }
    }
    // Ten million windows of one slice cost its values: the view holds no window until one is read.
    long[] times = new long[10_000_063];
    java.util.Arrays.setAll(times, i -> i * 1000L);
    Series big = new Series("big", times, new float[times.length], 1);
    long before = usedHeap();
    List<Window> all = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 64, 1, LengthPolicy.REJECT))
        .build(big, new DataReport());
    long held = usedHeap() - before;
    assertEquals(10_000_000, all.size());
    assertEquals(9_999_999_000L, all.get(9_999_999).startMs());
    assertTrue(held < 50 << 20, "the view holds " + (held >> 20) + " MB; a window object each would be ~600 MB");
  }

  /** Heap in use after a collection (approximate, so compared only with a margin many times over). */
  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void badSpecsFailEarly() {
    assertThrowsWith(DataException.class, "window length must be at least 2, got 1",
        () -> new WindowSpec(WindowMode.WINDOW, 1, 1, LengthPolicy.REJECT));
    assertThrowsWith(DataException.class, "stride must be at least 1, got 0",
        () -> new WindowSpec(WindowMode.WINDOW, 8, 0, LengthPolicy.REJECT));
  }

  @Test
  void seriesRecordRoundTripGivesTheSameWindows() throws Exception {
    Series s = series("x", 11);
    Series back = Series.fromProto(java.nio.ByteBuffer.wrap(s.toProto().toByteArray()));
    assertEquals("x", back.id());
    assertArrayEquals(s.timesMs(), back.timesMs());
    assertArrayEquals(s.values(), back.values());
    WindowBuilder b = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 3, LengthPolicy.REJECT));
    List<Window> a = b.build(s, new DataReport());
    List<Window> c = b.build(back, new DataReport());
    assertEquals(a.size(), c.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).id(), c.get(i).id());
      assertArrayEquals(a.get(i).values(), c.get(i).values());
    }
    // Window ids are derived on demand, as the general formatter writes them.
    assertEquals("x@" + java.time.Instant.ofEpochMilli(s.timesMs()[3]), a.get(1).id());
  }

  @Test
  void brokenSeriesRecordsAreRefused() {
    tsad.proto.SeriesRecord good = series("x", 3).toProto();
    byte[] shortValues = good.toBuilder().clearValues().addAllValues(good.getValuesList().subList(0, 5)).build()
        .toByteArray();
    byte[] backwards = good.toBuilder().setStepMs(1, -5).build().toByteArray();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Series.fromProto(java.nio.ByteBuffer.wrap(
        shortValues))).getMessage().contains("5 values for 3 steps of 2 features"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Series.fromProto(java.nio.ByteBuffer.wrap(
        backwards))).getMessage().contains("out of order at step 2"));
    assertThrows(com.google.protobuf.InvalidProtocolBufferException.class,
        () -> Series.fromProto(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, 1, 2})));
  }
}
