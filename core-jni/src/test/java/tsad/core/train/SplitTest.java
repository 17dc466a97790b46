package tsad.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowList;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/**
 * The split as views of the series' windows, checked by what it promises (every window once, whole series or the
 * last windows in time held out, the order of arrival irrelevant) and on small cases worked out by hand, not against
 * a second implementation of it.
 */
class SplitTest {
  private static List<Window> cut(String id, int n, int stride) {
    long[] times = new long[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      times[i] = 1000L * i;
      v[i] = i;
    }
    return new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 8, stride, LengthPolicy.PAD))
        .build(new Series(id, times, v, 1), new DataReport());
  }

  /** Window {@code index} of series {@code id}, one step long. */
  private static Window w(String id, int index) {
    return new Window(null, id, 1000L * index, 1000L * index, 1, 1, 1, index, new float[] {index});
  }

  private static List<String> names(List<Window> ws) {
    List<String> out = new ArrayList<>();
    for (Window w : ws) {
      out.add(w.seriesId() + "#" + w.index() + "@" + w.startMs());
    }
    return out;
  }

  private static List<String> sorted(List<String> names) {
    List<String> s = new ArrayList<>(names);
    Collections.sort(s);
    return s;
  }

  /** The positions of each series' windows, by series id. */
  private static Map<String, List<Integer>> positions(List<Window> ws) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (Window w : ws) {
      out.computeIfAbsent(w.seriesId(), k -> new ArrayList<>()).add(w.index());
    }
    return out;
  }

  /** A side holds each series' windows together, in position order (equal positions only for a repeated id). */
  private static void assertGroupedInPositionOrder(List<Window> side, String where) {
    Set<String> done = new HashSet<>();
    String current = null;
    int last = Integer.MIN_VALUE;
    for (Window w : side) {
      if (!w.seriesId().equals(current)) {
        assertTrue(done.add(w.seriesId()), "series " + w.seriesId() + " in two places, " + where);
        current = w.seriesId();
      } else {
        assertTrue(w.index() >= last, "series " + current + " out of position order, " + where);
      }
      last = w.index();
    }
  }

  private static void assertSplitKeepsItsPromises(List<Window> windows, double fraction, long seed) {
    Split.Parts p = Split.of(windows, fraction, seed);
    String where = "fraction " + fraction + ", seed " + seed;
    List<String> both = new ArrayList<>(names(p.train()));
    both.addAll(names(p.validation()));
    List<String> expected = new ArrayList<>(names(windows));
    expected.removeAll(names(purgeGap(windows, p)));
    assertEquals(sorted(expected), sorted(both), "every window on one side but the purge gap, " + where);
    assertGroupedInPositionOrder(p.train(), where);
    assertGroupedInPositionOrder(p.validation(), where);
    Map<String, List<Integer>> all = positions(windows);
    if (fraction <= 0) {
      assertEquals("none", p.how());
      assertTrue(p.validation().isEmpty());
      assertEquals(List.copyOf(all.keySet()), List.copyOf(new LinkedHashSet<>(ids(p.train()))), "series in id order");
    } else if (all.size() * fraction >= 2) {
      assertEquals("by series", p.how(), where);
      Set<String> val = new HashSet<>(ids(p.validation()));
      for (String id : ids(p.train())) {
        assertFalse(val.contains(id), "series " + id + " on both sides, " + where);
      }
      assertEquals(Math.round(all.size() * fraction), val.size(), "series held out, " + where);
    } else {
      assertTrue(p.how().startsWith("by time"), p.how());
      Map<String, List<Integer>> train = positions(p.train());
      Map<String, List<Integer>> val = positions(p.validation());
      for (Map.Entry<String, List<Integer>> e : all.entrySet()) {
        List<Integer> t = train.getOrDefault(e.getKey(), List.of());
        List<Integer> v = val.getOrDefault(e.getKey(), List.of());
        assertEquals((int) Math.floor(e.getValue().size() * fraction), v.size(), e.getKey() + ", " + where);
        if (!t.isEmpty() && !v.isEmpty()) {
          assertTrue(Collections.max(t) <= Collections.min(v), "the last windows are held out: " + e.getKey());
        }
      }
      for (Window gap : purgeGap(windows, p)) {
        assertTrue(firstValidationStart(p, gap.seriesId()) <= gap.endMs(), "only overlapping windows are left out");
      }
      Set<String> tooShort = new HashSet<>();   // every training window overlaps: the series keeps them all
      for (Window t : p.train()) {
        if (t.index() == positions(p.train()).get(t.seriesId()).get(0) && t.endMs() >= firstValidationStart(p,
            t.seriesId())) {
          tooShort.add(t.seriesId());
        }
        assertTrue(tooShort.contains(t.seriesId()) || t.endMs() < firstValidationStart(p, t.seriesId()),
            "a training window overlaps validation, " + where);
      }
      for (Window gap : purgeGap(windows, p)) {
        assertFalse(tooShort.contains(gap.seriesId()), "a gap in a series that keeps its overlapping windows");
      }
      assertEquals(List.copyOf(all.keySet()), List.copyOf(new LinkedHashSet<>(ids(p.train()))), "series in id order");
    }
    // The order of arrival does not matter: the same windows shuffled (sorted as a copy) split the same way.
    List<Window> shuffled = new ArrayList<>(windows);
    Collections.shuffle(shuffled, new Random(seed + 100));
    Split.Parts q = Split.of(shuffled, fraction, seed);
    assertEquals(names(p.train()), names(q.train()), "train of the shuffled input, " + where);
    assertEquals(names(p.validation()), names(q.validation()), "validation of the shuffled input, " + where);
  }

  /** The windows on neither side. */
  private static List<Window> purgeGap(List<Window> windows, Split.Parts p) {
    Set<String> placed = new HashSet<>(names(p.train()));
    placed.addAll(names(p.validation()));
    List<Window> out = new ArrayList<>();
    for (Window w : windows) {
      if (!placed.contains(names(List.of(w)).get(0))) {
        out.add(w);
      }
    }
    return out;
  }

  /** The start of the first validation window of a series, or the largest time when it has none. */
  private static long firstValidationStart(Split.Parts p, String series) {
    long first = Long.MAX_VALUE;
    for (Window v : p.validation()) {
      if (v.seriesId().equals(series)) {
        first = Math.min(first, v.startMs());
      }
    }
    return first;
  }

  private static List<String> ids(List<Window> ws) {
    List<String> out = new ArrayList<>();
    for (Window w : ws) {
      out.add(w.seriesId());
    }
    return out;
  }

  @Test
  void viewsOfTheSeriesGiveTheSplitOfTheSortedCopy() {
    Random r = new Random(5);
    List<List<Window>> series = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      series.add(cut(String.format("s%03d", r.nextInt(1000)) + "-" + i, 8 + r.nextInt(60), 1 + r.nextInt(4)));
    }
    Set<List<String>> validations = new HashSet<>();
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(series, r);   // series in any order, as from several part files
      List<Window> joined = WindowList.of(series);
      for (double fraction : new double[] {0, 0.2, 0.5}) {
        assertSplitKeepsItsPromises(joined, fraction, round);
        assertSplitKeepsItsPromises(joined.subList(0, 3 * 8), fraction, round);   // few series: by time
      }
      assertTrue(Split.of(joined, 0.2, 1).train() instanceof WindowList, "a view, not a copy");
      assertEquals(names(Split.of(joined, 0.2, 1).validation()), names(Split.of(joined, 0.2, 1).validation()),
          "the same seed, the same split");
      validations.add(names(Split.of(joined, 0.2, round).validation()));
    }
    assertEquals(5, validations.size(), "another seed holds out other series");
  }

  @Test
  void windowsInAnyOtherOrderAreSortedAsBefore() {
    List<Window> all = new ArrayList<>(cut("b", 30, 1));
    all.addAll(cut("a", 20, 2));
    all.addAll(cut("b", 12, 1));   // a series id seen twice
    List<Window> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new Random(3));   // windows of a series out of order
    for (List<Window> in : List.of(all, shuffled)) {
      for (double fraction : new double[] {0, 0.2, 0.9}) {
        assertSplitKeepsItsPromises(in, fraction, 7);
      }
    }
  }

  @Test
  void theTrainingWindowsThatOverlapTheHeldOutOnesAreLeftOut() {
    // One series of 40 rows, T=8, stride 1: 33 windows, floor(33 * 0.2) = 6 held out (windows 27..32, from row 27).
    // Window i covers rows i..i+7, so windows 20..26 share rows with them: the gap; 0..19 train.
    Split.Parts p = Split.of(cut("a", 40, 1), 0.2, 1);
    assertEquals(20, p.train().size());
    assertEquals(19, p.train().get(19).index());
    assertEquals(List.of(27, 28, 29, 30, 31, 32), positions(p.validation()).get("a"));
    // 13 windows, 6 held out from row 7: every earlier window overlaps them; a series that short keeps them.
    Split.Parts shortSeries = Split.of(cut("a", 20, 1), 0.5, 1);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), positions(shortSeries.train()).get("a"));
  }

  @Test
  void twoSeriesAreSplitByTimeAsWorkedOutByHand() {
    // Two series * 0.5 < 2: by time. a has 3 windows, floor(1.5) = 1 held out; b has 4, floor(2) = 2 held out.
    List<Window> in = List.of(w("b", 0), w("b", 1), w("b", 2), w("b", 3), w("a", 0), w("a", 1), w("a", 2));
    List<Window> mixed = List.of(w("a", 2), w("b", 1), w("a", 0), w("b", 3), w("b", 0), w("a", 1), w("b", 2));
    for (List<Window> windows : List.of(in, mixed)) {
      Split.Parts p = Split.of(windows, 0.5, 1);
      assertTrue(p.how().startsWith("by time (last windows of each series"), p.how());
      assertEquals(List.of("a#0@0", "a#1@1000", "b#0@0", "b#1@1000"), names(p.train()));
      assertEquals(List.of("a#2@2000", "b#2@2000", "b#3@3000"), names(p.validation()));
      // floor(3 * 0.2) = floor(4 * 0.2) = 0: nothing held out, everything in order.
      Split.Parts few = Split.of(windows, 0.2, 1);
      assertEquals(List.of("a#0@0", "a#1@1000", "a#2@2000", "b#0@0", "b#1@1000", "b#2@2000", "b#3@3000"),
          names(few.train()));
      assertTrue(few.validation().isEmpty());
    }
  }

  @Test
  void tenSeriesAreSplitWholeAndASeedsSplitStaysTheSame() {
    // Ten series * 0.2 = 2: by series, round(2) = 2 of them held out. Which two is recorded: the series in id order
    // shuffled by Collections.shuffle with new Random(7) (both specified by the JDK) give s0 s1 s9 s3 s7 s4 s8 s5
    // s2 s6; the first two are held out. A seed's split must not change, or the same seed would train another model.
    List<Window> in = new ArrayList<>();
    for (int i = 9; i >= 0; i--) {
      in.add(w("s" + i, 0));
      in.add(w("s" + i, 1));
    }
    Split.Parts p = Split.of(in, 0.2, 7);
    assertEquals("by series", p.how());
    assertEquals(List.of("s0#0@0", "s0#1@1000", "s1#0@0", "s1#1@1000"), names(p.validation()));
    assertEquals(List.of("s9", "s3", "s7", "s4", "s8", "s5", "s2", "s6"),
        List.copyOf(new LinkedHashSet<>(ids(p.train()))));
    assertEquals(16, p.train().size());
  }

  @Test
  void aSplitThatHoldsOutNothingIsWarnedAboutWithWhatItMeans() {
    List<Window> one = cut("only", 8, 4);
    Split.Parts p = Split.of(one, 0.2, 1);
    assertEquals(List.of(), p.validation(), "floor(0.2 x 1 window) holds out none");
    String w = TrainPipeline.noValidationWarning(0.2, p.train().size(), false, false);
    assertEquals("no validation windows (a validation fraction of 0.2 of 1 window holds out none): early stopping "
        + "follows the training loss, and the threshold is fitted on the training windows' scores, which the model "
        + "learned: it tends to be too low (more false alarms); give more slices or windows, or a larger validation "
        + "fraction", w);
    assertEquals("no validation windows (the validation fraction is 0): early stopping follows the training loss, "
        + "and there is no held-out error to gate the fine-tuned model against its parent's; give more slices or "
        + "windows, or a larger validation fraction", TrainPipeline.noValidationWarning(0, 5, true, true),
        "a labelled threshold does not use the training scores; fine-tuning loses its gate");
  }
}
