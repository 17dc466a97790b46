package tsad.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tsad.core.bundle.Compatibility;
import tsad.core.data.CsvOptions;
import tsad.core.data.CsvSeriesReader;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.data.SliceSample;
import tsad.core.model.Autoencoder;
import tsad.core.model.ModelSpecs;
import tsad.core.train.ConsoleProgress;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.threshold.LabelledThreshold;
import tsad.core.threshold.ThresholdMethod;
import tsad.core.train.ThresholdLabels;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.WindowLength;
import tsad.core.window.WindowSpec;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;
import tsad.proto.TrainConfig;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;
import tsad.registry.tracking.TrackedTraining;

/** {@code tsad train}: CSV in, model bundle out. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train an autoencoder on normal time series and write a model bundle.")
public final class TrainCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainCommand.class);
  @Option(names = "--input", split = ",", paramLabel = "CSV",
      description = "Long-format CSV file(s) or directories of them (header row; one row per slice and time).")
  List<Path> input;

  @Option(names = "--prepared", paramLabel = "DIR",
      description = "Instead of --input: windows made by 'tsad prepare' (local or hdfs://); their columns and "
          + "windowing are used.")
  String prepared;

  @Option(names = "--model-out", required = true, paramLabel = "DIR", description = "Bundle directory to write.")
  Path modelOut;

  @Option(names = "--arch", defaultValue = "dense", description = "dense, cnn or lstm. Default: ${DEFAULT-VALUE}.")
  String arch;

  @Mixin
  WindowMixin windowing;

  @Option(names = "--epochs", defaultValue = "100", description = "Maximum epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "0", description = "Adam weight decay. Default: ${DEFAULT-VALUE}.")
  double weightDecay;

  @Option(names = "--noise", defaultValue = "0", description = "Denoising training: the standard deviation of "
      + "Gaussian noise added to the scaled inputs (the target stays clean; 0: off). Default: ${DEFAULT-VALUE}.")
  double noise;

  @Option(names = "--patience",
      description = "Stop after this many epochs without validation improvement (0: never). Default: 10, lstm 30 "
          + "(LSTMs plateau before they learn).")
  Integer patience;

  @Option(names = "--min-delta", defaultValue = "1e-5",
      description = "Smallest validation-loss decrease that counts as improvement. Default: ${DEFAULT-VALUE}.")
  double minDelta;

  @Option(names = "--validation-fraction", defaultValue = "0.2",
      description = "Share held out for validation and the threshold (by slice). Default: ${DEFAULT-VALUE}.")
  double validationFraction;

  @Option(names = "--grad-clip", defaultValue = "5.0", description = "Gradient norm clip (0: off). Default: ${DEFAULT-VALUE}.")
  double gradClip;

  @Option(names = "--hidden", split = ",", paramLabel = "N",
      description = "Layer sizes: dense widths (default 32,32), cnn channels (16,32), lstm hidden size (64).")
  List<Integer> hidden;

  @Option(names = "--batch-norm", negatable = true,
      description = "Batch normalisation between layers (dense, cnn). Default: on for dense, off for cnn.")
  Boolean batchNorm;

  @Option(names = "--dropout", defaultValue = "0", description = "Dropout rate. Default: ${DEFAULT-VALUE}.")
  float dropout;

  @Option(names = "--kernel-size", defaultValue = "7", description = "cnn kernel size (odd). Default: ${DEFAULT-VALUE}.")
  int kernelSize;

  @Option(names = "--lstm-layers", defaultValue = "1", description = "Stacked LSTM layers. Default: ${DEFAULT-VALUE}.")
  int lstmLayers;

  @Option(names = "--threshold", defaultValue = "p99",
      description = "Threshold method on held-out scores: pNN (percentile), mean+Ksd, pot:RISK[,init=Q]. Default: ${DEFAULT-VALUE}.")
  String threshold;

  @Option(names = "--threshold-labels", paramLabel = "CSV",
      description = "Choose the threshold on labelled rows instead: incident ranges slice_id,start,end (inclusive) of "
          + "the series in --threshold-data, rows scored as 'tsad score --per row' scores them.")
  Path thresholdLabels;

  @Option(names = "--threshold-data", paramLabel = "CSV",
      description = "With --threshold-labels: the labelled series (long-format CSV, read as the training data).")
  Path thresholdData;

  @Option(names = "--threshold-goal", defaultValue = "best-f1",
      description = "With --threshold-labels: best-f1, or far:R for the lowest threshold with at most R false alarms "
          + "among the normal rows (e.g. far:0.01). Default: ${DEFAULT-VALUE}.")
  String thresholdGoal;

  @Option(names = "--aggregation", defaultValue = "mean",
      description = "Per-step errors to one score: mean, max or p95. Default: ${DEFAULT-VALUE}.")
  String aggregation;

  @Option(names = "--scaler", defaultValue = "standard",
      description = "Per-feature scaling: standard, minmax, robust or none. Default: ${DEFAULT-VALUE}.")
  String scaler;

  @Option(names = "--sample-slices", defaultValue = "1", paramLabel = "FRACTION",
      description = "Train on this fraction of the slices, chosen by slice id and --seed (the same slices from CSV "
          + "or prepared data; with --prepared the others are read past, not held). Default: ${DEFAULT-VALUE} (all).")
  double sampleSlices;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (same seed + data on CPU = same model). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores.")
  Integer threads;

  @Option(names = "--resume", description = "Continue an interrupted training from its last epoch checkpoint.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(names = "--experiment", paramLabel = "NAME",
      description = "Track the run in this MLflow experiment (created if absent). Default with tracking: tsad.")
  String experiment;

  @Option(names = "--register", paramLabel = "MODEL",
      description = "Register the trained bundle as a new version of MODEL (after its artifacts are verified).")
  String register;

  @Option(names = "--alias", paramLabel = "ALIAS", description = "With --register: point ALIAS (e.g. champion) at the new version.")
  String alias;

  @Option(names = "--stage", paramLabel = "STAGE", description = "With --register: move the new version to STAGE (Staging, Production).")
  String stage;

  @Option(names = "--archive-existing", description = "With --stage: archive the versions previously in that stage.")
  boolean archiveExisting;

  @Option(names = "--init-from", paramLabel = "URI",
      description = "Fine-tune a trained model (models:/NAME@ALIAS, models:/NAME/VERSION, ... or a bundle dir): its "
          + "architecture, weights, scaler, columns and windowing are kept; the threshold is learned anew.")
  String initFrom;

  @Option(names = "--refit-scaler", description = "With --init-from: fit the scaler on the new data instead of keeping the parent's.")
  boolean refitScaler;

  @Option(names = "--gate-margin", defaultValue = "0.05",
      description = "With --init-from: promote only if the new model's held-out error is at most (1 + margin) x the "
          + "parent's on the same windows. Default: ${DEFAULT-VALUE}.")
  double gateMargin;

  @Mixin
  CsvMixin csv;

  @Mixin
  RegistryMixin registry;

  @Override
  public Integer call() throws java.io.IOException {
    checkOptions();
    if ((alias != null || stage != null) && register == null) {
      throw new DataException("--alias and --stage need --register MODEL");
    }
    boolean tracked = experiment != null || register != null || registry.trackingUri != null;
    ModelResolver.Resolved parent = initFrom == null ? null : registry.resolve(initFrom);
    String parentUri = parent == null ? "" : parent.version().isEmpty() ? initFrom
        : ModelUri.of(parent.name(), parent.version());
    CsvOptions csvOptions = csv.options(parent == null ? CsvOptions.defaults()
        : Inputs.csvOptions(parent.bundle().dataSpec(), false));
    if (parent != null) {
      // Fine-tuning reads the parent's features by name, in the parent's order.
      try {
        csvOptions = csvOptions.withFeatureColumns(Compatibility.of(parent.bundle()).columnsToRead(csv.features));
      } catch (Compatibility.Mismatch e) {
        throw new DataException("--features: " + e.getMessage() + " (fine-tuning needs the parent's features)");
      }
    }
    boolean autoWindow = parent == null && prepared == null && windowing.auto();
    WindowSpec spec = parent != null ? Inputs.windowSpec(parent.bundle().dataSpec())
        : windowing.spec(windowing.givenOrDefault());
    Architecture architecture = ModelSpecs.parseArch(arch);
    ModelSpec.Builder model = ModelSpecs.defaults(architecture).setDropout(dropout).setKernelSize(kernelSize)
        .setLstmLayers(lstmLayers);
    if (batchNorm != null) {
      model.setBatchNorm(batchNorm);
    }
    if (hidden != null) {
      model.addAllHidden(hidden);
    }
    if (parent == null && model.getBatchNorm() && batchSize < 2) {
      // Known from the options alone: refuse before reading any data (the Trainer checks a fine-tuned parent's spec).
      throw new DataException("batch normalisation needs batches of at least 2 windows, not --batch-size " + batchSize
          + "; use a larger batch or train with --no-batch-norm");
    }
    TrainConfig cfg = TrainConfig.newBuilder().setMaxEpochs(epochs).setBatchSize(batchSize).setLearningRate(lr)
        .setPatience(patience != null ? patience : ModelSpecs.defaultPatience(architecture)).setMinDelta(minDelta).setValidationFraction(validationFraction).setGradClip(gradClip)
        .setSeed(seed).setThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors())
        .setDevice(device).setThresholdMethod(threshold).setAggregation(Options.aggregation(aggregation))
        .setScaler(Options.scaler(scaler)).setWeightDecay(weightDecay).setInputNoise(noise).setSampleSlices(sampleSlices).build();
    SliceSample sample = SliceSample.of(sampleSlices, seed);

    if ((input == null) == (prepared == null)) {
      throw new DataException("give exactly one of --input CSV and --prepared DIR");
    }
    if ((thresholdLabels == null) != (thresholdData == null)) {
      throw new DataException("--threshold-labels and --threshold-data go together: the ranges, and the series they "
          + "label");
    }
    LabelledThreshold.checkGoal(thresholdGoal);
    try {
      tsad.core.io.AtomicFiles.checkWritableDirectory(modelOut);
    } catch (java.io.IOException e) {
      throw new DataException("cannot write --model-out " + modelOut + ": " + tsad.core.io.AtomicFiles.reason(e));
    }
    long t0 = System.nanoTime();
    WindowLength.Choice windowChoice = null;
    String preparedChoice = "";
    DataReport report;
    Inputs.Loaded data;
    if (prepared != null) {
      tsad.mr.PreparedWindows.Loaded p = tsad.mr.PreparedWindows.load(prepared, sample);
      report = p.report();
      data = new Inputs.Loaded(p.windows(), p.manifest().getData().getFeatureColumnsList());
      csvOptions = Inputs.csvOptions(p.manifest().getData(), false);
      spec = Inputs.windowSpec(p.manifest().getData());
      preparedChoice = p.manifest().getData().getWindowChoice();
    } else {
      try (CsvMixin.RejectFile rejects = csv.rejectFile()) {
        report = new DataReport(rejects);
        if (autoWindow) {
          windowChoice = WindowLength.choose(CsvSeriesReader.sources(input), csvOptions);
          spec = windowing.spec(windowChoice.length());
        }
        data = Inputs.read(input, csvOptions, spec, report, sample);
      }
    }
    if (windowChoice != null) {
      LOG.info("window: " + windowChoice.describe());
    }
    report.format().lines().forEach(LOG::info);
    Advice.of(report, true).forEach(LOG::info);
    ThresholdLabels labels = thresholdLabels == null ? null
        : LabelledData.load(thresholdLabels, thresholdData, csvOptions, spec, thresholdGoal);
    tsad.proto.DataSpec dataSpec = Inputs.dataSpec(csvOptions, spec, data.featureNames());
    // How T was chosen travels with it: from the prepared data's manifest, a parent's bundle, or this run's choice.
    String chosen = windowChoice != null ? windowChoice.describe()
        : prepared != null ? preparedChoice : parent != null ? parent.bundle().dataSpec().getWindowChoice() : "";
    dataSpec = dataSpec.toBuilder().setWindowChoice(chosen).build();
    TrainRequest req = new TrainRequest(model.build(), dataSpec, cfg,
        modelOut, resume, parentUri, parent == null ? null : parent.bundle(), refitScaler, labels);
    TrainListener progress = quiet ? TrainListener.NONE : ConsoleProgress.stderr();
    TrainPipeline.Outcome out;
    TrackedTraining.Result tr = null;
    if (tracked) {
      TrackedTraining.Options o = new TrackedTraining.Options(registry.settings(), experiment != null ? experiment
          : "tsad", register, alias, stage, archiveExisting, gateMargin, prepared != null ? prepared : input.toString());
      tr = TrackedTraining.run(data.windows(), data.featureNames(), report, req, progress, o,
          TrackedTraining.Hooks.NONE);
      out = tr.outcome();
    } else {
      out = TrainPipeline.run(data.windows(), data.featureNames(), report, req, progress);
      if (out.gate() != null) {
        System.out.printf(Locale.ROOT, "gate: new held-out error %.6g vs parent %.6g (%s at margin %.0f%%)%n",
            out.gate().newError(), out.gate().parentError(), out.gate().passes(gateMargin) ? "passes" : "fails",
            100 * gateMargin);
      }
    }
    System.out.printf(Locale.ROOT, "model: %s (%s, T=%d, F=%d)%s%n", modelOut,
        out.bundle().modelSpec().getArch().name().toLowerCase(Locale.ROOT), spec.length(), data.featureNames().size(),
        parentUri.isEmpty() ? "" : ", fine-tuned from " + parentUri);
    System.out.printf(Locale.ROOT, "windows: %d train, %d validation (%s)%n", out.split().train().size(),
        out.split().validation().size(), out.split().how());
    boolean heldOut = !out.split().validation().isEmpty();
    System.out.printf(Locale.ROOT, "epochs: %d (%s), best %d, %s loss %.6f%n", out.training().epochsRun(),
        out.training().stopReason().replace('_', ' '), out.training().bestEpoch(), heldOut ? "validation"
            : "training (no validation windows)", out.training().bestValidationLoss());
    if (labels != null) {
      Map<String, Double> f = out.threshold().params();
      System.out.printf(Locale.ROOT, "threshold: %s = %.6g (from %d labelled rows: F1 %.3f, false alarms %.1f%%, "
          + "missed alarms %.1f%% there)%n", out.threshold().method(), out.threshold().value(),
          out.threshold().sampleSize(), f.get("f1"), 100 * f.get("false_alarm_rate"), 100 * f.get("missed_alarm_rate"));
    } else {
      String scores = out.threshold().sampleSize() == 1 ? "score" : "scores";
      System.out.printf(Locale.ROOT, "threshold: %s = %.6g (from %d %s)%n", out.threshold().method(),
          out.threshold().value(), out.threshold().sampleSize(), heldOut ? "held-out " + scores
              : scores + " of the training windows: none was held out");
    }
    if (tr != null) {
      String ui = registry.settings().trackingUri() + "/#/experiments/" + tr.experimentId() + "/runs/" + tr.runId();
      System.out.println("mlflow run: " + ui);
      if (tr.version() != null) {
        System.out.printf(Locale.ROOT, "registered: %s%s%n", ModelUri.of(tr.version().name(), tr.version().version()),
            tr.promoted() ? " (" + (alias != null ? "@" + alias : "") + (stage != null ? " " + stage : "") + ")" : "");
      }
      if (out.gate() != null) {
        System.out.println(tr.decision());
      }
    }
    actionOutput(out, tr);
    System.out.printf(Locale.ROOT, "time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  /**
   * Refuses out-of-range options before any work (reading data, contacting a registry, training); the model's own
   * options (--hidden, --dropout, odd cnn kernels) are checked with the model spec, before training.
   */
  private void checkOptions() {
    atLeast("--epochs", epochs, 1);
    atLeast("--batch-size", batchSize, 1);
    atLeast("--lstm-layers", lstmLayers, 1);
    atLeast("--kernel-size", kernelSize, 1);
    if (threads != null) {
      atLeast("--threads", threads, 1);
    }
    if (patience != null) {
      atLeast("--patience", patience, 0);
    }
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new DataException("--lr must be a positive number, got " + lr);
    }
    notNegative("--weight-decay", weightDecay);
    notNegative("--grad-clip", gradClip);
    notNegative("--noise", noise);
    notNegative("--min-delta", minDelta);
    notNegative("--gate-margin", gateMargin);
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new DataException("--validation-fraction must be at least 0 and below 1, got " + validationFraction);
    }
    if (thresholdLabels == null) {
      try {
        ThresholdMethod.parse(threshold);
      } catch (IllegalArgumentException e) {
        throw new DataException("--threshold: " + e.getMessage());
      }
    }
  }

  private static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new DataException(option + " must be at least " + min + ", got " + value);
    }
  }

  private static void notNegative(String option, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new DataException(option + " must be a number of at least 0, got " + value);
    }
  }

  /** Under Oozie (capture-output): the registered version and run, for the gate and promote steps. */
  private static void actionOutput(TrainPipeline.Outcome out, TrackedTraining.Result tr) {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("threshold", String.format(Locale.ROOT, "%.6g", out.threshold().value()));
    p.put("validation_loss", String.format(Locale.ROOT, "%.6g", out.training().bestValidationLoss()));
    if (tr != null) {
      p.put("run_id", tr.runId());
      p.put("version", tr.version() == null ? "" : tr.version().version());
      p.put("promoted", Boolean.toString(tr.promoted()));
    }
    ActionOutput.write(p);
  }

  /** Parsers for enum-like options with messages that list the accepted values. */
  static final class Options {
    private Options() {}

    static Aggregation aggregation(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "mean": return Aggregation.MEAN;
        case "max": return Aggregation.MAX;
        case "p95": return Aggregation.P95;
        default: throw new DataException("unknown --aggregation '" + s + "'; use mean, max or p95");
      }
    }

    static ScalerParams.Kind scaler(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "standard": return ScalerParams.Kind.STANDARD;
        case "minmax": return ScalerParams.Kind.MINMAX;
        case "robust": return ScalerParams.Kind.ROBUST;
        case "none": return ScalerParams.Kind.NONE;
        default: throw new DataException("unknown --scaler '" + s + "'; use standard, minmax, robust or none");
      }
    }
  }
}
