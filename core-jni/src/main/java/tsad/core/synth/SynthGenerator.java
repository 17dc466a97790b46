package tsad.core.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of labelled synthetic series: two-tone sines with random amplitude, period, phase
 * and level plus noise (features share the period and are phase-shifted, so they correlate), and five
 * kinds of planted anomaly. Same config, byte-identical files.
 */
public final class SynthGenerator {
  private static final long BASE_MS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final double NOISE = 0.08;
  private final SynthConfig cfg;

  /** Creates a generator for a config. */
  public SynthGenerator(SynthConfig cfg) {
    this.cfg = cfg;
  }

  /** The normal training slices, ids train-000001 ... */
  public List<SynthSlice> generateTrain() {
    Random r = new Random(cfg.seed() * 31 + 1);
    List<SynthSlice> out = new ArrayList<>(cfg.slices());
    for (int i = 0; i < cfg.slices(); i++) {
      out.add(slice(String.format(Locale.ROOT, "train-%06d", i + 1), i, r, null));
    }
    return out;
  }

  /** The test slices: round(R*N) anomalous at random positions, kinds cycling through all five. */
  public List<SynthSlice> generateTest() {
    Random r = new Random(cfg.seed() * 31 + 2);
    int n = cfg.slices();
    int anomalies = (int) Math.round(cfg.anomalyRate() * n);
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, r);
    AnomalyKind[] kinds = new AnomalyKind[n];
    AnomalyKind[] all = AnomalyKind.values();
    for (int k = 0; k < anomalies; k++) {
      kinds[idx.get(k)] = all[k % all.length];
    }
    List<SynthSlice> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(slice(String.format(Locale.ROOT, "test-%06d", i + 1), i, r, kinds[i]));
    }
    return out;
  }

  /** One slice; package-private so tests can build the normal twin of an anomalous slice from the same stream. */
  SynthSlice slice(String id, int index, Random r, AnomalyKind kind) {
    int t = cfg.length();
    int f = cfg.features();
    double a = 0.8 + 0.4 * r.nextDouble();
    double period = 14 + 8 * r.nextDouble();
    double phase = 2 * Math.PI * r.nextDouble();
    double phase2 = 2 * Math.PI * r.nextDouble();
    double[] level = new double[f];
    for (int j = 0; j < f; j++) {
      level[j] = -0.3 + 0.6 * r.nextDouble();
    }
    // Segment-type anomalies cover [segStart, segEnd): length T/4..T/2, fully inside the slice.
    int segLen = t / 4 + r.nextInt(t / 4 + 1);
    int segStart = r.nextInt(t - segLen + 1);
    int segEnd = segStart + segLen;
    double fast = 2.2 + 0.8 * r.nextDouble();
    double noiseBoost = 6 + 4 * r.nextDouble();
    int shiftFrom = t / 4 + r.nextInt(t / 2);
    double shift = (r.nextBoolean() ? 1 : -1) * (1.2 + 0.8 * r.nextDouble()) * a;
    double[][] v = new double[t][f];
    long[] times = new long[t];
    for (int s = 0; s < t; s++) {
      times[s] = BASE_MS + index * 3_600_000L + s * 60_000L;
      boolean inSeg = s >= segStart && s < segEnd;
      double p = period;
      double arg = 2 * Math.PI * s / p;
      if (kind == AnomalyKind.FREQUENCY_CHANGE && inSeg) {
        // Phase-continuous speed-up: the sine keeps its value at the segment start.
        arg = 2 * Math.PI * (segStart + (s - segStart) * fast) / p;
      }
      for (int j = 0; j < f; j++) {
        double noise = NOISE * r.nextGaussian() * (kind == AnomalyKind.NOISE_BURST && inSeg ? noiseBoost : 1);
        v[s][j] = a * Math.sin(arg + phase + 0.7 * j) + 0.3 * a * Math.sin(2 * Math.PI * s / (p / 2.7) + phase2)
            + level[j] + noise;
        if (kind == AnomalyKind.LEVEL_SHIFT && s >= shiftFrom) {
          v[s][j] += shift;
        }
        if (kind == AnomalyKind.FLAT_LINE && inSeg && s > segStart) {
          v[s][j] = v[segStart][j];
        }
      }
    }
    if (kind == AnomalyKind.SPIKE) {
      int spikes = 1 + r.nextInt(3);
      for (int k = 0; k < spikes; k++) {
        int s = r.nextInt(t);
        double jump = (r.nextBoolean() ? 1 : -1) * (3 + 2 * r.nextDouble()) * a;
        for (int j = 0; j < f; j++) {
          v[s][j] += jump;
        }
      }
    }
    return new SynthSlice(id, times, v, kind);
  }

  /** Writes train.csv, test.csv and labels.csv into {@code dir}. */
  public void writeCsv(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve("train.csv"), generateTrain());
    List<SynthSlice> test = generateTest();
    write(dir.resolve("test.csv"), test);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("labels.csv"), StandardCharsets.UTF_8)) {
      w.write("slice_id,is_anomaly,kind\n");
      for (SynthSlice s : test) {
        w.write(s.sliceId() + "," + (s.isAnomaly() ? 1 : 0) + "," + (s.isAnomaly() ? s.kind().label() : "normal")
            + "\n");
      }
    }
  }

  private void write(Path file, List<SynthSlice> slices) throws IOException {
    int f = cfg.features();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder header = new StringBuilder("slice_id,time");
      for (int j = 1; j <= f; j++) {
        header.append(f == 1 ? ",value" : ",value_" + j);
      }
      w.write(header.append('\n').toString());
      StringBuilder sb = new StringBuilder();
      for (SynthSlice s : slices) {
        for (int i = 0; i < s.epochMillis().length; i++) {
          sb.setLength(0);
          sb.append(s.sliceId()).append(',').append(Instant.ofEpochMilli(s.epochMillis()[i]));
          for (int j = 0; j < f; j++) {
            sb.append(',').append(String.format(Locale.ROOT, "%.6f", s.values()[i][j]));
          }
          w.write(sb.append('\n').toString());
        }
      }
    }
  }

  /** Reads labels.csv into slice id → anomalous. */
  public static Map<String, Boolean> readLabels(Path labelsCsv) throws IOException {
    Map<String, Boolean> out = new LinkedHashMap<>();
    readRows(labelsCsv).forEach((id, f) -> out.put(id, f[1].equals("1")));
    return out;
  }

  /** Reads labels.csv into slice id → kind ("normal" or an anomaly label). */
  public static Map<String, String> readKinds(Path labelsCsv) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    readRows(labelsCsv).forEach((id, f) -> out.put(id, f[2]));
    return out;
  }

  private static Map<String, String[]> readRows(Path labelsCsv) throws IOException {
    List<String> lines = Files.readAllLines(labelsCsv, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals("slice_id,is_anomaly,kind")) {
      throw new IllegalArgumentException(labelsCsv + ": expected the header slice_id,is_anomaly,kind");
    }
    Map<String, String[]> out = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 3 || !(f[1].equals("0") || f[1].equals("1"))) {
        throw new IllegalArgumentException(labelsCsv + ":" + (i + 1) + ": malformed label row '" + lines.get(i) + "'");
      }
      out.put(f[0], f);
    }
    return out;
  }
}
