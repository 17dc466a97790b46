package tsad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tsad.core.data.DataException;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;

/** {@code tsad synth}: writes labelled synthetic data (train.csv, test.csv, labels.csv). */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write synthetic time series: DIR/train.csv (normal), DIR/test.csv (normal + anomalous), "
        + "DIR/labels.csv (slice_id,is_anomaly,kind; kinds: spike, level_shift, frequency_change, flat_line, noise_burst).")
public final class SynthCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
  Path out;

  @Option(names = "--slices", defaultValue = "2000", description = "Slices per file. Default: ${DEFAULT-VALUE}.")
  int slices;

  @Option(names = "--length", defaultValue = "64", paramLabel = "T", description = "Steps per slice. Default: ${DEFAULT-VALUE}.")
  int length;

  @Option(names = "--features", defaultValue = "1", paramLabel = "F", description = "Features per step. Default: ${DEFAULT-VALUE}.")
  int features;

  @Option(names = "--anomaly-rate", defaultValue = "0.1", paramLabel = "R",
      description = "Share of anomalous slices in test.csv. Default: ${DEFAULT-VALUE}.")
  double anomalyRate;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws IOException {
    SynthConfig cfg;
    try {
      cfg = new SynthConfig(slices, length, features, anomalyRate, seed);
    } catch (IllegalArgumentException e) {
      throw new DataException(e.getMessage());
    }
    Files.createDirectories(out);
    new SynthGenerator(cfg).writeCsv(out);
    System.out.printf("wrote %s/train.csv, %s/test.csv, %s/labels.csv (%d slices x %d steps x %d features each)%n",
        out, out, out, slices, length, features);
    return 0;
  }
}
