package tsad.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers shared by training (checkpoints) and the model cache. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes a file or directory tree if it exists; returns false when something could not be deleted. */
  public static boolean deleteTree(Path p) {
    if (!Files.exists(p)) {
      return true;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.sorted(Comparator.reverseOrder()).map(x -> x.toFile().delete()).reduce(true, Boolean::logicalAnd);
    } catch (IOException e) {
      return false;
    }
  }
}
