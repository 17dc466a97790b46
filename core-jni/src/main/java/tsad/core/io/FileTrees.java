package tsad.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Directory helpers shared by training (checkpoints), the model cache, and the inputs: which files of a directory
 * input are read, the same rule for the local reader and the MapReduce jobs, and the line that names the others.
 */
public final class FileTrees {
  /** At most this many skipped names are listed in {@link #skippedLine}; the rest are counted. */
  static final int LISTED = 10;

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

  /**
   * Whether a file of this name in a directory input is read as CSV: {@code *.csv} in any letter case ({@code
   * B.CSV}, as tools on Windows write it), or {@code *.csv.gz} with gzip's {@code .gz} in lower case (the suffix
   * Hadoop's codecs, and so the MapReduce jobs, decompress by). Hidden names (starting with {@code .} or {@code _},
   * Hadoop's markers and checksums such as {@code _SUCCESS} and {@code .a.csv.crc}) are not read.
   */
  public static boolean isCsvName(String name) {
    if (name.startsWith(".") || name.startsWith("_")) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".csv") || name.endsWith(".gz") && lower.endsWith(".csv.gz");
  }

  /**
   * The warning that names the entries of directory {@code dir} that are not read (subdirectories with a trailing
   * {@code /}), or null when there are none: a directory input is not read whole, and the user sees what was left.
   */
  public static String skippedLine(String dir, List<String> skipped) {
    if (skipped.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>(skipped);
    names.sort(null);
    String listed = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
    return "skipped " + names.size() + (names.size() == 1 ? " entry" : " entries") + " in " + dir
        + (names.size() == 1 ? " that is not a *.csv / *.csv.gz file: " : " that are not *.csv / *.csv.gz files: ")
        + listed
        + (names.size() > LISTED ? ", and " + (names.size() - LISTED) + " more" : "");
  }
}
