package tsad.core.train;

import java.io.PrintStream;
import java.util.Locale;
import tsad.proto.EpochMetrics;

/**
 * A console progress bar: epoch, train and validation loss, windows/s and time left. Redraws one line
 * on a terminal; prints one line per epoch when output is redirected (logs, CI).
 */
public final class ConsoleProgress implements TrainListener {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean interactive;
  private long lastDraw;
  private double epochSecondsSum;
  private int epochsSeen;
  private double lastVal = Double.NaN;

  /** Draws to {@code out}; {@code interactive} redraws in place with carriage returns. */
  public ConsoleProgress(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** A progress bar on stderr, interactive when a console is attached. */
  public static ConsoleProgress stderr() {
    return new ConsoleProgress(System.err, System.console() != null);
  }

  @Override
  public void batch(int epoch, int maxEpochs, int batch, int batches, double runningLoss, long windowsDone,
                    double elapsedSeconds) {
    long now = System.nanoTime();
    if (!interactive || now - lastDraw < 100_000_000L && batch < batches) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) WIDTH * batch / batches);
    double rate = windowsDone / Math.max(1e-9, elapsedSeconds);
    double eta = (batches - batch) * elapsedSeconds / batch + remainingEpochs(epoch, maxEpochs) * avgEpoch();
    out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] train %.5f val %s | %,.0f win/s | ETA %s   ", epoch,
        maxEpochs, "#".repeat(filled), "-".repeat(WIDTH - filled), runningLoss, fmt(lastVal), rate, time(eta)));
    out.flush();
  }

  @Override
  public void epoch(EpochMetrics m, int maxEpochs, boolean improved) {
    epochSecondsSum += m.getSeconds();
    epochsSeen++;
    lastVal = m.getValidationLoss();
    String line = String.format(Locale.ROOT, "epoch %d/%d train %.5f val %.5f%s | %,.0f win/s | ETA %s",
        m.getEpoch(), maxEpochs, m.getTrainLoss(), m.getValidationLoss(), improved ? " *" : "  ",
        m.getWindowsPerSecond(), time(remainingEpochs(m.getEpoch(), maxEpochs) * avgEpoch()));
    out.print(interactive ? "\r" + line + "   \n" : line + "\n");
    out.flush();
  }

  @Override
  public void done(String stopReason, int bestEpoch, double bestValidationLoss) {
    out.printf(Locale.ROOT, "stopped: %s; best epoch %d (validation loss %.6f)%n", stopReason.replace('_', ' '),
        bestEpoch, bestValidationLoss);
  }

  private static int remainingEpochs(int epoch, int maxEpochs) {
    return Math.max(0, maxEpochs - epoch);
  }

  private double avgEpoch() {
    return epochsSeen == 0 ? 0 : epochSecondsSum / epochsSeen;
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.5f", v);
  }

  private static String time(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
