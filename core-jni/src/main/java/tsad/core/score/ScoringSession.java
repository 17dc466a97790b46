package tsad.core.score;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.window.Window;
import tsad.proto.WindowMode;

/**
 * One model ready to score for a front end: the verified bundle, its scorer (which owns the model's native memory)
 * and the model's identity in the output. The CLI, the MapReduce score mapper and the Hive functions all score
 * through it: slices for SQL ({@link #score}), and streams of windows into output lines ({@link #lines}), so every
 * path cuts the same batches and writes the same lines. Closing it frees the model.
 */
public final class ScoringSession implements AutoCloseable {
  /**
   * Which model scored a line: the registered name and version, or for a bundle used by its path,
   * {@value #BUNDLE} and its content hash (the same wherever the bundle is stored).
   *
   * @param model the registered model's name, or {@value #BUNDLE}
   * @param version the registered version, or "sha256:" and the first 12 hex digits of the bundle's content hash
   */
  public record Identity(String model, String version) {
    /** The model name of a bundle that is not referred to through the registry. */
    public static final String BUNDLE = "bundle";

    /** The identity of {@code bundle} as resolved: registered if {@code name} is not empty, else by content. */
    public static Identity of(String name, String version, ModelBundle bundle) {
      return name == null || name.isEmpty() ? new Identity(BUNDLE, "sha256:" + bundle.contentHash().substring(0, 12))
          : new Identity(name, version);
    }
  }

  /** Receives completed output lines, each ending in a newline; it may keep nothing of the builder. */
  @FunctionalInterface
  public interface LineSink {
    /** Takes the lines in {@code lines}; the caller empties the builder afterwards. */
    void write(StringBuilder lines) throws IOException;
  }

  /**
   * Characters of lines handed to the sink at once: a few hundred per-window lines, few enough that the lines and
   * their copies on the way out stay in the core's cache.
   */
  public static final int LINES_PER_WRITE = 48 << 10;

  private final ModelBundle bundle;
  private final Identity identity;
  private final Scorer scorer;

  /** Loads {@code bundle}'s model for scoring under {@code identity}. */
  public ScoringSession(ModelBundle bundle, Identity identity) {
    this.bundle = bundle;
    this.identity = identity;
    this.scorer = bundle.newScorer();
  }

  /** The verified bundle. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** The model's identity in output lines. */
  public Identity identity() {
    return identity;
  }

  /** What data the model accepts. */
  public Compatibility compatibility() {
    return Compatibility.of(bundle);
  }

  /** The threshold scores are compared with. */
  public double threshold() {
    return scorer.threshold();
  }

  /** True for a model that scores sliding windows of a slice (false: one window per slice). */
  public boolean windowMode() {
    return bundle.dataSpec().getMode() == WindowMode.WINDOW;
  }

  /** Scores the windows of one slice in batches of {@code batchSize}; with {@code detail}, per-step errors too. */
  public List<ScoreResult> score(List<Window> windows, int batchSize, boolean detail) {
    return scorer.score(windows, batchSize, detail);
  }

  /** Scores only, a window at a time in order (drift compares their distribution with training's). */
  public double[] scores(List<Window> windows, int batchSize) {
    return scorer.scores(windows, batchSize);
  }

  /**
   * A stream of windows, in slice order, into output lines: one per slice or per window, as JSON lines or TSV, each
   * with this model's identity; {@code featureNames} name the feature shares of {@code detail} lines.
   */
  public Lines lines(String format, ScoreLines.Per per, int batchSize, boolean detail, LineSink sink) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    return new Lines(new ScoreLines(format, per, windowMode(), compatibility().featureNames().toArray(new String[0]),
        "model", identity.model(), "version", identity.version()), batchSize, detail, sink);
  }

  /**
   * Windows in, lines out: windows wait until {@link Scorer#BATCHES_PER_CALL} full batches are pending, so every
   * front end cuts the same batches of the stream (and so gets the same bits), and only one call's windows and
   * results are held at a time.
   */
  public final class Lines {
    private final ScoreLines out;
    private final int batchSize;
    private final boolean detail;
    private final LineSink sink;
    private final List<Window> pending = new ArrayList<>();
    private final StringBuilder text = new StringBuilder(LINES_PER_WRITE + 1024);
    private long scorerNanos;

    private Lines(ScoreLines out, int batchSize, boolean detail, LineSink sink) {
      this.out = out;
      this.batchSize = batchSize;
      this.detail = detail;
      this.sink = sink;
    }

    /** The TSV header line (with its newline), for a format that has one. */
    public String tsvHeader() {
      return out.tsvHeader();
    }

    /** Announces the series of the next slice: needed before its windows when lines stand for rows. */
    public void series(tsad.core.data.Series s) {
      out.series(s);
    }

    /** True when lines stand for rows, so each slice's series must be announced ({@link #series}). */
    public boolean perRow() {
      return out.perRow();
    }

    /** Adds the next window of the stream (a slice's windows in a row). */
    public void add(Window w) throws IOException {
      pending.add(w);
      if (pending.size() >= batchSize * Scorer.BATCHES_PER_CALL) {
        flush(false);
      }
    }

    /** Scores what is pending and writes every line still open, the last slice's included. */
    public void finish() throws IOException {
      flush(true);
    }

    private void flush(boolean last) throws IOException {
      int n = last ? pending.size() : pending.size() / batchSize * batchSize;
      List<Window> now = pending.subList(0, n);
      long t0 = System.nanoTime();
      List<ScoreResult> results = scorer.score(now, batchSize, detail);
      scorerNanos += System.nanoTime() - t0;
      for (int i = 0; i < results.size(); i++) {
        out.add(now.get(i), results.get(i), text);
        if (text.length() >= LINES_PER_WRITE) {
          write();
        }
      }
      now.clear();
      if (last) {
        out.finish(text);
      }
      write();
    }

    private void write() throws IOException {
      if (text.length() > 0) {
        sink.write(text);
        text.setLength(0);
      }
    }

    /** The counts of what was written so far (lines, windows, slices, anomalies). */
    public ScoreLines counts() {
      return out;
    }

    /** Nanoseconds spent in the scorer so far. */
    public long scorerNanos() {
      return scorerNanos;
    }
  }

  /** Frees the model's native memory; the session must not be used afterwards. */
  @Override
  public void close() {
    scorer.close();
  }
}
