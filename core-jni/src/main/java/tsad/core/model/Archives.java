package tsad.core.model;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.ArchiveWriter;
import org.bytedeco.pytorch.OutputArchive;

/**
 * libtorch archives serialized in memory. libtorch's own file writer aborts the JVM when a write fails (a full disk:
 * its archive writer throws again from a destructor, and C++ terminates), so tsad never hands it a path: it takes
 * the bytes and writes them with Java's I/O, where a failure is an exception.
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
}
