package tsad.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;

/**
 * Whether a libtorch archive holds exactly the tensors of a model. libtorch's own load reshapes a parameter to
 * whatever the archive holds and ignores tensors the model lacks, so a spec that is not the weights' own would load;
 * bundles and training checkpoints check with this first.
 */
public final class Archives {
  private Archives() {}

  /**
   * What does not fit: each tensor {@code model} has that the archive lacks or holds in another shape, and each
   * tensor of the archive the model does not have (at most {@code max}, in name order); empty when all fit.
   */
  public static List<String> misfits(Autoencoder model, InputArchive archive, int max) {
    Map<String, List<Long>> want = new TreeMap<>();
    for (StringTensorDict d : List.of(model.named_parameters(true), model.named_buffers(true))) {
      try (d) {
        for (long i = 0; i < d.size(); i++) {
          var item = d.get(i);
          want.put(item.key().getString(), shape(item.value()));
        }
      }
    }
    Map<String, List<Long>> got = new TreeMap<>();
    tensors(archive, "", got);
    List<String> diff = new ArrayList<>();
    for (Map.Entry<String, List<Long>> w : want.entrySet()) {
      List<Long> g = got.get(w.getKey());
      if (g == null) {
        diff.add(w.getKey() + " missing");
      } else if (!g.equals(w.getValue())) {
        diff.add(w.getKey() + " is " + g + ", the spec needs " + w.getValue());
      }
    }
    got.keySet().stream().filter(k -> !want.containsKey(k)).forEach(k -> diff.add(k + " is not in the model"));
    return diff.size() <= max ? diff : diff.subList(0, max);
  }

  private static void tensors(InputArchive a, String prefix, Map<String, List<Long>> out) {
    try (StringVector keys = a.keys()) {
      for (long i = 0; i < keys.size(); i++) {
        String k = keys.get(i).getString();
        try (Tensor t = new Tensor()) {
          if (a.try_read(k, t)) {
            out.put(prefix + k, shape(t));
            continue;
          }
        }
        try (InputArchive sub = new InputArchive()) {
          if (a.try_read(k, sub)) {
            tensors(sub, prefix + k + ".", out);
          }
        }
      }
    }
  }

  private static List<Long> shape(Tensor t) {
    List<Long> s = new ArrayList<>();
    for (long d = 0; d < t.dim(); d++) {
      s.add(t.size(d));
    }
    return s;
  }
}
