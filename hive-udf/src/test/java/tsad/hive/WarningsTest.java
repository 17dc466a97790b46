package tsad.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.mapred.Counters;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.Reporter;
import org.junit.jupiter.api.Test;

/** Bad rows reach the task's Hadoop counters (group tsad, one counter per function and reason), and the counts. */
class WarningsTest {
  /** Records counter increments as a task's reporter would forward them to the job. */
  static final class RecordingReporter implements Reporter {
    final Map<String, Long> counters = new HashMap<>();

    @Override
    public void incrCounter(String group, String counter, long amount) {
      counters.merge(group + "/" + counter, amount, Long::sum);
    }

    @Override
    public void incrCounter(Enum<?> key, long amount) {
      counters.merge(key.name(), amount, Long::sum);
    }

    @Override
    public Counters.Counter getCounter(Enum<?> name) {
      return null;
    }

    @Override
    public Counters.Counter getCounter(String group, String name) {
      return null;
    }

    @Override
    public InputSplit getInputSplit() {
      return null;
    }

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void setStatus(String status) { }

    @Override
    public void progress() { }
  }

  @Test
  void everyBadRowIsCountedInTheTaskCounters() {
    Warnings w = new Warnings("score_anomaly");
    w.warn("non_finite", "before the task's reporter is known");
    RecordingReporter r = new RecordingReporter();
    w.reporter(r);
    for (int i = 0; i < 12; i++) {
      w.warn("non_finite", "element " + i + " is NaN");
    }
    w.warn("null_series", "NULL series");
    assertEquals(12L, r.counters.get("tsad/score_anomaly.non_finite"), "every row after configure is a counter tick");
    assertEquals(1L, r.counters.get("tsad/score_anomaly.null_series"));
    assertEquals(13, w.count("non_finite"), "the function's own count has every row");
  }
}
