package tsad.core.model;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.ArchiveWriter;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;

/**
 * libtorch archives as tsad reads and writes them. Writing: serialized in memory, because libtorch's own file writer
 * aborts the JVM when a write fails (a full disk: its archive writer throws again from a destructor, and C++
 * terminates), so tsad never hands it a path and writes the bytes with Java's I/O, where a failure is an exception.
 * Reading: whether an archive holds exactly the tensors of a model, because libtorch's own load reshapes a parameter
 * to whatever the archive holds and ignores tensors the model lacks, so a spec that is not the weights' own would
 * load; bundles and training checkpoints check with this first.
 */
public final class Archives {
  private Archives() {}

  /** The bytes of an archive that {@code filler} fills (e.g. {@code model::save}), as save_to would write them. */
  public static byte[] toBytes(Consumer<OutputArchive> filler) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputArchive a = new OutputArchive();
         ArchiveWriter writer = new ArchiveWriter() {
           @Override
           public long call(Pointer data, long n) {
             byte[] chunk = new byte[Math.toIntExact(n)];
             new BytePointer(data).capacity(n).get(chunk);
             bytes.write(chunk, 0, chunk.length);
             return n;
           }
         }) {
      filler.accept(a);
      a.save_to(writer);
    }
    return bytes.toByteArray();
  }

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
