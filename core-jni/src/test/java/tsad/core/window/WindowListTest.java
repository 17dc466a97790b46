package tsad.core.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.proto.LengthPolicy;
import tsad.proto.WindowMode;

/** The joined view against a plain list of the same windows. */
class WindowListTest {
  private static String name(Window w) {
    return w.seriesId() + "#" + w.index() + "@" + w.startMs() + "/" + w.offset();
  }

  private static List<String> names(List<Window> ws) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ws.size(); i++) {
      out.add(name(ws.get(i)));
    }
    return out;
  }

  @Test
  void readsAndViewsMatchAPlainListOfTheSameWindows() {
    Random r = new Random(1);
    WindowBuilder b = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 4, 1, LengthPolicy.PAD));
    List<List<Window>> parts = new ArrayList<>();
    List<Window> plain = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int n = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(20);   // empty parts too
      long[] t = new long[n];
      float[] v = new float[n];
      for (int k = 0; k < n; k++) {
        t[k] = k;
        v[k] = k;
      }
      List<Window> w = n == 0 ? List.of() : b.build(new Series("s" + i, t, v, 1), new DataReport());
      parts.add(w);
      plain.addAll(w);
    }
    WindowList joined = WindowList.of(parts);
    assertEquals(names(plain), names(joined));
    for (int k = 0; k < 200; k++) {   // random reads, then views of views, joined again
      int i = r.nextInt(plain.size());
      assertEquals(name(plain.get(i)), name(joined.get(i)));
      int from = r.nextInt(plain.size() + 1);
      int to = from + r.nextInt(plain.size() - from + 1);
      List<Window> view = joined.subList(from, to);
      assertEquals(names(plain.subList(from, to)), names(view));
      int a = r.nextInt(view.size() + 1);
      assertEquals(names(plain.subList(from + a, to)), names(WindowList.of(List.of(view.subList(a, view.size())))));
    }
    assertEquals(0, joined.subList(joined.size(), joined.size()).size());
    assertThrows(IndexOutOfBoundsException.class, () -> joined.get(plain.size()));
    assertThrows(IndexOutOfBoundsException.class, () -> joined.subList(3, 2));
  }
}
