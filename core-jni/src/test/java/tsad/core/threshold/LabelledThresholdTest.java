package tsad.core.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;

class LabelledThresholdTest {
  // Normal rows 0.1 .. 0.8, anomalous rows 0.7, 0.9, 1.0; NaN (a row no window covers) is left out.
  private static final double[] SCORES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.7, 0.9, 1.0, Double.NaN};
  private static final boolean[] LABELS = {false, false, false, false, false, false, false, false, true, true, true,
      true};

  @Test
  void bestF1FlagsTheTopRowsThatBalancePrecisionAndRecall() {
    FittedThreshold t = LabelledThreshold.choose(SCORES, LABELS, "best-f1");
    // Flagging 1.0 and 0.9 gives F1 2*2/(2+3) = 0.8, the best; so the threshold is the next score down, 0.8.
    assertEquals(0.8, t.value(), 0);
    assertEquals("labels:best-f1", t.method());
    assertEquals(11, t.sampleSize());
    assertEquals(0.8, t.params().get("f1"), 1e-12);
    assertEquals(0.0, t.params().get("false_alarm_rate"), 1e-12);
    assertEquals(1 / 3.0, t.params().get("missed_alarm_rate"), 1e-12);
  }

  @Test
  void aFalseAlarmTargetTakesTheLowestThresholdThatKeepsIt() {
    // 8 normal rows: at most 25 % = 2 of them may be flagged, so scores above the third highest normal (0.6).
    FittedThreshold t = LabelledThreshold.choose(SCORES, LABELS, "far:0.25");
    assertEquals(0.6, t.value(), 0);
    assertEquals(0.25, t.params().get("false_alarm_rate"), 1e-12);
    assertEquals(0.0, t.params().get("missed_alarm_rate"), 1e-12);
    FittedThreshold none = LabelledThreshold.choose(SCORES, LABELS, "far:0");
    assertEquals(0.8, none.value(), 0, "no false alarm: above the highest normal row");
    assertEquals(0.0, none.params().get("false_alarm_rate"), 0);
  }

  @Test
  void badGoalsAndLabelsWithoutAnomaliesAreClearErrors() {
    for (String goal : new String[] {"f1", "far:1", "far:-0.1", "far:x"}) {
      DataException e = assertThrows(DataException.class, () -> LabelledThreshold.checkGoal(goal));
      assertTrue(e.getMessage().contains("use best-f1 or far:R"), e.getMessage());
    }
    DataException e = assertThrows(DataException.class, () -> LabelledThreshold.choose(new double[] {1, 2},
        new boolean[] {false, false}, "best-f1"));
    assertTrue(e.getMessage().contains("both normal and anomalous rows"), e.getMessage());
  }
}
