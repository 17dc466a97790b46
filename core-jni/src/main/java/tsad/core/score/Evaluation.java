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

  /**
   * Average precision (the area under the precision-recall curve as scikit-learn's average_precision_score
   * computes it): the precision at each distinct score, weighted by the recall it adds, highest scores first.
   */
  public static double averagePrecision(double[] scores, boolean[] anomalous) {
    Integer[] idx = byScoreDescending(scores);
    long pos = count(anomalous);
    if (pos == 0) {
      throw new IllegalArgumentException("average precision needs anomalous labels");
    }
    double ap = 0;
    long tp = 0;
    long seen = 0;
    for (int i = 0; i < idx.length; ) {
      int j = i;
      long tpHere = 0;
      while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
        tpHere += anomalous[idx[j]] ? 1 : 0;
        j++;
      }
      tp += tpHere;
      seen += j - i;
      ap += (double) tpHere / pos * ((double) tp / seen);
      i = j;
    }
    return ap;
  }

  /**
   * The best F1 over all thresholds, and the threshold that gives it (flagging scores strictly above it, as the
   * models do; the lowest such threshold among equals).
   *
   * @param f1 the best F1
   * @param threshold flag scores above this to get it
   */
  public record BestF1(double f1, double threshold) {}

  /** The best F1 of flagging the scores above some threshold. */
  public static BestF1 bestF1(double[] scores, boolean[] anomalous) {
    Integer[] idx = byScoreDescending(scores);
    long pos = count(anomalous);
    double best = 0;
    double at = Double.POSITIVE_INFINITY;
    long tp = 0;
    long flagged = 0;
    for (int i = 0; i < idx.length; ) {
      int j = i;
      while (j < idx.length && scores[idx[j]] == scores[idx[i]]) {
        tp += anomalous[idx[j]] ? 1 : 0;
        j++;
      }
      flagged += j - i;
      // Flagging everything down to this score: the threshold sits just below it (the next lower score).
      double f1 = pos == 0 ? 0 : 2.0 * tp / (flagged + pos);
      if (f1 > best) {
        best = f1;
        at = j < idx.length ? scores[idx[j]] : Math.nextDown(scores[idx[i]]);
      }
      i = j;
    }
    return new BestF1(best, at);
  }

  /**
   * Binary detection figures at one threshold.
   *
   * @param f1 TP / (TP + (FP + FN) / 2)
   * @param falseAlarmRate FP / (FP + TN)
   * @param missedAlarmRate FN / (FN + TP)
   * @param tp anomalous items flagged
   * @param fp normal items flagged
   * @param tn normal items not flagged
   * @param fn anomalous items not flagged
   */
  public record Detection(double f1, double falseAlarmRate, double missedAlarmRate, long tp, long fp, long tn,
                          long fn) {
    /** The figures of flags against labels. */
    public static Detection of(boolean[] flagged, boolean[] anomalous) {
      long tp = 0;
      long fp = 0;
      long tn = 0;
      long fn = 0;
      for (int i = 0; i < flagged.length; i++) {
        if (anomalous[i]) {
          tp += flagged[i] ? 1 : 0;
          fn += flagged[i] ? 0 : 1;
        } else {
          fp += flagged[i] ? 1 : 0;
          tn += flagged[i] ? 0 : 1;
        }
      }
      return of(tp, fp, tn, fn);
    }

    /** The figures of counts (pooled over series by adding them). */
    public static Detection of(long tp, long fp, long tn, long fn) {
      return new Detection(tp + fp + fn == 0 ? Double.NaN : tp / (tp + (fp + fn) / 2.0),
          fp + tn == 0 ? Double.NaN : (double) fp / (fp + tn), fn + tp == 0 ? Double.NaN : (double) fn / (fn + tp),
          tp, fp, tn, fn);
    }
  }

  private static Integer[] byScoreDescending(double[] scores) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
    return idx;
  }

  private static long count(boolean[] b) {
    long n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }
}
