package tsad.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowList;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** The split as views of the series' windows, against the split that sorted and copied every window. */
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

  /** The split before views: a sorted copy, grouped, shuffled by series or cut by time. */
  private static List<List<Window>> reference(List<Window> windows, double fraction, long seed) {
    List<Window> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparing(Window::seriesId).thenComparingInt(Window::index));
    Map<String, List<Window>> bySeries = new LinkedHashMap<>();
    for (Window w : sorted) {
      bySeries.computeIfAbsent(w.seriesId(), k -> new ArrayList<>()).add(w);
    }
    List<Window> train = new ArrayList<>();
    List<Window> val = new ArrayList<>();
    if (bySeries.size() * fraction >= 2) {
      List<String> ids = new ArrayList<>(bySeries.keySet());
      Collections.shuffle(ids, new Random(seed));
      int nVal = (int) Math.round(ids.size() * fraction);
      for (int i = 0; i < ids.size(); i++) {
        (i < nVal ? val : train).addAll(bySeries.get(ids.get(i)));
      }
    } else {
      for (List<Window> ws : bySeries.values()) {
        int nVal = (int) Math.floor(ws.size() * fraction);
        train.addAll(ws.subList(0, ws.size() - nVal));
        val.addAll(ws.subList(ws.size() - nVal, ws.size()));
      }
    }
    return List.of(train, val);
  }

  private static List<String> names(List<Window> ws) {
    List<String> out = new ArrayList<>();
    for (Window w : ws) {
      out.add(w.seriesId() + "#" + w.index() + "@" + w.startMs());
    }
    return out;
  }

  private static void assertSameSplit(List<Window> windows, double fraction, long seed) {
    Split.Parts p = Split.of(windows, fraction, seed);
    List<List<Window>> ref = reference(windows, fraction, seed);
    assertEquals(names(ref.get(0)), names(p.train()), "train, fraction " + fraction);
    assertEquals(names(ref.get(1)), names(p.validation()), "validation, fraction " + fraction);
  }

  @Test
  void viewsOfTheSeriesGiveTheSplitOfTheSortedCopy() {
    Random r = new Random(5);
    List<List<Window>> series = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      series.add(cut(String.format("s%03d", r.nextInt(1000)) + "-" + i, 8 + r.nextInt(60), 1 + r.nextInt(4)));
    }
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(series, r);   // series in any order, as from several part files
      List<Window> joined = WindowList.of(series);
      for (double fraction : new double[] {0, 0.2, 0.5}) {
        assertSameSplit(joined, fraction, round);
        assertSameSplit(joined.subList(0, 3 * 8), fraction, round);   // few series: by time
      }
      assertTrue(Split.of(joined, 0.2, 1).train() instanceof WindowList, "a view, not a copy");
    }
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
        assertSameSplit(in, fraction, 7);
      }
    }
  }
}
