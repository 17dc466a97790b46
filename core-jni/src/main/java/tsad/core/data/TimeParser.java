package tsad.core.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import tsad.proto.TimeFormat;

/** Parses the time column into epoch milliseconds, the one time unit used inside tsad. */
public final class TimeParser {
  /** Numbers at or above this are taken as milliseconds in AUTO mode (1e11 s is the year 5138). */
  static final double AUTO_MILLIS_FROM = 1e11;

  /** What {@link #canonicalIso} returns for text it leaves to java.time. */
  static final long NOT_CANONICAL = Long.MIN_VALUE;

  private TimeParser() {}

  /** Returns epoch millis for a time field, or throws IllegalArgumentException saying what was expected. */
  public static long parse(String text, TimeFormat format) {
    String s = text.trim();
    switch (format) {
      case ISO:
        return parseIso(s);
      case EPOCH_SECONDS:
        return Math.round(parseNumber(s) * 1000.0);
      case EPOCH_MILLIS:
        return Math.round(parseNumber(s));
      default:
        if (looksNumeric(s)) {
          double v = parseNumber(s);
          return Math.abs(v) >= AUTO_MILLIS_FROM ? Math.round(v) : Math.round(v * 1000.0);
        }
        return parseIso(s);
    }
  }

  private static boolean looksNumeric(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    // "2026-01-01" is all digits and dashes: a date, not a number.
    return s.indexOf('-', 1) < 0 || s.contains("e") || s.contains("E");
  }

  private static double parseNumber(String s) {
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("time '" + s + "' is not a finite number");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("time '" + s + "' is not a number of epoch seconds/millis");
    }
  }

  private static long parseIso(String s) {
    long fast = canonicalIso(s);
    if (fast != NOT_CANONICAL) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // fall through: Instant, zone-less local date-time (taken as UTC), plain date
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time '" + s + "' is not ISO-8601 (e.g. 2026-01-01T00:00:00Z) "
          + "or epoch seconds/millis");
    }
  }

  /**
   * Epoch millis of the canonical ISO form {@code yyyy-MM-ddTHH:mm:ss[.f…f](Z|±HH:MM)} (1 to 9 fraction digits)
   * without java.time's general parser, which was about a third of prepare's time per row; the same value
   * {@code OffsetDateTime.parse} gives (tested on random and edge inputs). Any other text, and any field out of
   * range (month 13, February 30, hour 24, offset over 18 h), returns {@link #NOT_CANONICAL} and goes the
   * general way, which parses it or says what is wrong.
   */
  static long canonicalIso(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return NOT_CANONICAL;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
        || day > monthLength(year, month) || hour > 23 || minute > 59 || second > 59) {
      return NOT_CANONICAL;
    }
    int i = 19;
    int millis = 0;
    if (s.charAt(i) == '.') {
      int from = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int len = i - from;
      if (len < 1 || len > 9) {
        return NOT_CANONICAL;
      }
      for (int k = 0; k < 3; k++) { // digits past the millisecond are cut, as Instant.toEpochMilli does
        millis = millis * 10 + (k < len ? s.charAt(from + k) - '0' : 0);
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if ((oh | om) < 0 || om > 59 || oh * 3600 + om * 60 > 18 * 3600) {
        return NOT_CANONICAL;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return NOT_CANONICAL;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return (epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) * 1000 + millis;
  }

  /** The value of {@code len} ASCII digits from {@code at}, or -1 if one of them is not a digit. */
  private static int digits(String s, int at, int len) {
    int v = 0;
    for (int k = at; k < at + len; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    switch (month) {
      case 2:
        return java.time.Year.isLeap(year) ? 29 : 28;
      case 4: case 6: case 9: case 11:
        return 30;
      default:
        return 31;
    }
  }
}
