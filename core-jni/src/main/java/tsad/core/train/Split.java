package tsad.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tsad.core.window.Window;
import tsad.core.window.WindowList;

/**
 * Splits windows into training and validation sets without leakage: whole series go to one side when
 * there are enough series, otherwise the last windows in time of each series are held out, and the training windows
 * that share rows with them are left out of both sides (a purge gap: an overlapping window would let the model see
 * the validation rows, and the threshold would then be fitted on scores lower than unseen data gets). Windows are
 * first put in a canonical order (series id, then position), so the same data gives the same split and the
 * same model whatever order its rows arrived in (CSV, or MapReduce output). Both sides are views of the
 * series' windows ({@link WindowList}), not copies.
 */
public final class Split {
  /** The two sides. */
  public record Parts(List<Window> train, List<Window> validation, String how) {}

  private Split() {}

  /** Holds out about {@code fraction} of the windows, reproducibly for a seed. */
  public static Parts of(List<Window> windows, double fraction, long seed) {
    List<List<Window>> bySeries = bySeries(windows);
    if (fraction <= 0) {
      return new Parts(WindowList.of(bySeries), List.of(), "none");
    }
    List<List<Window>> train = new ArrayList<>();
    List<List<Window>> val = new ArrayList<>();
    if (bySeries.size() * fraction >= 2) {
      List<List<Window>> shuffled = new ArrayList<>(bySeries);
      Collections.shuffle(shuffled, new Random(seed));
      int nVal = (int) Math.round(shuffled.size() * fraction);
      for (int i = 0; i < shuffled.size(); i++) {
        (i < nVal ? val : train).add(shuffled.get(i));
      }
      return new Parts(WindowList.of(train), WindowList.of(val), "by series");
    }
    for (List<Window> ws : bySeries) {
      int nVal = (int) Math.floor(ws.size() * fraction);
      int firstVal = ws.size() - nVal;
      int end = nVal == 0 ? firstVal : purged(ws, firstVal);
      // A series too short for the gap trains on its overlapping windows rather than on nothing.
      train.add(ws.subList(0, end == 0 ? firstVal : end));
      val.add(ws.subList(firstVal, ws.size()));
    }
    return new Parts(WindowList.of(train), WindowList.of(val),
        "by time (last windows of each series, after a gap of the windows that overlap them)");
  }

  /** The number of leading windows that end before the window at {@code firstVal} starts. */
  private static int purged(List<Window> ws, int firstVal) {
    long valStart = ws.get(firstVal).startMs();
    int end = firstVal;
    while (end > 0 && ws.get(end - 1).endMs() >= valStart) {
      end--;
    }
    return end;
  }

  /**
   * The windows of each series in position order, the series in id order. The readers give each series' windows
   * together and in order, so these are views of runs of the input; any other order is sorted, as a copy.
   */
  static List<List<Window>> bySeries(List<Window> windows) {
    List<List<Window>> runs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    boolean inOrder = true;
    int start = 0;
    int lastIndex = 0;
    String id = null;
    for (int i = 0; i < windows.size() && inOrder; i++) {
      Window w = windows.get(i);
      if (i == 0 || !w.seriesId().equals(id)) {
        if (i > 0) {
          runs.add(windows.subList(start, i));
        }
        start = i;
        id = w.seriesId();
        ids.add(id);
      } else {
        inOrder = w.index() > lastIndex;
      }
      lastIndex = w.index();
    }
    if (!inOrder) {
      return regrouped(windows);
    }
    if (!windows.isEmpty()) {
      runs.add(windows.subList(start, windows.size()));
    }
    List<Integer> order = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(ids::get));
    List<List<Window>> sorted = new ArrayList<>(runs.size());
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      if (k > 0 && ids.get(i).equals(ids.get(order.get(k - 1)))) {
        return regrouped(windows); // a series in two runs: the input was not grouped
      }
      sorted.add(runs.get(i));
    }
    return sorted;
  }

  /** The windows of each series, sorted as a copy: the fallback for input that is not in runs of series. */
  private static List<List<Window>> regrouped(List<Window> windows) {
    List<Window> copy = new ArrayList<>(windows);
    copy.sort(Comparator.comparing(Window::seriesId).thenComparingInt(Window::index));
    Map<String, List<Window>> groups = new LinkedHashMap<>();
    for (Window w : copy) {
      groups.computeIfAbsent(w.seriesId(), k -> new ArrayList<>()).add(w);
    }
    return new ArrayList<>(groups.values());
  }
}
