package tsad.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Row-level figures against hand-computed values (scikit-learn's definitions). */
class EvaluationTest {
  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6};
  private static final boolean[] LABELS = {true, false, true, false};

  @Test
  void averagePrecisionWeightsPrecisionByTheRecallEachScoreAdds() {
    // Recall steps of 1/2 at precision 1/1 and 2/3.
    assertEquals(0.5 + 0.5 * 2 / 3, Evaluation.averagePrecision(SCORES, LABELS), 1e-12);
    // Tied scores form one step: precision 1/2 at recall 1.
    assertEquals(0.5, Evaluation.averagePrecision(new double[] {0.5, 0.5, 0.1}, new boolean[] {true, false, false}),
        1e-12);
    assertEquals(1.0, Evaluation.averagePrecision(new double[] {3, 2, 1}, new boolean[] {true, true, false}), 1e-12);
  }

  @Test
  void bestF1IsFoundOverEveryThresholdAndFlagsScoresAboveIt() {
    // Flagging the top 1, 2, 3, 4 gives F1 2/3, 1/2, 4/5, 2/3: the top three, so a threshold just under 0.7.
    Evaluation.BestF1 best = Evaluation.bestF1(SCORES, LABELS);
    assertEquals(0.8, best.f1(), 1e-12);
    assertEquals(0.6, best.threshold(), 0);
    boolean[] flagged = new boolean[SCORES.length];
    for (int i = 0; i < SCORES.length; i++) {
      flagged[i] = SCORES[i] > best.threshold();
    }
    assertEquals(0.8, Evaluation.Detection.of(flagged, LABELS).f1(), 1e-12, "its threshold gives that F1");
  }

  @Test
  void detectionRatesFromCounts() {
    Evaluation.Detection d = Evaluation.Detection.of(new boolean[] {true, true, false, false, true},
        new boolean[] {true, false, false, true, true});
    assertEquals(2, d.tp());
    assertEquals(1, d.fp());
    assertEquals(1, d.tn());
    assertEquals(1, d.fn());
    assertEquals(2 / (2 + 1.0), d.f1(), 1e-12, "TP / (TP + (FP + FN) / 2)");
    assertEquals(0.5, d.falseAlarmRate(), 1e-12);
    assertEquals(1 / 3.0, d.missedAlarmRate(), 1e-12);
  }
}
