package tsad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file-changing lines of a bad-input case ({@link BadInputCorpusTest}): {@code copy:}, {@code delete:},
 * {@code flip:}, {@code truncate:} and {@code proto-edit:}, applied where they stand between the runs.
 */
final class CaseFiles {
  private CaseFiles() {}

  /** Applies {@code line} if it is a file change (and says so), else returns false. */
  static boolean change(String line) throws IOException {
    int colon = line.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String value = line.substring(colon + 1).strip();
    switch (line.substring(0, colon)) {
      case "copy" -> {
        String[] a = value.split(" +");
        copy(Path.of(a[0]), Path.of(a[1]));
      }
      case "delete" -> {
        Path p = Path.of(value);
        assertTrue(Files.exists(p), "delete: " + p + " does not exist");
        delete(p);
      }
      case "flip" -> {
        String[] a = value.split(" +");
        Path p = Path.of(a[0]);
        byte[] b = Files.readAllBytes(p);
        b[Integer.parseInt(a[1])] ^= 1;
        Files.write(p, b);
      }
      case "truncate" -> {
        String[] a = value.split(" +");
        Path p = Path.of(a[0]);
        Files.write(p, java.util.Arrays.copyOf(Files.readAllBytes(p), Integer.parseInt(a[1])));
      }
      case "proto-edit" -> protoEdit(value);
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      Files.createDirectories(to.getParent());
      Files.copy(from, to);
      return;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    for (Path f : all) {
      Path t = to.resolve(from.relativize(f).toString());
      if (Files.isDirectory(f)) {
        Files.createDirectories(t);
      } else {
        Files.copy(f, t);
      }
    }
  }

  private static void delete(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      List<Path> all;
      try (Stream<Path> s = Files.walk(p)) {
        all = s.sorted(java.util.Comparator.reverseOrder()).toList();
      }
      for (Path f : all) {
        Files.delete(f);
      }
    } else {
      Files.delete(p);
    }
  }

  /** {@code PATH MESSAGE FROM => TO}: the message's text format, edited once, encoded back into the file. */
  private static void protoEdit(String value) throws IOException {
    String[] head = value.split(" +", 3);
    String[] edit = head[2].split(" => ", 2);
    Path p = Path.of(head[0]);
    Message m;
    try {
      Message.Builder b = (Message.Builder) Class.forName(head[1]).getMethod("newBuilder").invoke(null);
      m = b.mergeFrom(Files.readAllBytes(p)).build();
      String text = TextFormat.printer().printToString(m);
      assertTrue(text.contains(edit[0]), "proto-edit: no '" + edit[0] + "' in " + p + ":\n" + text);
      Message.Builder edited = m.newBuilderForType();
      TextFormat.merge(text.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
          java.util.regex.Matcher.quoteReplacement(edit[1])), edited);
      Files.write(p, edited.build().toByteArray());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("proto-edit: no message class " + head[1], e);
    }
  }
}
