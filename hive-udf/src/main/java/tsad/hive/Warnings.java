package tsad.hive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.mapred.Reporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.data.RejectReason;

/**
 * Counted warnings for bad rows: a per-function count by reason, a JVM-wide count, a Hadoop counter in group
 * {@value #GROUP} when the function runs in a task (visible in the job's counters), and a log line for the
 * first few of each reason, so no row turns into NULL without a trace.
 */
final class Warnings {
  /** The Hadoop counter group. */
  static final String GROUP = "tsad";
  private static final Logger LOG = LoggerFactory.getLogger(Warnings.class);
  private static final int LOGGED_PER_REASON = 10;
  private static final Map<String, AtomicLong> JVM = new ConcurrentHashMap<>();
  private final String function;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private volatile Reporter reporter;

  Warnings(String function) {
    this.function = function;
  }

  /** Reports counters to this task's reporter from now on. */
  void reporter(Reporter r) {
    reporter = r;
  }

  /** Counts one bad row under {@code reason} (a RejectReason label or null_series) and maybe logs it. */
  void warn(String reason, String detail) {
    String name = function + "." + reason;
    counts.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    long all = JVM.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    Reporter r = reporter;
    if (r != null) {
      r.incrCounter(GROUP, name, 1);
    }
    if (all <= LOGGED_PER_REASON) {
      LOG.warn("{}: bad row ({}): {}{}; returning NULL{}", function, reason, detail, advice(reason),
          all == LOGGED_PER_REASON ? " (further " + reason + " rows are only counted)" : "");
    }
  }

  /** What a SQL user can do about rows of {@code reason}, in the options map's terms ("" if nothing). */
  static String advice(String reason) {
    if (reason.equals(RejectReason.TOO_LONG.label())) {
      return " (to score it anyway: map('length_policy', 'truncate') or 'pad' as the options argument)";
    }
    if (reason.equals(RejectReason.TOO_SHORT.label())) {
      return " (to score it anyway: map('length_policy', 'pad') as the options argument)";
    }
    return "";
  }

  /** Bad rows counted by this function instance under {@code reason}. */
  long count(String reason) {
    AtomicLong n = counts.get(reason);
    return n == null ? 0 : n.get();
  }

  /** Bad rows counted in this JVM by {@code function} under {@code reason}. */
  static long jvmCount(String function, String reason) {
    AtomicLong n = JVM.get(function + "." + reason);
    return n == null ? 0 : n.get();
  }
}
