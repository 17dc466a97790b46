package tsad.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tsad.core.window.Window;

/**
 * Splits windows into training and validation sets without leakage: whole series go to one side when
 * there are enough series, otherwise the last windows in time of each series are held out. Windows are
 * first put in a canonical order (series id, then position), so the same data gives the same split and the
 * same model whatever order its rows arrived in (CSV, or MapReduce output).
 */
public final class Split {
  /** The two sides. */
  public record Parts(List<Window> train, List<Window> validation, String how) {}

  private Split() {}

  /** Holds out about {@code fraction} of the windows, reproducibly for a seed. */
  public static Parts of(List<Window> windows, double fraction, long seed) {
    List<Window> sorted = new ArrayList<>(windows);
    sorted.sort(java.util.Comparator.comparing(Window::seriesId).thenComparingInt(Window::index));
    if (fraction <= 0) {
      return new Parts(sorted, List.of(), "none");
    }
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
      return new Parts(train, val, "by series");
    }
    for (List<Window> ws : bySeries.values()) {
      int nVal = (int) Math.floor(ws.size() * fraction);
      train.addAll(ws.subList(0, ws.size() - nVal));
      val.addAll(ws.subList(ws.size() - nVal, ws.size()));
    }
    return new Parts(train, val, "by time (last windows of each series)");
  }
}
