package tsad.core.window;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Windows kept by the series they come from: a read-only list that joins per-series window lists (the views
 * {@link WindowBuilder#build} returns, or sublists of them) and makes each window when it is read. Training keeps
 * every window of its input; held as objects they cost ~60 bytes each, more than the values of a one-feature
 * window's new step, held this way an int per series.
 */
public final class WindowList extends AbstractList<Window> implements RandomAccess {
  private final List<Window>[] parts;
  /** starts[i] = the list index of parts[i]'s first window; starts[parts.length] = size. */
  private final int[] starts;
  private int lastPart;

  @SuppressWarnings("unchecked")
  private WindowList(List<List<Window>> lists) {
    List<List<Window>> kept = new ArrayList<>(lists.size());
    for (List<Window> l : lists) {
      if (l instanceof WindowList w) {
        kept.addAll(w.parts());   // one level, not lists of lists: a read follows one reference less per level
      } else if (!l.isEmpty()) {
        kept.add(l);
      }
    }
    this.parts = kept.toArray(new List[0]);
    this.starts = new int[parts.length + 1];
    long total = 0;
    for (int i = 0; i < parts.length; i++) {
      starts[i] = (int) total;
      total += parts[i].size();
      if (total > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " windows in one list");
      }
    }
    starts[parts.length] = (int) total;
  }

  /** The windows of {@code lists}, one after another; each list should be random-access (a view, a sublist). */
  public static WindowList of(List<List<Window>> lists) {
    return new WindowList(lists);
  }

  /** The joined lists, in order (empty ones left out). */
  public List<List<Window>> parts() {
    return List.of(parts);
  }

  @Override
  public Window get(int index) {
    Objects.checkIndex(index, size());
    // Most reads go through the list in order: try the part of the last read first. A stale value from another
    // thread is only a guess, checked against the (final) starts before use.
    int p = lastPart;
    if (index < starts[p] || index >= starts[p + 1]) {
      p = partOf(index);
      lastPart = p;
    }
    return parts[p].get(index - starts[p]);
  }

  /** The part holding {@code index} (0 <= index < size): empty parts are left out, so starts strictly increase. */
  private int partOf(int index) {
    int p = Arrays.binarySearch(starts, 0, parts.length, index);
    return p < 0 ? -p - 2 : p;
  }

  /** A view of windows {@code from..to-1}, itself a list of the parts' own views (so reads stay one level deep). */
  @Override
  public WindowList subList(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    List<List<Window>> out = new ArrayList<>();
    for (int p = from < size() ? partOf(from) : parts.length; p < parts.length && starts[p] < to; p++) {
      int a = Math.max(from, starts[p]) - starts[p];
      int b = Math.min(to, starts[p + 1]) - starts[p];
      if (a < b) {
        out.add(a == 0 && b == parts[p].size() ? parts[p] : parts[p].subList(a, b));
      }
    }
    return new WindowList(out);
  }

  @Override
  public int size() {
    return starts[parts.length];
  }
}
