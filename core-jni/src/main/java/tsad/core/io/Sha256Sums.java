package tsad.core.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seal: the sha256 of named files in the text format of {@code sha256sum} ({@code HEX  NAME} a line), so that
 * {@code sha256sum -c} checks it too. Bundles, training checkpoints and prepared data keep one beside the files a
 * protobuf cannot pin itself (its own bytes); each reader refuses what does not match, in its own words.
 */
public final class Sha256Sums {
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *]([^/\\\\]+)");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private final Map<String, String> sums;

  private Sha256Sums(Map<String, String> sums) {
    this.sums = Collections.unmodifiableMap(sums);
  }

  /** The seal of {@code files} (name to contents), in the map's order. */
  public static Sha256Sums of(Map<String, byte[]> files) {
    Map<String, String> m = new LinkedHashMap<>();
    files.forEach((name, bytes) -> m.put(name, hex(bytes)));
    return new Sha256Sums(m);
  }

  /**
   * Reads a seal; text that is not a list of {@code HEX  NAME} lines (plain names, no directories) throws
   * {@link IllegalArgumentException} saying which line.
   */
  public static Sha256Sums parse(byte[] text) {
    Map<String, String> m = new LinkedHashMap<>();
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty() && i == lines.length - 1) {
        break;
      }
      Matcher x = LINE.matcher(lines[i]);
      if (!x.matches() || m.put(x.group(2), x.group(1)) != null) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not 'SHA256  NAME' with a new name");
      }
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("it lists no files");
    }
    return new Sha256Sums(m);
  }

  /** The seal as {@code sha256sum} writes it. */
  public byte[] toBytes() {
    StringBuilder b = new StringBuilder();
    sums.forEach((name, hex) -> b.append(hex).append("  ").append(name).append('\n'));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The sealed names and their sha256, in the seal's order. */
  public Map<String, String> sums() {
    return sums;
  }

  /**
   * Why {@code bytes} are not the sealed contents of {@code name} ("not listed", or expected and actual sha256), or
   * null when they are.
   */
  public String mismatch(String name, byte[] bytes) {
    String want = sums.get(name);
    if (want == null) {
      return "it is not listed";
    }
    String got = hex(bytes);
    return got.equals(want) ? null : "expected sha256 " + want + ", got " + got;
  }

  /** True for a lower-case hex sha256 (64 digits). */
  public static boolean isSha256(String s) {
    return s != null && HEX.matcher(s).matches();
  }

  /** Hex sha256 of bytes. */
  public static String hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
