package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.OutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;

/**
 * Archives serialized in memory hold what libtorch's own file writer puts in a file: the same records with the same
 * bytes. Only the zip's top folder differs ("archive/" instead of the file's base name), which no reader uses.
 */
class ArchivesTest {
  @TempDir Path dir;

  @Test
  void inMemoryBytesAreWhatSaveToAPathWrites() throws Exception {
    TorchRuntime.threads(1);
    TorchRuntime.seed(3);
    ModelSpec spec = ModelSpec.newBuilder().setArch(Architecture.LSTM).setWindowLength(16).setFeatures(2).build();
    try (Autoencoder m = Autoencoder.create(spec)) {
      Path file = dir.resolve("model.pt");
      try (OutputArchive a = new OutputArchive()) {
        m.save(a);
        a.save_to(file.toString());
      }
      byte[] bytes = Archives.toBytes(m::save);
      assertTrue(bytes.length > 1000, "an LSTM's weights are more than " + bytes.length + " bytes");
      Map<String, byte[]> fromFile = records(file);
      Path copy = Files.write(dir.resolve("in-memory.pt"), bytes);
      Map<String, byte[]> inMemory = records(copy);
      assertEquals(fromFile.keySet(), inMemory.keySet());
      assertTrue(fromFile.keySet().stream().anyMatch(k -> k.startsWith("data/")), "tensor records: " + fromFile.keySet());
      for (String k : fromFile.keySet()) {
        assertArrayEquals(fromFile.get(k), inMemory.get(k), k);
      }
    }
  }

  /** The zip's records by name below its top folder. */
  private static Map<String, byte[]> records(Path zip) throws java.io.IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        try (java.io.InputStream in = z.getInputStream(e)) {
          out.put(e.getName().substring(e.getName().indexOf('/') + 1), in.readAllBytes());
        }
      }
    }
    return out;
  }
}
