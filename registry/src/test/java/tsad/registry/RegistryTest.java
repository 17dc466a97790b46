package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.bundle.BundleException;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataException;
import tsad.core.data.DataReport;
import tsad.core.model.TorchRuntime;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.Architecture;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.TrainConfig;
import tsad.registry.tracking.TrackedTraining;
import tsad.proto.WindowMode;

/** Tracking, registry, URIs, cache and incremental training against a real MLflow server. */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class RegistryTest {
  @TempDir static Path dir;
  static Inputs.Loaded data;
  static Inputs.Loaded newData;
  static final Map<Inputs.Loaded, DataReport> REPORTS = new HashMap<>();
  static final WindowSpec SPEC = new WindowSpec(WindowMode.SLICE, 32, 32, LengthPolicy.REJECT);

  @BeforeAll
  static void data() throws IOException {
    TorchRuntime.threads(1);
    new SynthGenerator(new SynthConfig(200, 32, 1, 0.1, 1)).writeCsv(dir.resolve("d1"));
    new SynthGenerator(new SynthConfig(200, 32, 1, 0.1, 2)).writeCsv(dir.resolve("d2"));
    DataReport r1 = new DataReport();
    DataReport r2 = new DataReport();
    data = Inputs.read(List.of(dir.resolve("d1/train.csv")), CsvOptions.defaults(), SPEC, r1);
    newData = Inputs.read(List.of(dir.resolve("d2/train.csv")), CsvOptions.defaults(), SPEC, r2);
    REPORTS.put(data, r1);
    REPORTS.put(newData, r2);
  }

  static TrainConfig config(int epochs) {
    return TrainConfig.newBuilder().setMaxEpochs(epochs).setBatchSize(32).setLearningRate(1e-3).setPatience(0)
        .setValidationFraction(0.2).setGradClip(5).setSeed(3).setThreads(1).setDevice("cpu")
        .setThresholdMethod("p99").build();
  }

  static TrackedTraining.Result train(String model, String alias, Inputs.Loaded d, ModelResolver.Resolved parent,
                                      double margin, TrackedTraining.Hooks hooks, TrainConfig cfg) {
    Path out = dir.resolve("out-" + System.nanoTime());
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.DENSE).build(),
        Inputs.dataSpec(CsvOptions.defaults(), SPEC, d.featureNames()), cfg, out, false,
        parent == null ? "" : ModelUri.of(parent.name(), parent.version()), parent == null ? null : parent.bundle(),
        false);
    TrackedTraining.Options o = new TrackedTraining.Options(MlflowServer.get().settings(), "tests", model, alias,
        null, false, margin, "synthetic");
    return TrackedTraining.run(d.windows(), d.featureNames(), REPORTS.get(d), req, TrainListener.NONE, o, hooks);
  }

  static MlflowRest rest() {
    return new MlflowRest(MlflowServer.get().settings());
  }

  static ModelResolver resolver(Path cache) {
    return new ModelResolver(cache, () -> new ModelRegistry(MlflowServer.get().settings()));
  }

  @Test
  void aRunLogsParamsMetricsPlotsAndTheModelReadableOverRest() {
    TrackedTraining.Result r = train("tracked", "champion", data, null, 0, TrackedTraining.Hooks.NONE, config(4));
    JsonObject run = rest().get("runs/get", Map.of("run_id", r.runId())).getAsJsonObject("run");
    assertEquals("FINISHED", run.getAsJsonObject("info").get("status").getAsString());
    Map<String, String> params = new HashMap<>();
    run.getAsJsonObject("data").getAsJsonArray("params").forEach(p -> params.put(
        p.getAsJsonObject().get("key").getAsString(), p.getAsJsonObject().get("value").getAsString()));
    assertEquals("4", params.get("max_epochs"));
    assertEquals("3", params.get("seed"));
    assertEquals("DENSE", params.get("model.arch"));
    assertEquals("6400", params.get("input.rows_read"));
    assertEquals("200", params.get("input.slices_used"));
    assertTrue(params.containsKey("code.tsad_version"));
    JsonObject history = rest().get("metrics/get-history", Map.of("run_id", r.runId(), "metric_key", "train_loss"));
    assertEquals(4, history.getAsJsonArray("metrics").size(), "one train_loss point per epoch");
    assertEquals(4, rest().get("metrics/get-history", Map.of("run_id", r.runId(), "metric_key", "validation_loss"))
        .getAsJsonArray("metrics").size());
    Set<String> metrics = new HashSet<>();
    run.getAsJsonObject("data").getAsJsonArray("metrics").forEach(m -> metrics.add(
        m.getAsJsonObject().get("key").getAsString()));
    assertTrue(metrics.containsAll(Set.of("threshold", "train_score_p99", "validation_score_mean",
        "windows_per_second")), metrics.toString());
    Map<String, String> tags = new HashMap<>();
    run.getAsJsonObject("data").getAsJsonArray("tags").forEach(t -> tags.put(
        t.getAsJsonObject().get("key").getAsString(), t.getAsJsonObject().get("value").getAsString()));
    assertEquals("dense", tags.get("tsad.arch"));
    assertEquals("synthetic", tags.get("tsad.data_path"));
    assertEquals("held-out windows", tags.get("tsad.threshold_fitted_on"));
    String root = r.outcome().bundle().location();
    Set<String> files = new HashSet<>();
    String base = r.experimentId() + "/" + r.runId() + "/artifacts";
    for (String d : List.of("model", "plots", "config")) {
      rest().listArtifacts(base + "/" + d).forEach(f -> files.add(d + "/" + f.get("path").getAsString()
          .replaceAll(".*/", "")));
    }
    assertTrue(files.containsAll(Set.of("model/manifest.pb", "model/model.pt", "model/MLmodel", "model/scaler.pb",
        "plots/loss.png", "plots/training-scores.png", "plots/worst-windows.png", "config/train-config.json")),
        files + " (bundle " + root + ")");
    byte[] png = rest().getArtifact(base + "/plots/loss.png");
    assertEquals((byte) 0x89, png[0], "a real PNG");
    assertEquals('P', png[1]);
  }

  @Test
  void versionsResolveByNumberAliasStageAndLatestWithErrorsThatNameWhatExists() {
    TrackedTraining.Result r1 = train("resolve-me", "champion", data, null, 0, TrackedTraining.Hooks.NONE, config(2));
    TrackedTraining.Result r2 = train("resolve-me", null, data, null, 0, TrackedTraining.Hooks.NONE, config(2));
    assertEquals("1", r1.version().version());
    assertEquals("READY", r1.version().status());
    assertEquals("2", r2.version().version());
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      reg.transitionStage("resolve-me", "2", "Production", true);
      assertEquals("1", reg.resolve(ModelUri.parse("models:/resolve-me@champion")).version());
      assertEquals("2", reg.resolve(ModelUri.parse("models:/resolve-me/Production")).version());
      assertEquals("2", reg.resolve(ModelUri.parse("models:/resolve-me/latest")).version());
      assertEquals("1", reg.resolve(ModelUri.parse("models:/resolve-me/1")).version());
      DataException e = assertThrows(DataException.class, () -> reg.resolve(ModelUri.parse("models:/resolve-me@gone")));
      assertTrue(e.getMessage().contains("no alias 'gone'") && e.getMessage().contains("@champion -> 1"),
          e.getMessage());
      e = assertThrows(DataException.class, () -> reg.resolve(ModelUri.parse("models:/resolve-me/9")));
      assertTrue(e.getMessage().contains("versions: 2, 1"), e.getMessage());
      e = assertThrows(DataException.class, () -> reg.resolve(ModelUri.parse("models:/resolve-me/Staging")));
      assertTrue(e.getMessage().contains("2 Production"), e.getMessage());
      e = assertThrows(DataException.class, () -> reg.resolve(ModelUri.parse("models:/no-such-model/1")));
      assertTrue(e.getMessage().contains("'no-such-model' not found") && e.getMessage().contains("resolve-me"),
          e.getMessage());
    }
    DataException stage = assertThrows(DataException.class, () -> ModelUri.parse("models:/x/notastage"));
    assertTrue(stage.getMessage().contains("'notastage' is not a version number, stage or 'latest'"),
        stage.getMessage());
    DataException alias = assertThrows(DataException.class, () -> ModelUri.parse("models:/x@"));
    assertTrue(alias.getMessage().contains("model URI models:/x@ has an empty alias"), alias.getMessage());
  }

  @Test
  void theCacheIsReusedAndTamperedCopiesAreRefused() throws IOException {
    TrackedTraining.Result r = train("cached", "champion", data, null, 0, TrackedTraining.Hooks.NONE, config(2));
    Path cache = dir.resolve("cache");
    ModelResolver.Resolved first = resolver(cache).resolve("models:/cached@champion");
    assertFalse(first.fromCache());
    assertEquals(r.outcome().bundle().contentHash(), first.bundle().contentHash());
    assertEquals(cache.resolve(first.bundle().contentHash()), first.dir(), "cached under its content hash");
    ModelResolver.Resolved second = resolver(cache).resolve("models:/cached/1");
    assertTrue(second.fromCache());
    // A damaged cached copy is detected, discarded and fetched again.
    Files.write(first.dir().resolve("scaler.pb"), new byte[] {1, 2, 3});
    ModelResolver.Resolved third = resolver(cache).resolve("models:/cached@champion");
    assertFalse(third.fromCache());
    ModelBundle.load(third.dir());
    // A damaged artifact on the server is refused outright.
    String base = r.experimentId() + "/" + r.runId() + "/artifacts/model";
    rest().putArtifact(base + "/threshold.pb", new byte[] {9, 9});
    BundleException e = assertThrows(BundleException.class,
        () -> resolver(dir.resolve("fresh-cache")).resolve("models:/cached/1"));
    assertTrue(e.getMessage().contains("failed verification") && e.getMessage().contains("threshold.pb"),
        e.getMessage());
  }

  @Test
  void incrementalTrainingRegistersAChildWithLineageAndGatesTheAlias() {
    train("growing", "champion", data, null, 0, TrackedTraining.Hooks.NONE, config(3));
    ModelResolver.Resolved parent = resolver(dir.resolve("c2")).resolve("models:/growing@champion");
    TrackedTraining.Result child = train("growing", "champion", newData, parent, 0.05, TrackedTraining.Hooks.NONE,
        config(3));
    assertEquals("2", child.version().version());
    assertEquals("models:/growing/1", child.version().tags().get("tsad.parent"));
    assertTrue(child.outcome().gate() != null);
    JsonObject run = rest().get("runs/get", Map.of("run_id", child.runId())).getAsJsonObject("run");
    String tagsJson = run.getAsJsonObject("data").getAsJsonArray("tags").toString();
    assertTrue(tagsJson.contains("models:/growing/1") && tagsJson.contains("tsad.gate_decision"), tagsJson);
    String metricsJson = run.getAsJsonObject("data").getAsJsonArray("metrics").toString();
    assertTrue(metricsJson.contains("gate_parent_error") && metricsJson.contains("gate_new_error"), metricsJson);
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      String expected = child.outcome().gate().passes(0.05) ? "2" : "1";
      assertEquals(expected, reg.resolve(ModelUri.parse("models:/growing@champion")).version());
      // A gate no model can pass (new error < 1 % of the parent's): registered, but the alias stays put.
      ModelResolver.Resolved p2 = resolver(dir.resolve("c3")).resolve("models:/growing@champion");
      TrackedTraining.Result blocked = train("growing", "champion", newData, p2, -0.99, TrackedTraining.Hooks.NONE,
          config(1));
      assertFalse(blocked.promoted());
      assertTrue(blocked.decision().startsWith("gate failed"), blocked.decision());
      assertEquals("failed", blocked.version().tags().get("tsad.gate"));
      assertEquals(expected, reg.resolve(ModelUri.parse("models:/growing@champion")).version());
    }
  }

  @Test
  void aFailingRunIsMarkedFailedAndRegistersNothing() {
    TrainConfig bad = config(2).toBuilder().setThresholdMethod("pot:0.5").build();
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> train("never", "champion", data, null, 0, TrackedTraining.Hooks.NONE, bad));
    assertTrue(e.getMessage().contains("POT"), e.getMessage());
    JsonObject runs = rest().post("runs/search", searchAll());
    String json = runs.toString();
    assertTrue(json.contains("\"FAILED\""), "the run is marked FAILED: " + json);
    MlflowException nf = assertThrows(MlflowException.class,
        () -> rest().get("registered-models/get", Map.of("name", "never")));
    assertTrue(nf.notFound());
  }

  @Test
  void aServerThatGoesAwayGivesAClearErrorAndNoHalfMadeVersion() throws Exception {
    train("flaky", "champion", data, null, 0, TrackedTraining.Hooks.NONE, config(1));
    MlflowServer.Instance server = MlflowServer.get();
    TrackedTraining.Hooks stopBeforeRegister = new TrackedTraining.Hooks() {
      @Override
      public void beforeRegister() {
        server.stop();
      }
    };
    try {
      MlflowException e = assertThrows(MlflowException.class,
          () -> train("flaky", "champion", data, null, 0, stopBeforeRegister, config(1)));
      assertTrue(e.getMessage().contains("no answer") && e.getMessage().contains("gave up after 3 attempts"),
          e.getMessage());
    } finally {
      server.start();
    }
    try (ModelRegistry reg = new ModelRegistry(server.settings())) {
      assertEquals(1, reg.versions("flaky").size(), "the interrupted run registered nothing");
      assertEquals("1", reg.resolve(ModelUri.parse("models:/flaky@champion")).version());
    }
    // Nothing listening at all: bounded retries, then one clear error.
    MlflowSettings nowhere = new MlflowSettings("http://127.0.0.1:9", null, null, null, false, 2, 10, 30_000);
    MlflowException down = assertThrows(MlflowException.class,
        () -> new ModelRegistry(nowhere).versions("x"));
    assertTrue(down.getMessage().contains("gave up after 2 attempts") && down.getMessage().contains("127.0.0.1:9"),
        down.getMessage());
  }

  @Test
  void aSecondCheckoutDoesNotTakeAnotherServerOnItsPortForItsOwn() throws Exception {
    Path other = Files.createTempDirectory("tsad-mlflow-other");
    String out = MlflowServer.get().startElsewhereOnThisPort(other);
    assertTrue(out.startsWith("exit 1: ") && out.contains("already answers, but not from a server started here"),
        out);
    assertFalse(Files.exists(other.resolve("mlflow-server.pid")), "nothing started, nothing to stop");
    JsonObject exp = rest().get("experiments/get-by-name", Map.of("experiment_name", "Default"))
        .getAsJsonObject("experiment");
    assertEquals("0", exp.get("experiment_id").getAsString(), "the server that holds the port still answers");
  }

  private static JsonObject searchAll() {
    JsonObject body = new JsonObject();
    com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
    JsonObject exps = rest().post("experiments/search", maxResults());
    exps.getAsJsonArray("experiments").forEach(x -> ids.add(x.getAsJsonObject().get("experiment_id")));
    body.add("experiment_ids", ids);
    body.addProperty("max_results", 1000);
    return body;
  }

  private static JsonObject maxResults() {
    JsonObject o = new JsonObject();
    o.addProperty("max_results", 100);
    return o;
  }
}
