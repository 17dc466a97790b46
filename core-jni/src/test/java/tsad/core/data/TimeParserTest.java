package tsad.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tsad.proto.TimeFormat;

/** The canonical ISO fast path gives java.time's value, or leaves the text to java.time; other forms still parse. */
class TimeParserTest {
  /** What java.time makes of the text: epoch millis, or null when it refuses it. */
  private static Long javaTime(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void agrees(String s) {
    long fast = TimeParser.canonicalIso(s);
    Long slow = javaTime(s);
    if (fast != TimeParser.NOT_CANONICAL) {
      assertEquals(slow, fast, s);
    } else if (slow != null) {
      assertEquals(slow.longValue(), TimeParser.parse(s, TimeFormat.ISO), s + " (general path)");
    }
  }

  @Test
  void fastPathMatchesJavaTimeOnRandomCanonicalTimes() {
    SplittableRandom r = new SplittableRandom(5);
    int fast = 0;
    for (int i = 0; i < 200_000; i++) {
      int fraction = r.nextInt(0, 11); // 0: none, 10: a bare '.' (java.time decides)
      String frac = fraction == 0 ? "" : "." + "123456789".substring(0, Math.min(fraction, 9))
          .replace('1', (char) ('0' + r.nextInt(10)));
      String zone = switch (r.nextInt(4)) {
        case 0 -> "Z";
        case 1 -> String.format("+%02d:%02d", r.nextInt(0, 20), r.nextInt(0, 61));
        case 2 -> String.format("-%02d:%02d", r.nextInt(0, 20), r.nextInt(0, 61));
        default -> "+00:00";
      };
      String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", r.nextInt(0, 10_000), r.nextInt(0, 14),
          r.nextInt(0, 33), r.nextInt(0, 25), r.nextInt(0, 61), r.nextInt(0, 61), fraction == 10 ? "." : frac, zone);
      agrees(s);
      fast += TimeParser.canonicalIso(s) != TimeParser.NOT_CANONICAL ? 1 : 0;
    }
    assertTrue(fast > 50_000, "most random canonical times take the fast path: " + fast);
  }

  @Test
  void edgesAndOtherFormsAgreeWithJavaTime() {
    String[] cases = {"2026-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
        "1969-12-31T23:59:59.9995Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z",
        "2026-01-01T00:00:00+18:00", "2026-01-01T00:00:00-18:00", "2026-01-01T00:00:00+18:01",
        "2026-01-01T00:00:00+05:30", "2026-01-01T00:00:00.5+05:30", "2026-01-01t00:00:00z",
        "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-01-01T00:00:00+0530", "+12026-01-01T00:00:00Z",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-1-01T00:00:00Z", "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00+05:30:15", "2026-01-01T0a:00:00Z", "2026-01-01T00:00:00ZZ"};
    for (String s : cases) {
      agrees(s);
    }
    assertEquals(1_767_225_600_000L, TimeParser.canonicalIso("2026-01-01T00:00:00Z"));
    assertEquals(-1L, TimeParser.canonicalIso("1969-12-31T23:59:59.9995Z"), "cut to the millisecond, downwards");
  }

  @Test
  void nonCanonicalFormsStillParseAndBadOnesSayWhatIsExpected() {
    assertEquals(1_767_225_600_000L, TimeParser.parse("2026-01-01 00:00:00", TimeFormat.AUTO), "local, as UTC");
    assertEquals(1_767_225_600_000L, TimeParser.parse("2026-01-01", TimeFormat.AUTO), "a plain date");
    assertEquals(1_767_225_600_000L, TimeParser.parse("2026-01-01T00:00Z", TimeFormat.AUTO), "no seconds");
    assertEquals(1_767_225_600_000L, TimeParser.parse("1767225600", TimeFormat.AUTO), "epoch seconds");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TimeParser.parse("2026-02-30T00:00:00Z", TimeFormat.AUTO));
    assertTrue(e.getMessage().contains("is not ISO-8601"), e.getMessage());
  }
}
