package tsad.core.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataReport;
import tsad.core.io.FileTrees;
import tsad.core.model.Autoencoder;
import tsad.core.model.TorchRuntime;
import tsad.core.model.Versions;
import tsad.core.scale.Scaler;
import tsad.core.score.Distributions;
import tsad.core.score.RowScores;
import tsad.core.score.Scorer;
import tsad.core.threshold.FittedThreshold;
import tsad.core.threshold.LabelledThreshold;
import tsad.core.threshold.ThresholdMethod;
import tsad.core.window.Window;
import tsad.proto.Aggregation;
import tsad.proto.DataSummary;
import tsad.proto.ModelSpec;
import tsad.proto.Provenance;
import tsad.proto.ThresholdParams;
import tsad.proto.ThresholdSource;

/**
 * Windows in, model bundle out: split, fit the scaler, train, learn the threshold on held-out windows,
 * write the bundle with its provenance. The CLI and the MapReduce train job both call this.
 */
public final class TrainPipeline {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainPipeline.class);
  /**
   * What a run produced.
   *
   * @param bundle the written bundle
   * @param training epochs, losses, stop reason
   * @param threshold the fitted threshold
   * @param split the training / validation windows
   * @param trainScores scores of the training windows (same order as split.train())
   * @param gate for fine-tuning: the parent's and the new model's error on the validation windows, else null
   */
  public record Outcome(ModelBundle bundle, Trainer.Result training, FittedThreshold threshold, Split.Parts split,
                        double[] trainScores, Gate gate) {}

  private TrainPipeline() {}

  /** Trains on {@code windows} (raw values) and writes the bundle to {@code req.modelOut()}. */
  public static Outcome run(List<Window> windows, List<String> featureNames, DataReport report, TrainRequest req,
                            TrainListener listener) {
    if (windows.isEmpty()) {
      throw new TrainingException("no windows to train on:\n" + report.format());
    }
    String thresholdSpec = req.config().getThresholdMethod().isEmpty() ? ThresholdMethod.DEFAULT_SPEC
        : req.config().getThresholdMethod();
    ThresholdMethod method;
    try {
      method = ThresholdMethod.parse(thresholdSpec);
    } catch (IllegalArgumentException e) {
      throw new TrainingException("--threshold: " + e.getMessage());
    }
    long started = System.currentTimeMillis();
    TorchRuntime.threads(Math.max(1, req.config().getThreads()));
    org.bytedeco.pytorch.Device device = TorchRuntime.device(req.config().getDevice());
    Split.Parts split = Split.of(windows, req.config().getValidationFraction(), req.config().getSeed());
    if (split.validation().isEmpty()) {
      LOG.warn(noValidationWarning(req.config().getValidationFraction(), split.train().size(),
          req.thresholdLabels() != null, req.initFrom() != null));
    }
    if (req.thresholdLabels() == null) {
      // Fitted on the held-out windows, or on the training windows when none are held out (see below).
      int n = split.validation().isEmpty() ? split.train().size() : split.validation().size();
      try {
        method.checkSampleSize(n);
      } catch (IllegalArgumentException e) {
        throw new TrainingException("--threshold " + thresholdSpec + " cannot be fitted on " + n + " scores, so "
            + "training does not start: " + e.getMessage());
      }
    }
    ModelBundle parent = req.initFrom();
    Scaler scaler = parent != null && !req.refitScaler() ? new Scaler(parent.scaler())
        : Scaler.fit(req.scalerKind(), split.train(), featureNames);
    if (parent == null || req.refitScaler()) {
      scaler.constantFeatureWarnings().forEach(LOG::warn);
    }
    ModelSpec spec = req.model().toBuilder().setWindowLength(windows.get(0).steps())
        .setFeatures(windows.get(0).features()).build();
    TorchRuntime.seed(req.config().getSeed());
    Autoencoder model;
    if (parent != null) {
      try {
        Compatibility fits = Compatibility.of(parent);
        fits.requireWindows(spec.getWindowLength(), spec.getFeatures(), "the new data");
        fits.requireFeatureNames(featureNames, "the new data");
      } catch (Compatibility.Mismatch e) {
        throw new TrainingException("cannot fine-tune " + req.parentModel() + ": " + e.getMessage());
      }
      spec = parent.modelSpec();
      model = parent.newModel();
    } else {
      model = Autoencoder.create(spec);
    }
    // The model's native memory is freed however the run ends (a diverging run throws from the trainer).
    try (model) {
      model.toDevice(device);
      Path checkpoints = req.modelOut().resolve(".checkpoint");
      Trainer.Result result = new Trainer(req.config(), checkpoints, listener)
          .train(model, split.train(), split.validation(), scaler, req.resume());

      Aggregation agg = req.config().getAggregation() == Aggregation.AGGREGATION_UNSPECIFIED ? Aggregation.MEAN
          : req.config().getAggregation();
      double[] trainScores;
      double[] valScores;
      Gate gate = null;
      FittedThreshold labelled;
      try (Scorer scorer = new Scorer(model, scaler, agg, Double.NaN)) {
        trainScores = scorer.scores(split.train(), 1024);
        valScores = split.validation().isEmpty() ? trainScores : scorer.scores(split.validation(), 1024);
        if (parent != null && !split.validation().isEmpty()) {
          gate = Gate.compare(parent, scorer, split.validation(), scaler);
        }
        labelled = req.thresholdLabels() == null ? null : fromLabels(req.thresholdLabels(), scorer);
      }
      FittedThreshold fitted;
      try {
        fitted = labelled != null ? labelled : method.fit(valScores);
      } catch (IllegalArgumentException e) {
        // The scores themselves defeat the method (ties in the tail, a diverged model): say so, keep no bundle.
        throw new TrainingException("--threshold " + thresholdSpec + " cannot be fitted on the trained model's "
            + valScores.length + " scores: " + e.getMessage());
      }
      ThresholdSource source = labelled != null ? ThresholdSource.FITTED_ON_LABELS
          : split.validation().isEmpty() ? ThresholdSource.FITTED_ON_TRAINING : ThresholdSource.FITTED_ON_HELD_OUT;
      ThresholdParams threshold = ThresholdParams.newBuilder().setMethod(fitted.method()).setValue(fitted.value())
          .setSampleSize(fitted.sampleSize()).putAllParams(fitted.params()).setAggregation(agg).setFittedOn(source)
          .setValidationScores(Distributions.of(split.validation().isEmpty() ? new double[0] : valScores))
          .setTrainingScores(Distributions.of(trainScores)).build();

      DataSummary data = report.toSummary().toBuilder().setWindowsTrain(split.train().size())
          .setWindowsValidation(split.validation().size()).build();
      Provenance prov = Provenance.newBuilder().setData(data).setConfig(req.config())
          .putAllVersions(TorchRuntime.versions()).setGitCommit(gitCommit()).setStartedAtMs(started)
          .setFinishedAtMs(System.currentTimeMillis()).setTrainSeconds(result.seconds())
          .setEpochsRun(result.epochsRun()).setBestEpoch(result.bestEpoch())
          .setBestValidationLoss(result.bestValidationLoss()).addAllHistory(result.history())
          .setDevice(TorchRuntime.name(device)).setHost(host())
          .setStopReason(result.stopReason()).setParentModel(req.parentModel() == null ? "" : req.parentModel())
          .build();
      // Bundles always hold CPU tensors, so a model trained on a GPU loads anywhere.
      model.toDevice(TorchRuntime.device("cpu"));
      ModelBundle bundle = ModelBundle.write(req.modelOut(), model, req.data(), scaler.params(), threshold, prov);
      // Leftover checkpoint files would be harmless: the bundle is complete either way.
      FileTrees.deleteTree(checkpoints);
      return new Outcome(bundle, result, fitted, split, trainScores, gate);
    }
  }

  /**
   * Why training without validation windows is worth a warning: early stopping then follows the training loss, and a
   * threshold fitted on the windows the model learned is lower than their unseen kind's scores (more false alarms).
   */
  static String noValidationWarning(double fraction, int trainWindows, boolean labelledThreshold,
      boolean fineTuning) {
    String why = fraction <= 0 ? "the validation fraction is 0"
        : "a validation fraction of " + fraction + " of " + trainWindows + " window" + (trainWindows == 1 ? "" : "s")
            + " holds out none";
    return "no validation windows (" + why + "): early stopping follows the training loss"
        + (labelledThreshold ? "" : ", and the threshold is fitted on the training windows' scores, which the model "
            + "learned: it tends to be too low (more false alarms)")
        + (fineTuning ? ", and there is no held-out error to gate the fine-tuned model against its parent's" : "")
        + "; give more slices or windows, or a larger validation fraction";
  }

  /** The threshold chosen on labelled rows: each series' rows scored by the per-row rule, all rows together. */
  private static FittedThreshold fromLabels(ThresholdLabels l, Scorer scorer) {
    double[] scores = scorer.scores(l.windows(), 1024);
    java.util.List<Double> rowScores = new java.util.ArrayList<>();
    java.util.List<Boolean> rowLabels = new java.util.ArrayList<>();
    int from = 0;
    for (tsad.core.data.Series s : l.series()) {
      int to = from;
      while (to < l.windows().size() && l.windows().get(to).seriesId().equals(s.id())) {
        to++;
      }
      boolean[] labels = l.rowLabels().get(s.id());
      if (labels == null || labels.length != s.length()) {
        throw new TrainingException("the threshold labels have no row labels for series " + s.id());
      }
      double[] rows = RowScores.of(s, l.windows().subList(from, to), java.util.Arrays.copyOfRange(scores, from, to));
      for (int i = 0; i < rows.length; i++) {
        rowScores.add(rows[i]);
        rowLabels.add(labels[i]);
      }
      from = to;
    }
    boolean[] y = new boolean[rowLabels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = rowLabels.get(i);
    }
    return LabelledThreshold.choose(rowScores.stream().mapToDouble(Double::doubleValue).toArray(), y, l.goal());
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The git commit tsad was built from (baked in at build time), or "" for a build outside git. */
  public static String gitCommit() {
    return Versions.COMMIT;
  }

}
