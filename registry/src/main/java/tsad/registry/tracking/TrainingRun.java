package tsad.registry.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.bundle.ModelBundle;
import tsad.core.train.TrainListener;
import tsad.proto.EpochMetrics;
import tsad.registry.MlflowException;
import tsad.registry.MlflowRest;
import tsad.registry.MlflowSettings;

/**
 * One MLflow run: params, metrics with steps, tags, and artifacts uploaded through the server's proxy and verified
 * by downloading their sha256 back. A run is never left RUNNING by a JVM that is told to stop (SIGTERM, Ctrl-C): a
 * shutdown hook runs the cleanup registered with {@link #onTermination} and ends the run as KILLED, if the server
 * answers within a few seconds.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  private static final int PARAM_LIMIT = 6000;
  /** The shutdown hook's bound for each call: the JVM is being stopped, and the one who stops it waits. */
  static final long HOOK_TIMEOUT_MILLIS = 5_000;
  private final MlflowRest rest;
  private final String runId;
  private final String experimentId;
  private final String artifactUri;
  private final String artifactRoot;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Thread hook;
  private volatile Predicate<MlflowRest> cleanup = r -> false;
  private volatile Runnable afterEnd = () -> { };

  private TrainingRun(MlflowRest rest, JsonObject info) {
    this.rest = rest;
    this.runId = info.get("run_id").getAsString();
    this.experimentId = info.get("experiment_id").getAsString();
    this.artifactUri = info.get("artifact_uri").getAsString();
    if (!artifactUri.startsWith("mlflow-artifacts:")) {
      terminate(rest, "FAILED");
      throw new MlflowException("the MLflow server stores artifacts at " + artifactUri + " without proxying them; "
          + "start it with artifact serving (mlflow server --artifacts-destination DIR, as scripts/mlflow-server.sh "
          + "does)", 0, "");
    }
    this.artifactRoot = artifactUri.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
    MlflowRest quick = new MlflowRest(rest.settings().withTimeout(HOOK_TIMEOUT_MILLIS).withRetries(2, 200));
    this.hook = new Thread(() -> onShutdown(quick), "tsad-end-mlflow-run");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts a run in experiment {@code experiment} (created if absent) with a name and tags. */
  public static TrainingRun start(MlflowSettings settings, String experiment, String runName,
                                  Map<String, String> tags) {
    MlflowRest rest = new MlflowRest(settings);
    JsonObject req = new JsonObject();
    req.addProperty("experiment_id", experimentId(rest, experiment));
    req.addProperty("run_name", runName);
    req.addProperty("start_time", System.currentTimeMillis());
    req.add("tags", keyValues(tags));
    return new TrainingRun(rest, rest.post("runs/create", req).getAsJsonObject("run").getAsJsonObject("info"));
  }

  private static String experimentId(MlflowRest rest, String name) {
    for (int attempt = 0; ; attempt++) {
      try {
        return rest.get("experiments/get-by-name", Map.of("experiment_name", name)).getAsJsonObject("experiment")
            .get("experiment_id").getAsString();
      } catch (MlflowException e) {
        if (!e.notFound()) {
          throw e;
        }
      }
      JsonObject body = new JsonObject();
      body.addProperty("name", name);
      try {
        return rest.post("experiments/create", body).get("experiment_id").getAsString();
      } catch (MlflowException e) {
        // Another training created it at the same moment: read it again.
        if (!e.errorCode().equals("RESOURCE_ALREADY_EXISTS") || attempt > 0) {
          throw e;
        }
      }
    }
  }

  /**
   * The status of a run, or null when the server does not know it (another server, or deleted).
   *
   * @param settings the server
   * @param runId the run
   */
  public static String status(MlflowSettings settings, String runId) {
    try {
      return new MlflowRest(settings).get("runs/get", Map.of("run_id", runId)).getAsJsonObject("run")
          .getAsJsonObject("info").get("status").getAsString();
    } catch (MlflowException e) {
      if (e.notFound() || e.status() == 400) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Ends a run that another process left RUNNING (it was killed, or lost the server) as FAILED, with a tag that
   * names the run that closed it.
   */
  public static void closeStale(MlflowSettings settings, String runId, String closedBy) {
    MlflowRest rest = new MlflowRest(settings);
    JsonObject body = new JsonObject();
    body.addProperty("run_id", runId);
    body.add("tags", keyValues(Map.of("tsad.end_reason", "left RUNNING by a training that stopped without ending "
        + "it; closed by run " + closedBy)));
    rest.post("runs/log-batch", body);
    terminate(rest, runId, "FAILED");
  }

  /** The run id. */
  public String runId() {
    return runId;
  }

  /** The experiment id. */
  public String experimentId() {
    return experimentId;
  }

  /** mlflow-artifacts:/... root of the run's artifacts. */
  public String artifactUri() {
    return artifactUri;
  }

  /**
   * What the shutdown hook does before it ends the run: {@code cleanup} gets a REST caller with the hook's short
   * bound and returns true when the run's work is complete (the run then ends FINISHED, else KILLED).
   */
  public void onTermination(Predicate<MlflowRest> cleanup) {
    this.cleanup = cleanup;
  }

  /** What to do once the server has the run as ended, however it ended (e.g. drop a marker of the run). */
  public void onEnded(Runnable afterEnd) {
    this.afterEnd = afterEnd;
  }

  /** Logs params in batches (values cut to MLflow's length limit). */
  public void logParams(Map<String, String> params) {
    List<JsonObject> batch = new ArrayList<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String v = e.getValue().length() > PARAM_LIMIT ? e.getValue().substring(0, PARAM_LIMIT) : e.getValue();
      batch.add(keyValue(e.getKey(), v));
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
    List<JsonObject> batch = new ArrayList<>();
    metrics.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        JsonObject o = new JsonObject();
        o.addProperty("key", k);
        o.addProperty("value", v);
        o.addProperty("timestamp", now);
        o.addProperty("step", step);
        batch.add(o);
      }
    });
    flush(batch, List.of(), List.of());
  }

  /** Sets tags on the run. */
  public void setTags(Map<String, String> tags) {
    List<JsonObject> batch = new ArrayList<>();
    tags.forEach((k, v) -> batch.add(keyValue(k, v)));
    flush(List.of(), List.of(), batch);
  }

  private void flush(List<JsonObject> m, List<JsonObject> p, List<JsonObject> t) {
    if (!m.isEmpty() || !p.isEmpty() || !t.isEmpty()) {
      JsonObject body = new JsonObject();
      body.addProperty("run_id", runId);
      body.add("metrics", array(m));
      body.add("params", array(p));
      body.add("tags", array(t));
      rest.post("runs/log-batch", body);
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
      // Hidden files (tsad's own markers, such as the run marker of a --model-out) are not part of the artifact.
      files = s.filter(Files::isRegularFile).filter(f -> !hidden(dir.relativize(f))).sorted().toList();
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

  private static boolean hidden(Path rel) {
    for (Path part : rel) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Uploads one file under {@code artifactPath}. */
  public void uploadFile(String artifactPath, byte[] bytes) {
    rest.putArtifact(artifactRoot + "/" + artifactPath, bytes);
  }

  /** Marks the run FINISHED. */
  public void finish() {
    if (end()) {
      terminate(rest, "FINISHED");
      afterEnd.run();
    }
  }

  /**
   * Marks the run FAILED (best effort: the server may be the reason it failed).
   *
   * @return true when the server has the run as ended
   */
  public boolean fail() {
    if (!end()) {
      return true;
    }
    try {
      terminate(rest, "FAILED");
      afterEnd.run();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("could not mark run {} FAILED: {}", runId, e.getMessage());
      return false;
    }
  }

  /** Claims the end of the run for the caller, once; the shutdown hook is no longer needed. */
  private boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or done, and it found the run ended
    }
    return true;
  }

  private void onShutdown(MlflowRest quick) {
    if (ended.get()) {
      return;
    }
    boolean complete;
    try {
      complete = cleanup.test(quick);
    } catch (RuntimeException e) {
      LOG.warn("run {}: cleanup on termination failed: {}", runId, e.getMessage());
      complete = false;
    }
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    String status = complete ? "FINISHED" : "KILLED";
    try {
      terminate(quick, status);
      afterEnd.run();
      LOG.warn("run {} ended {}: the JVM was told to stop", runId, status);
    } catch (RuntimeException e) {
      LOG.warn("run {} could not be ended on termination ({}); the next training into the same --model-out "
          + "closes it", runId, e.getMessage());
    }
  }

  private void terminate(MlflowRest r, String status) {
    terminate(r, runId, status);
  }

  private static void terminate(MlflowRest r, String runId, String status) {
    JsonObject body = new JsonObject();
    body.addProperty("run_id", runId);
    body.addProperty("status", status);
    body.addProperty("end_time", System.currentTimeMillis());
    r.post("runs/update", body);
  }

  private static JsonArray keyValues(Map<String, String> kv) {
    JsonArray a = new JsonArray();
    kv.forEach((k, v) -> a.add(keyValue(k, v)));
    return a;
  }

  private static JsonObject keyValue(String k, String v) {
    JsonObject o = new JsonObject();
    o.addProperty("key", k);
    o.addProperty("value", v);
    return o;
  }

  private static JsonArray array(List<JsonObject> items) {
    JsonArray a = new JsonArray();
    items.forEach(a::add);
    return a;
  }
}
