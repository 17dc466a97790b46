package tsad.core.score;

import java.util.Arrays;

/** Detection quality against labels: AUC-ROC, recall and false-alarm rate at a threshold. */
public final class Evaluation {
  private Evaluation() {}

  /** AUC-ROC of scores against binary labels (higher score = more anomalous), ties counted half. */
  public static double auc(double[] scores, boolean[] anomalous) {
    int n = scores.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
    long pos = 0;
    for (boolean b : anomalous) {
      pos += b ? 1 : 0;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      throw new IllegalArgumentException("AUC needs both normal and anomalous labels");
    }
    // Mann-Whitney U with average ranks for ties.
    double rankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (anomalous[idx[k]]) {
          rankSum += avgRank;
        }
      }
      i = j + 1;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** Share of anomalous items whose score is above the threshold. */
  public static double recall(double[] scores, boolean[] anomalous, double threshold) {
    long hit = 0;
    long pos = 0;
    for (int i = 0; i < scores.length; i++) {
      if (anomalous[i]) {
        pos++;
        hit += scores[i] > threshold ? 1 : 0;
      }
    }
    return pos == 0 ? Double.NaN : (double) hit / pos;
  }

  /** Share of normal items whose score is above the threshold. */
  public static double falseAlarmRate(double[] scores, boolean[] anomalous, double threshold) {
    long fa = 0;
    long neg = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!anomalous[i]) {
        neg++;
        fa += scores[i] > threshold ? 1 : 0;
      }
    }
    return neg == 0 ? Double.NaN : (double) fa / neg;
  }
}
