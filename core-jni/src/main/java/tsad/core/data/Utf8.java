package tsad.core.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes CSV text as UTF-8 without guessing: Java's decoders replace bytes that are not UTF-8 by U+FFFD, so two
 * slice ids that differ only in such bytes would read as one. Here such bytes make the text invalid (null), and
 * {@link #escaped} shows them as {@code \xNN} for the quarantine.
 */
public final class Utf8 {
  private Utf8() {}

  /** The text of {@code len} bytes from {@code off}, or null when they are not valid UTF-8. */
  public static String decode(byte[] b, int off, int len) {
    // The fast decoder first (most lines are ASCII); only text that came out holding U+FFFD is decoded again
    // strictly, since U+FFFD itself is valid text (bytes EF BF BD).
    String s = new String(b, off, len, StandardCharsets.UTF_8);
    return s.indexOf('\uFFFD') < 0 || firstInvalid(b, off, len) < 0 ? s : null;
  }

  /** The position (from {@code off}) of the first byte that is not part of valid UTF-8, or -1 if there is none. */
  public static int firstInvalid(byte[] b, int off, int len) {
    CharsetDecoder d = decoder();
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    CharBuffer out = CharBuffer.allocate(Math.max(16, len));
    CoderResult r = d.decode(in, out, true);
    return r.isError() ? in.position() - off : -1;
  }

  /** The bytes as text, each byte that is not valid UTF-8 written as {@code \xNN}. */
  public static String escaped(byte[] b, int off, int len) {
    CharsetDecoder d = decoder();
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    CharBuffer out = CharBuffer.allocate(Math.max(16, len));
    StringBuilder sb = new StringBuilder(len + 8);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      out.flip();
      sb.append(out);
      out.clear();
      if (r.isError()) {
        for (int i = 0; i < r.length(); i++) {
          sb.append(String.format(Locale.ROOT, "\\x%02X", in.get() & 0xFF));
        }
      } else if (r.isUnderflow()) {
        return sb.toString();
      }
    }
  }

  /**
   * The text of a header or another line that cannot be skipped, or a {@link DataException} naming {@code where}
   * and the first byte that is not UTF-8.
   */
  public static String require(byte[] b, int off, int len, String where) {
    String s = decode(b, off, len);
    if (s == null) {
      int bad = firstInvalid(b, off, len);
      throw new DataException(where + ": " + describe(b, off, bad) + ": " + escaped(b, off, len) + " (" + ADVICE + ")");
    }
    return s;
  }

  /** What to do about text that is not UTF-8, for messages. */
  static final String ADVICE = "tsad reads CSV as UTF-8; convert the file, e.g. iconv -f LATIN1 -t UTF-8";

  /** "byte N (0xNN) is not UTF-8": where decoding stopped, for messages. */
  static String describe(byte[] b, int off, int bad) {
    return String.format(Locale.ROOT, "byte %d (0x%02X) is not UTF-8", bad + 1, b[off + bad] & 0xFF);
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
