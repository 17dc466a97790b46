package tsad.registry.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import tsad.core.bundle.ModelBundle;
import tsad.core.train.TrainListener;
import tsad.proto.EpochMetrics;
import tsad.registry.MlflowException;
import tsad.registry.MlflowRest;
import tsad.registry.MlflowSettings;
import tsad.registry.ModelRegistry;

/**
 * One MLflow run: params, metrics with steps, tags, and artifacts uploaded through the server's proxy
 * and verified by downloading their sha256 back. Tracking calls use the official Java client.
 */
public final class TrainingRun {
  private static final int PARAM_LIMIT = 6000;
  private final MlflowClient client;
  private final MlflowRest rest;
  private final RunInfo info;
  private final String artifactRoot;

  private TrainingRun(MlflowClient client, MlflowRest rest, RunInfo info) {
    this.client = client;
    this.rest = rest;
    this.info = info;
    String uri = info.getArtifactUri();
    if (!uri.startsWith("mlflow-artifacts:")) {
      throw new MlflowException("the MLflow server stores artifacts at " + uri + " without proxying them; start it "
          + "with artifact serving (mlflow server --artifacts-destination DIR, as scripts/mlflow-server.sh does)", 0, "");
    }
    this.artifactRoot = uri.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
  }

  /** Starts a run in experiment {@code experiment} (created if absent) with a name and tags. */
  public static TrainingRun start(MlflowSettings settings, String experiment, String runName,
                                  Map<String, String> tags) {
    MlflowRest rest = new MlflowRest(settings);
    MlflowClient client = ModelRegistry.client(settings);
    String expId = rest.retry("find experiment " + experiment, () -> client.getExperimentByName(experiment))
        .map(e -> e.getExperimentId())
        .orElseGet(() -> rest.retry("create experiment " + experiment, () -> client.createExperiment(experiment)));
    CreateRun.Builder req = CreateRun.newBuilder().setExperimentId(expId).setRunName(runName)
        .setStartTime(System.currentTimeMillis());
    tags.forEach((k, v) -> req.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
    RunInfo info = rest.retry("create run", () -> client.createRun(req.build()));
    return new TrainingRun(client, rest, info);
  }

  /** The run id. */
  public String runId() {
    return info.getRunId();
  }

  /** The experiment id. */
  public String experimentId() {
    return info.getExperimentId();
  }

  /** mlflow-artifacts:/... root of the run's artifacts. */
  public String artifactUri() {
    return info.getArtifactUri();
  }

  /** Logs params in batches (values cut to MLflow's length limit). */
  public void logParams(Map<String, String> params) {
    List<Param> batch = new ArrayList<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String v = e.getValue().length() > PARAM_LIMIT ? e.getValue().substring(0, PARAM_LIMIT) : e.getValue();
      batch.add(Param.newBuilder().setKey(e.getKey()).setValue(v).build());
      if (batch.size() == 100) {
        flush(List.of(), batch, List.of());
        batch = new ArrayList<>();
      }
    }
    flush(List.of(), batch, List.of());
  }

  /** Logs metrics at one step. */
  public void logMetrics(Map<String, Double> metrics, long step) {
    long now = System.currentTimeMillis();
    List<Metric> batch = new ArrayList<>();
    metrics.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        batch.add(Metric.newBuilder().setKey(k).setValue(v).setStep(step).setTimestamp(now).build());
      }
    });
    flush(batch, List.of(), List.of());
  }

  /** Sets tags on the run. */
  public void setTags(Map<String, String> tags) {
    List<RunTag> batch = new ArrayList<>();
    tags.forEach((k, v) -> batch.add(RunTag.newBuilder().setKey(k).setValue(v).build()));
    flush(List.of(), List.of(), batch);
  }

  private void flush(List<Metric> m, List<Param> p, List<RunTag> t) {
    if (!m.isEmpty() || !p.isEmpty() || !t.isEmpty()) {
      rest.retry("log to run " + runId(), () -> {
        client.logBatch(runId(), m, p, t);
        return null;
      });
    }
  }

  /** A training listener that logs train/validation loss, windows/s and epoch time with step = epoch. */
  public TrainListener epochMetrics() {
    return new TrainListener() {
      @Override
      public void epoch(EpochMetrics e, int maxEpochs, boolean improved) {
        logMetrics(Map.of("train_loss", e.getTrainLoss(), "validation_loss", e.getValidationLoss(),
            "windows_per_second", e.getWindowsPerSecond(), "epoch_seconds", e.getSeconds()), e.getEpoch());
      }
    };
  }

  /**
   * Uploads every file under {@code dir} to {@code artifactPath} and verifies each by downloading it and
   * comparing sha256; returns the artifact URI of the directory.
   */
  public String uploadDirectory(Path dir, String artifactPath) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      try {
        byte[] b = Files.readAllBytes(f);
        String target = artifactRoot + "/" + artifactPath + "/" + rel;
        rest.putArtifact(target, b);
        byte[] back = rest.getArtifact(target);
        if (!ModelBundle.sha256(back).equals(ModelBundle.sha256(b))) {
          throw new MlflowException("artifact " + artifactPath + "/" + rel + " reads back different from what was "
              + "uploaded (sha256 mismatch)", 0, "");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return artifactUri() + "/" + artifactPath;
  }

  /** Uploads one file under {@code artifactPath}. */
  public void uploadFile(String artifactPath, byte[] bytes) {
    rest.putArtifact(artifactRoot + "/" + artifactPath, bytes);
  }

  /** Marks the run FINISHED. */
  public void finish() {
    terminate(RunStatus.FINISHED);
  }

  /** Marks the run FAILED (best effort: the server may be the reason it failed). */
  public void fail() {
    try {
      terminate(RunStatus.FAILED);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(TrainingRun.class).warn("could not mark run {} FAILED: {}", runId(),
          e.getMessage());
    }
  }

  private void terminate(RunStatus status) {
    rest.retry("end run " + runId(), () -> {
      client.setTerminated(runId(), status, System.currentTimeMillis());
      return null;
    });
  }
}
