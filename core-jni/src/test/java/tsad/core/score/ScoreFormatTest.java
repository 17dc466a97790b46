package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Score lines: exact JSON text, escapes, and the reusable renderer giving the same text line after line. */
class ScoreFormatTest {
  @Test
  void jsonLinesAreExactAndEscaped() {
    ScoreResult r = new ScoreResult("dev\"1@2026-01-01T00:00:00Z", "dev\"1", 1_767_225_600_000L, 0.25, 0.1, true,
        new float[] {0.5f, 1.5f}, new double[] {1.0});
    String expected = "{\"slice_id\":\"dev\\\"1\",\"window\":\"dev\\\"1@2026-01-01T00:00:00Z\","
        + "\"start\":\"2026-01-01T00:00:00Z\",\"score\":0.25,\"threshold\":0.1,\"is_anomaly\":true,"
        + "\"model\":\"m\",\"version\":\"3\",\"step_errors\":[0.5,1.5],\"feature_share\":{\"value\":1.0}}";
    assertEquals(expected, ScoreFormat.json(r, true, new String[] {"value"}, "model", "m", "version", "3"));
    ScoreFormat.JsonLines lines = new ScoreFormat.JsonLines(false, null, "model", "m");
    ScoreResult a = new ScoreResult("a", "a\tb", 0, 1e-9, 2.0, false, null, null);
    ScoreResult b = new ScoreResult("b", "c\u0001", 0, Double.NaN, 3.0, false, null, null);
    assertEquals("{\"slice_id\":\"a\\tb\",\"score\":1.0e-9,\"threshold\":2.0,\"is_anomaly\":false,\"model\":\"m\"}",
        lines.render(a));
    assertEquals("{\"slice_id\":\"c\\u0001\",\"score\":null,\"threshold\":3.0,\"is_anomaly\":false,\"model\":\"m\"}",
        lines.render(b), "a new threshold is rendered, not the cached one");
    assertEquals(ScoreFormat.json(a, false, null, "model", "m"), lines.render(a));
  }
}
