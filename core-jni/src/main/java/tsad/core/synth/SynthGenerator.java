package tsad.core.synth;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Seeded generator of labelled synthetic series for training (all normal) and testing (normal plus five kinds of
 * planted anomaly). The same config always gives the same slices and byte-identical files.
 *
 * <p>Train and test draw from separate streams, {@code Random(seed*31+1)} and {@code Random(seed*31+2)}, so the
 * test data never depends on the training data. Within a stream slices are drawn in order, so changing N or R
 * changes the test slices that follow; the test stream first places the anomalies, then draws the slices.
 */
public final class SynthGenerator {
  /** Start of slice 0; slice k starts k hours later. */
  static final long BASE_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  static final long SLICE_STRIDE_MILLIS = 3_600_000L;
  static final long STEP_MILLIS = 60_000L;

  private final SynthConfig cfg;

  /** Creates a generator for {@code cfg}; nothing is drawn until slices are asked for. */
  public SynthGenerator(SynthConfig cfg) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
  }

  /** Returns the config this generator draws from. */
  public SynthConfig config() {
    return cfg;
  }

  /** Returns the N normal training slices, ids {@code train-000001} onwards. */
  public List<SynthSlice> generateTrain() {
    List<SynthSlice> out = new ArrayList<>(cfg.slices());
    drawTrain(out::add);
    return out;
  }

  /**
   * Returns the N test slices, ids {@code test-000001} onwards: exactly round(R*N) of them anomalous at seeded
   * random positions, kinds cycling through all five so their counts differ by at most one.
   */
  public List<SynthSlice> generateTest() {
    List<SynthSlice> out = new ArrayList<>(cfg.slices());
    drawTest(out::add);
    return out;
  }

  /**
   * Writes {@code dir/train.csv}, {@code dir/test.csv} and {@code dir/labels.csv}, creating {@code dir}; slices
   * are written as they are drawn, so large configs need not fit in memory.
   */
  public void writeCsv(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("train.csv"), StandardCharsets.UTF_8)) {
      w.write(header());
      drawTrain(s -> writeRows(w, s));
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve("test.csv"), StandardCharsets.UTF_8);
        Writer labels = Files.newBufferedWriter(dir.resolve("labels.csv"), StandardCharsets.UTF_8)) {
      w.write(header());
      labels.write(LabelsFile.HEADER + "\n");
      drawTest(s -> {
        writeRows(w, s);
        labels.write(s.sliceId() + (s.isAnomaly() ? ",1," + s.kind().label() : ",0," + LabelsFile.NORMAL) + "\n");
      });
    }
  }

  /** Reads a labels.csv into slice id to is-anomaly, in file order; see {@link #readKinds} for the checks. */
  public static Map<String, Boolean> readLabels(Path labelsCsv) throws IOException {
    return LabelsFile.readLabels(labelsCsv);
  }

  /**
   * Reads a labels.csv into slice id to kind ({@code normal} or an {@link AnomalyKind#label()}), in file order.
   * Throws NoSuchFileException for a missing file and IllegalArgumentException naming the file and line for a
   * wrong header, a short row, an is_anomaly other than 0/1, an unknown kind, a kind contradicting is_anomaly,
   * or a repeated slice id.
   */
  public static Map<String, String> readKinds(Path labelsCsv) throws IOException {
    return LabelsFile.readKinds(labelsCsv);
  }

  /**
   * The test slice at 0-based {@code index} as drawn from the test stream but with {@code kind} planted (null
   * gives the slice's normal twin). Replays the stream up to the slice, so it costs O(index); for tests.
   */
  SynthSlice testSlice(int index, AnomalyKind kind) {
    Random r = testStream();
    AnomalyKind[] kinds = placeAnomalies(r);
    for (int i = 0; i < index; i++) {
      SliceSynth.make(id("test", i), times(i), cfg.features(), r, kinds[i]);
    }
    return SliceSynth.make(id("test", index), times(index), cfg.features(), r, kind);
  }

  /** The planted kind of every test slice (null for normal). */
  AnomalyKind[] testKinds() {
    return placeAnomalies(testStream());
  }

  /** Receives slices as they are drawn; generic in what it throws so collecting into a list throws nothing. */
  private interface Sink<E extends Exception> {
    void accept(SynthSlice slice) throws E;
  }

  private <E extends Exception> void drawTrain(Sink<E> sink) throws E {
    Random r = new Random(cfg.seed() * 31 + 1);
    for (int i = 0; i < cfg.slices(); i++) {
      sink.accept(SliceSynth.make(id("train", i), times(i), cfg.features(), r, null));
    }
  }

  private <E extends Exception> void drawTest(Sink<E> sink) throws E {
    Random r = testStream();
    AnomalyKind[] kinds = placeAnomalies(r);
    for (int i = 0; i < cfg.slices(); i++) {
      sink.accept(SliceSynth.make(id("test", i), times(i), cfg.features(), r, kinds[i]));
    }
  }

  private Random testStream() {
    return new Random(cfg.seed() * 31 + 2);
  }

  /** Shuffles the positions with {@code r} and gives the first round(R*N) of them the kinds in turn. */
  private AnomalyKind[] placeAnomalies(Random r) {
    int n = cfg.slices();
    int anomalies = (int) Math.round(cfg.anomalyRate() * n);
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    // Collections.shuffle's algorithm is specified in its Javadoc, so positions are stable across JDKs.
    Collections.shuffle(order, r);
    AnomalyKind[] all = AnomalyKind.values();
    AnomalyKind[] kinds = new AnomalyKind[n];
    for (int k = 0; k < anomalies; k++) {
      kinds[order.get(k)] = all[k % all.length];
    }
    return kinds;
  }

  private static String id(String prefix, int index) {
    return String.format(Locale.ROOT, "%s-%06d", prefix, index + 1);
  }

  private long[] times(int index) {
    long[] times = new long[cfg.length()];
    long start = BASE_MILLIS + index * SLICE_STRIDE_MILLIS;
    for (int s = 0; s < times.length; s++) {
      times[s] = start + s * STEP_MILLIS;
    }
    return times;
  }

  private String header() {
    StringBuilder h = new StringBuilder("slice_id,time");
    if (cfg.features() == 1) {
      h.append(",value");
    } else {
      for (int j = 1; j <= cfg.features(); j++) {
        h.append(",value_").append(j);
      }
    }
    return h.append('\n').toString();
  }

  private static void writeRows(Writer w, SynthSlice s) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.epochMillis().length; i++) {
      sb.setLength(0);
      sb.append(s.sliceId()).append(',').append(Instant.ofEpochMilli(s.epochMillis()[i]));
      for (double v : s.values()[i]) {
        sb.append(',').append(format(v));
      }
      w.write(sb.append('\n').toString());
    }
  }

  /** Six decimals in Locale.ROOT; a value that rounds to zero is written as 0.000000, never -0.000000. */
  static String format(double v) {
    String text = String.format(Locale.ROOT, "%.6f", v);
    return text.equals("-0.000000") ? "0.000000" : text;
  }
}
