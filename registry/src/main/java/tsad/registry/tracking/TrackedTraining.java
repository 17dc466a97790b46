package tsad.registry.tracking;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataReport;
import tsad.core.io.FileTrees;
import tsad.core.score.Scorer;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.window.Window;
import tsad.proto.EpochMetrics;
import tsad.proto.ScoreDistribution;
import tsad.registry.MlflowException;
import tsad.registry.MlflowSettings;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;
import tsad.registry.ModelVersionInfo;

/**
 * Training tracked in MLflow: a run with every param, per-epoch metrics, plots, the config and the bundle
 * (with an MLmodel file) as verified artifacts; then, optionally, a registered version (READY) and an
 * alias or stage — for fine-tuned models only if the gate passes. A run that fails is marked FAILED and
 * registers nothing.
 */
public final class TrackedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(TrackedTraining.class);

  /**
   * Tracking and registry options.
   *
   * @param settings server and credentials
   * @param experiment experiment name (created if absent)
   * @param registerAs registered model name, or null to only track
   * @param alias alias to point at the new version, or null
   * @param stage stage to move the new version to, or null
   * @param archiveExisting archive the versions previously in that stage
   * @param gateMargin fine-tuning: allowed relative worsening of held-out error against the parent
   * @param dataPath the input path(s), for the run's tags
   */
  public record Options(MlflowSettings settings, String experiment, String registerAs, String alias, String stage,
                        boolean archiveExisting, double gateMargin, String dataPath) {}

  /** Test seam: called between the verified upload and the registration. */
  public interface Hooks {
    /** Hooks that do nothing. */
    Hooks NONE = new Hooks() { };

    /** Called after all artifacts are uploaded and verified, just before registration. */
    default void beforeRegister() { }
  }

  /**
   * What the tracked run produced.
   *
   * @param outcome the training outcome
   * @param runId MLflow run id
   * @param experimentId MLflow experiment id
   * @param version registered version, or null
   * @param promoted true when the alias / stage was moved to the new version
   * @param decision a one-line account of the gate decision
   */
  public record Result(TrainPipeline.Outcome outcome, String runId, String experimentId, ModelVersionInfo version,
                       boolean promoted, String decision) {}

  private TrackedTraining() {}

  /** Trains, tracks, uploads, registers and promotes, as the options say. */
  public static Result run(List<Window> windows, List<String> featureNames, DataReport report, TrainRequest req,
                           TrainListener progress, Options o, Hooks hooks) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("tsad.arch", (req.initFrom() != null ? req.initFrom().modelSpec().getArch() : req.model().getArch())
        .name().toLowerCase(Locale.ROOT));
    tags.put("tsad.data_path", o.dataPath());
    tags.put("mlflow.source.name", "tsad train");
    if (req.parentModel() != null && !req.parentModel().isEmpty()) {
      tags.put("tsad.parent_version", req.parentModel());
    }
    Path marker = req.modelOut().resolve(RUN_MARKER);
    String stale = readMarker(marker);
    if (stale != null && req.resume()) {
      tags.put("tsad.resumed_from", stale);
    }
    TrainingRun run = TrainingRun.start(o.settings(), o.experiment(), runName(req), tags);
    Guard guard = new Guard(o.registerAs(), run.runId());
    run.onTermination(guard::onTermination);
    run.onEnded(() -> deleteMarker(marker));
    closeStale(o.settings(), stale, run.runId());
    writeMarker(marker, run.runId());
    try {
      String git = TrainPipeline.gitCommit();
      run.logParams(RunParams.of(req, report.toSummary(), git));
      TrainPipeline.Outcome out = TrainPipeline.run(windows, featureNames, report, req, both(progress,
          run.epochMetrics()));
      ModelBundle bundle = out.bundle();
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("threshold", bundle.threshold().getValue());
      // What the threshold was fitted to (a percentile, a tail fit, or labelled rows and the F1 it gives there).
      bundle.threshold().getParamsMap().forEach((k, v) -> m.put("threshold_" + k, v));
      m.put("best_validation_loss", out.training().bestValidationLoss());
      m.put("epochs_run", (double) out.training().epochsRun());
      m.put("train_seconds", out.training().seconds());
      m.put("windows_per_second", out.training().history().stream().mapToDouble(EpochMetrics::getWindowsPerSecond)
          .average().orElse(0));
      distribution("train_score", bundle.threshold().getTrainingScores(), m);
      if (bundle.threshold().getValidationScores().getCount() > 0) {   // none when no window was held out
        distribution("validation_score", bundle.threshold().getValidationScores(), m);
      }
      run.setTags(Map.of("tsad.threshold_fitted_on", fittedOn(bundle.threshold().getFittedOn())));
      String decision = "no parent: promotion as requested";
      boolean gatePasses = true;
      if (out.gate() != null) {
        gatePasses = out.gate().passes(o.gateMargin());
        m.put("gate_parent_error", out.gate().parentError());
        m.put("gate_new_error", out.gate().newError());
        m.put("gate_passed", gatePasses ? 1.0 : 0.0);
        decision = String.format(Locale.ROOT, "gate %s: new held-out error %.6g vs parent %.6g (margin %.0f%%)",
            gatePasses ? "passed" : "failed", out.gate().newError(), out.gate().parentError(), 100 * o.gateMargin());
      }
      run.logMetrics(m, out.training().epochsRun());
      Path plots = Files.createTempDirectory("tsad-plots");
      writePlots(out, plots);
      run.uploadDirectory(plots, "plots");
      PyfuncFlavor.write(req.modelOut(), bundle, run.runId());
      String source = run.uploadDirectory(req.modelOut(), "model");
      run.uploadFile("config/train-config.json", config(req).getBytes(StandardCharsets.UTF_8));
      if (!FileTrees.deleteTree(plots)) {
        LOG.warn("could not delete all of {}", plots);
      }
      ModelVersionInfo version = null;
      boolean promoted = false;
      if (o.registerAs() != null) {
        hooks.beforeRegister();
        // Under the guard's lock: a JVM told to stop waits for a registration in flight, or stops it before it.
        guard.lock.lock();
        try (ModelRegistry reg = new ModelRegistry(o.settings())) {
          if (guard.stopping) {
            throw new MlflowException("run " + run.runId() + " stopped before registration: nothing registered", 0,
                "");
          }
          Map<String, String> vt = new LinkedHashMap<>();
          vt.put(ModelResolver.CONTENT_HASH, bundle.contentHash());
          vt.put("tsad.gate", out.gate() == null ? "none" : gatePasses ? "passed" : "failed");
          if (req.parentModel() != null && !req.parentModel().isEmpty()) {
            vt.put("tsad.parent", req.parentModel());
          }
          version = reg.register(o.registerAs(), source, run.runId(), vt, 60_000);
          if (gatePasses) {
            promoted = promote(reg, version, o);
          } else if (o.alias() != null || o.stage() != null) {
            decision += "; " + (o.alias() != null ? "@" + o.alias() : o.stage()) + " left where it was";
          }
          guard.complete = true;
        } finally {
          guard.lock.unlock();
        }
      }
      guard.complete = true;
      run.setTags(Map.of("tsad.gate_decision", decision, "tsad.threshold_method",
          bundle.threshold().getMethod()));
      run.finish();
      return new Result(out, run.runId(), run.experimentId(), version, promoted, decision);
    } catch (IOException e) {
      run.fail();
      throw new MlflowException("training run " + run.runId() + " failed: " + e.getMessage(), 0, "");
    } catch (RuntimeException e) {
      run.fail();
      throw e;
    }
  }

  /** The file in --model-out that names the run training into it, until the server has that run as ended. */
  static final String RUN_MARKER = ".mlflow-run";

  /**
   * What a JVM told to stop does about registration: it waits a little for a registration in flight, deletes any
   * version of this run that is not complete (registered and promoted), and says whether the run's work is done.
   */
  private static final class Guard {
    final ReentrantLock lock = new ReentrantLock();
    volatile boolean stopping;
    volatile boolean complete;
    private final String model;
    private final String runId;

    Guard(String model, String runId) {
      this.model = model;
      this.runId = runId;
    }

    boolean onTermination(tsad.registry.MlflowRest quick) {
      stopping = true;
      boolean locked = false;
      try {
        locked = lock.tryLock(TrainingRun.HOOK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        if (complete) {
          return true;
        }
        if (model != null) {
          try (ModelRegistry reg = new ModelRegistry(quick.settings())) {
            if (reg.exists(model)) {
              reg.versions(model).stream().filter(v -> v.runId().equals(runId))
                  .forEach(v -> reg.deleteQuietly(model, v.version()));
            }
          }
        }
        return false;
      } finally {
        if (locked) {
          lock.unlock();
        }
      }
    }
  }

  private static String readMarker(Path marker) {
    try {
      return Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", marker, e.getMessage());
      return null;
    }
  }

  private static void writeMarker(Path marker, String runId) {
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, runId + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      // Only a stale run could not be found later: not worth failing the training for.
      LOG.warn("cannot write {}: {}", marker, e.getMessage());
    }
  }

  private static void deleteMarker(Path marker) {
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", marker, e.getMessage());
    }
  }

  /** Ends the run an earlier training into the same --model-out left RUNNING (killed, or cut off from the server). */
  private static void closeStale(MlflowSettings settings, String stale, String closedBy) {
    if (stale == null || stale.isEmpty()) {
      return;
    }
    try {
      if ("RUNNING".equals(TrainingRun.status(settings, stale))) {
        TrainingRun.closeStale(settings, stale, closedBy);
        LOG.info("run {}: left RUNNING by an earlier training into this --model-out; ended as FAILED", stale);
      }
    } catch (MlflowException e) {
      LOG.warn("could not end the earlier run {}: {}", stale, e.getMessage());
    }
  }

  private static boolean promote(ModelRegistry reg, ModelVersionInfo v, Options o) {
    try {
      if (o.alias() != null) {
        reg.setAlias(v.name(), o.alias(), v.version());
      }
      if (o.stage() != null) {
        reg.transitionStage(v.name(), v.version(), o.stage(), o.archiveExisting());
      }
      return o.alias() != null || o.stage() != null;
    } catch (RuntimeException e) {
      // The version exists but was not promoted: remove it so no half-made version stays behind.
      reg.deleteQuietly(v.name(), v.version());
      throw e;
    }
  }

  /** The tag value naming whose scores the threshold was fitted on. */
  static String fittedOn(tsad.proto.ThresholdSource source) {
    return switch (source) {
      case FITTED_ON_TRAINING -> "training windows (none held out)";
      case FITTED_ON_LABELS -> "labelled rows";
      default -> "held-out windows";
    };
  }

  private static void distribution(String prefix, ScoreDistribution d, Map<String, Double> m) {
    m.put(prefix + "_mean", d.getMean());
    m.put(prefix + "_std", d.getStd());
    for (String q : List.of("p50", "p95", "p99")) {
      m.put(prefix + "_" + q, d.getQuantilesOrDefault(q, Double.NaN));
    }
  }

  private static void writePlots(TrainPipeline.Outcome out, Path dir) throws IOException {
    ModelBundle b = out.bundle();
    Plots.lossCurves(out.training().history(), dir.resolve("loss.png"));
    Plots.scoreHistogram(b.threshold().getTrainingScores(), b.threshold().getValue(), b.threshold().getMethod(),
        dir.resolve("training-scores.png"));
    List<Window> train = out.split().train();
    double[] scores = out.trainScores();
    List<Integer> worst = highest(scores, 4);
    List<Window> ws = worst.stream().map(train::get).toList();
    List<float[]> reconstructed;
    try (Scorer s = b.newScorer()) {
      reconstructed = s.reconstruct(ws, 64);
    }
    Plots.worstWindows(ws.stream().map(Window::id).toList(), ws.stream().map(Window::values).toList(),
        reconstructed, worst.stream().mapToDouble(i -> scores[i]).toArray(), b.modelSpec().getFeatures(),
        ws.size(), dir.resolve("worst-windows.png"));
  }

  /**
   * The indices of the k highest scores, highest first, the lower index first among equal scores (a stable sort's
   * order), in one pass: training has a score per window, millions of them, and sorting them all boxed took
   * seconds and a hundred MB of heap for four plots.
   */
  static List<Integer> highest(double[] scores, int k) {
    int[] best = new int[Math.min(k, scores.length)];
    int found = 0;
    for (int i = 0; i < scores.length; i++) {
      int pos = found;
      while (pos > 0 && Double.compare(scores[i], scores[best[pos - 1]]) > 0) {
        pos--;
      }
      if (pos < best.length) {
        int last = Math.min(found, best.length - 1);
        System.arraycopy(best, pos, best, pos + 1, last - pos);
        best[pos] = i;
        found = Math.min(found + 1, best.length);
      }
    }
    List<Integer> out = new ArrayList<>(found);
    for (int j = 0; j < found; j++) {
      out.add(best[j]);
    }
    return out;
  }

  private static String config(TrainRequest req) throws IOException {
    JsonFormat.Printer p = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    return "{\"config\": " + p.print(req.config()) + ",\n\"model\": " + p.print(req.initFrom() != null
        ? req.initFrom().modelSpec() : req.model()) + ",\n\"data\": " + p.print(req.data()) + ",\n\"init_from\": \""
        + (req.parentModel() == null ? "" : req.parentModel()) + "\"}\n";
  }

  private static String runName(TrainRequest req) {
    return (req.initFrom() != null ? "finetune-" : "train-") + Instant.now().toString().replace(':', '-');
  }

  private static TrainListener both(TrainListener a, TrainListener b) {
    return new TrainListener() {
      @Override
      public void batch(int epoch, int maxEpochs, int batch, int batches, double loss, long done, double secs) {
        a.batch(epoch, maxEpochs, batch, batches, loss, done, secs);
        b.batch(epoch, maxEpochs, batch, batches, loss, done, secs);
      }

      @Override
      public void epoch(EpochMetrics metrics, int maxEpochs, boolean improved) {
        a.epoch(metrics, maxEpochs, improved);
        b.epoch(metrics, maxEpochs, improved);
      }

      @Override
      public void done(String stopReason, int bestEpoch, double bestValidationLoss) {
        a.done(stopReason, bestEpoch, bestValidationLoss);
        b.done(stopReason, bestEpoch, bestValidationLoss);
      }
    };
  }
}
