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
}
