package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Score lines: exact JSON and TSV text, escapes, and the reusable renderer giving the same text line after line. */
class ScoreFormatTest {
  @Test
  void jsonLinesAreExactAndEscaped() {
    ScoreResult r = new ScoreResult("dev\"1@2026-01-01T00:00:00Z", "dev\"1", 1_767_225_600_000L, 0.25, 0.1, true,
        new float[] {0.5f, 1.5f}, new double[] {1.0});
    String expected = "{\"slice_id\":\"dev\\\"1\",\"window\":\"dev\\\"1@2026-01-01T00:00:00Z\","
        + "\"start\":\"2026-01-01T00:00:00Z\",\"score\":0.25,\"threshold\":0.1,\"is_anomaly\":true,"
        + "\"model\":\"m\",\"version\":\"3\",\"step_errors\":[0.5,1.5],\"feature_share\":{\"value\":1.0}}";
    assertEquals(expected, render(new ScoreFormat.Lines(true, new String[] {"value"}, "model", "m", "version", "3"),
        r));
    ScoreFormat.Lines lines = new ScoreFormat.Lines(false, null, "model", "m");
    ScoreResult a = new ScoreResult("a", "a\tb", 0, 1e-9, 2.0, false, null, null);
    ScoreResult b = new ScoreResult("b", "c\u0001", 0, Double.NaN, 3.0, false, null, null);
    assertEquals("{\"slice_id\":\"a\\tb\",\"score\":1.0e-9,\"threshold\":2.0,\"is_anomaly\":false,\"model\":\"m\"}",
        render(lines, a));
    assertEquals("{\"slice_id\":\"c\\u0001\",\"score\":null,\"threshold\":3.0,\"is_anomaly\":false,\"model\":\"m\"}",
        render(lines, b), "a new threshold is rendered, not the cached one");
    assertEquals(render(new ScoreFormat.Lines(false, null, "model", "m"), a), render(lines, a));
  }

  private static String render(ScoreFormat.Lines lines, ScoreResult r) {
    return lines.render(r, new StringBuilder()).toString();
  }

  private static String tsv(ScoreFormat.Lines lines, ScoreResult r) {
    return lines.tsv(r, new StringBuilder()).toString();
  }

  @Test
  void derivedWindowIdsAndSliceLinesAreExact() {
    ScoreFormat.Lines lines = new ScoreFormat.Lines(true, null, "model", "m");
    // A window cut in window mode has no stored id: the line spells "series@start" as the id would.
    ScoreResult derived = new ScoreResult(null, "dev\"1", 1_767_225_600_000L, 0.25, 0.1, true, null, null);
    ScoreResult given = new ScoreResult(derived.id(), "dev\"1", 1_767_225_600_000L, 0.25, 0.1, true, null, null);
    assertEquals("dev\"1@2026-01-01T00:00:00Z", derived.id());
    assertEquals(render(lines, given), render(lines, derived));
    assertEquals("{\"slice_id\":\"dev\\\"1\",\"window\":\"dev\\\"1@2026-01-01T00:00:00Z\","
        + "\"start\":\"2026-01-01T00:00:00Z\",\"score\":0.25,\"threshold\":0.1,\"is_anomaly\":true,\"model\":\"m\"}",
        render(lines, derived));
    SliceScore s = new SliceScore("dev\"1", 0.25, 0.1, true, 49, 2, 1_767_225_660_000L);
    assertEquals("{\"slice_id\":\"dev\\\"1\",\"score\":0.25,\"threshold\":0.1,\"is_anomaly\":true,\"model\":\"m\","
        + "\"windows\":49,\"anomalous_windows\":2,\"worst_start\":\"2026-01-01T00:01:00Z\"}",
        lines.render(s, new StringBuilder()).toString());
    assertEquals("dev\"1\t0.25\t0.1\ttrue\t49\t2", lines.tsv(s, new StringBuilder()).toString());
    assertEquals("dev\"1\tdev\"1@2026-01-01T00:00:00Z\t0.25\t0.1\ttrue", tsv(lines, derived));
    assertEquals(tsv(lines, given), tsv(lines, derived));
  }

  @Test
  void keptIdTextFollowsTheSliceFromLineToLine() {
    ScoreFormat.Lines lines = new ScoreFormat.Lines(true, null);
    String[] ids = {"a", "a", "b\"c", "a", "d\te", "d\te", "a"};
    for (int i = 0; i < ids.length; i++) {
      ScoreResult r = new ScoreResult(null, ids[i], 1_767_225_600_000L + i * 7_200_000L, 0.5, 0.25, false, null, null);
      assertEquals(render(new ScoreFormat.Lines(true, null), r), render(lines, r), "line " + i);
      assertEquals(tsv(new ScoreFormat.Lines(true, null), r), tsv(lines, r), "row " + i);
    }
  }

  @Test
  void tsvIdsKeepTheirRowInOneLineOfFiveFields() {
    ScoreFormat.Lines lines = new ScoreFormat.Lines(true, null);
    ScoreResult r = new ScoreResult(null, "a\tb\nc\\d\re", 0, 0.5, 0.25, true, null, null);
    String row = tsv(lines, r);
    assertEquals("a\\tb\\nc\\\\d\\re\ta\\tb\\nc\\\\d\\re@1970-01-01T00:00:00Z\t0.5\t0.25\ttrue", row);
    assertEquals(5, row.split("\t", -1).length);
    SliceScore s = new SliceScore("x\ty", 0.5, 0.25, true, 3, 1, 0);
    assertEquals("x\\ty\t0.5\t0.25\ttrue\t3\t1", lines.tsv(s, new StringBuilder()).toString());
  }

  @Test
  void numbersAreTheShortestClosestDecimalInJavasLayoutWithALowerCaseExponent() {
    assertTrue(ScoreFormat.schubfach(), "jackson-core's Schubfach is on the class path, so it is what is tested");
    java.util.Random r = new java.util.Random(7);
    double[] edge = {0.0, -0.0, 1e-3, Math.nextDown(1e-3), 1e7, Math.nextDown(1e7), -1e7, Double.MIN_VALUE,
        Double.MAX_VALUE, 1.0E-300, 123.456, -2.5e-8, (double) 0.0959368646f, (double) Float.MAX_VALUE, 2e23, 1e23};
    StringBuilder sb = new StringBuilder("prefix E ");
    int likeJdk = 0;
    for (int i = 0; i < 200_000 + edge.length; i++) {
      double v = i < edge.length ? edge[i] : i % 2 == 0 ? Double.longBitsToDouble(r.nextLong())
          : (double) (float) (r.nextGaussian() * Math.pow(10, r.nextInt(24) - 12)) / (1 + r.nextInt(300));
      String text = ScoreFormat.num(v);
      sb.setLength(9);
      assertEquals("prefix E " + text, ScoreFormat.num(v, sb).toString(), "appended after other text");
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        assertEquals("null", text);
        continue;
      }
      assertEquals(0, Double.compare(v, Double.parseDouble(text)), text + " reads back to " + v);
      String jdk = Double.toString(v).replace("E", "e");
      if (v != 0 && (Double.doubleToLongBits(v) & 0xFFFFFFFFFFFFFL) != 0) { // not at a power of two (see below)
        assertEquals(0, new java.math.BigDecimal(text).compareTo(shortestClosest(v)), "digits of " + jdk);
      }
      // JDK 17 sometimes printed a longer or farther decimal; where its digits were these, its text is this text.
      if (new java.math.BigDecimal(jdk).compareTo(new java.math.BigDecimal(text)) == 0) {
        assertEquals(jdk, text);
        likeJdk++;
      }
      assertTrue(text.length() <= jdk.length(), text + " no longer than " + jdk);
    }
    assertTrue(likeJdk > 199_000, likeJdk + " of 200,000 like JDK 17");
    assertEquals("2.0e23", ScoreFormat.num(2e23), "JDK 17 printed 1.9999999999999998E23");
    assertEquals("null", ScoreFormat.num(Double.POSITIVE_INFINITY));
  }

  /**
   * The decimal Double.toString has printed since JDK 19: of the decimals with the fewest digits (two at least)
   * that read back to {@code v}, the closest to it. Rounding {@code v}'s exact value to p digits gives the closest
   * p-digit decimal; if any p-digit decimal reads back, that one does, except where the doubles around {@code v}
   * are unevenly spaced (a power of two), which the caller leaves out.
   */
  private static java.math.BigDecimal shortestClosest(double v) {
    java.math.BigDecimal exact = new java.math.BigDecimal(v);
    for (int p = 2; ; p++) {
      java.math.BigDecimal d = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
      if (d.doubleValue() == v) {
        return d;
      }
    }
  }

  @Test
  void windowStartIsWhatInstantPrints() {
    ScoreFormat.Lines lines = new ScoreFormat.Lines(true, null);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    long[] edges = {0, -1, 1, 999, 1000, 3_599_999, 3_600_000, -3_600_000, -3_600_001, 86_399_999, 86_400_000,
        -86_400_000, -86_400_001,
        java.time.Instant.parse("0000-01-01T00:00:00Z").toEpochMilli(),
        java.time.Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
        java.time.Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli(),
        java.time.Instant.parse("-0001-12-31T23:59:59.5Z").toEpochMilli(), Long.MIN_VALUE / 1000};
    long t = 1_767_225_600_000L;
    for (int i = 0; i < 20_000; i++) {
      // Runs of nearby times (the hour cache) mixed with jumps and the edges.
      long ms = i < edges.length ? edges[i] : i % 50 == 0 ? rnd.nextLong(-70_000_000_000_000L, 300_000_000_000_000L)
          : (t += rnd.nextInt(0, 4) == 0 ? rnd.nextLong(0, 10_000_000) : rnd.nextLong(0, 1000) * 1000);
      StringBuilder sb = new StringBuilder();
      lines.instant(ms, sb);
      assertEquals(java.time.Instant.ofEpochMilli(ms).toString(), sb.toString(), "at " + ms);
    }
  }
}
