package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.registry.MlflowRest;
import tsad.registry.MlflowServer;
import tsad.registry.ModelRegistry;

/**
 * {@code tsad train --register} stopped from outside, in a child JVM against a real MLflow server: a SIGTERM ends the
 * run KILLED and registers nothing (or, during registration, keeps a registration that completes in time and undoes
 * one that does not); a run left RUNNING (SIGKILL, or a server that went away) is ended by the next
 * training into the same --model-out, which a --resume names as the run it resumed.
 */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class TrainInterruptCliTest {
  @TempDir static Path dir;
  static String uri;
  static MlflowRest rest;

  @BeforeAll
  static void data() {
    uri = MlflowServer.get().uri();
    rest = new MlflowRest(MlflowServer.get().settings());
    assertEquals(0, MainTest.tsad("synth", "--out", dir.resolve("a").toString(), "--slices", "200", "--length", "32",
        "--seed", "5").code());
  }

  /** The training arguments shared by the child and the resume, so the checkpoint matches. */
  private static List<String> train(Path modelOut, String model, String epochs) {
    return train(modelOut, model, epochs, uri);
  }

  private static List<String> train(Path modelOut, String model, String epochs, String trackingUri) {
    return new ArrayList<>(List.of("train", "--input", dir.resolve("a/train.csv").toString(), "--model-out",
        modelOut.toString(), "--window", "32", "--epochs", epochs, "--patience", "0", "--threads", "1", "--quiet",
        "--tracking-uri", trackingUri, "--experiment", "interrupt", "--register", model, "--alias", "champion"));
  }

  /** Starts tsad in its own JVM, with this test's class path, training for far longer than the test waits. */
  private static Process child(Path modelOut, String model, Path log) throws IOException {
    return MainTest.child(train(modelOut, model, "1000000"), log);
  }

  /** Waits until the child's run exists and has logged an epoch, and returns the run id. */
  private static String runningEpochs(Process p, Path modelOut, Path log) throws Exception {
    Path marker = modelOut.resolve(".mlflow-run");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < until) {
      assertTrue(p.isAlive(), "tsad train ended early: " + Files.readString(log, StandardCharsets.UTF_8));
      String id = Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : "";
      if (!id.isEmpty() && epochs(id) >= 2) {
        assertEquals("RUNNING", status(id));
        return id;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no epoch logged within 120 s: " + Files.readString(log, StandardCharsets.UTF_8));
  }

  private static JsonObject run(String id) {
    return rest.get("runs/get", Map.of("run_id", id)).getAsJsonObject("run");
  }

  private static String status(String id) {
    return run(id).getAsJsonObject("info").get("status").getAsString();
  }

  private static int epochs(String id) {
    JsonObject data = run(id).getAsJsonObject("data");
    int n = 0;
    if (data != null && data.has("metrics")) {
      for (JsonElement m : data.getAsJsonArray("metrics")) {
        if (m.getAsJsonObject().get("key").getAsString().equals("train_loss")) {
          n = Math.max(n, m.getAsJsonObject().get("step").getAsInt());
        }
      }
    }
    return n;
  }

  private static String tag(String id, String key) {
    for (JsonElement t : run(id).getAsJsonObject("data").getAsJsonArray("tags")) {
      if (t.getAsJsonObject().get("key").getAsString().equals(key)) {
        return t.getAsJsonObject().get("value").getAsString();
      }
    }
    return null;
  }

  private static boolean anyVersion(String model) {
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      return reg.exists(model) && !reg.versions(model).isEmpty();
    }
  }

  @Test
  void sigtermEndsTheRunKilledAndRegistersNothing() throws Exception {
    Path out = dir.resolve("term");
    Path log = dir.resolve("term.log");
    Process p = child(out, "term-model", log);
    try {
      String id = runningEpochs(p, out, log);
      p.destroy(); // SIGTERM, as from kill, YARN or Oozie
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tsad train did not stop within 30 s of SIGTERM");
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(143, p.exitValue(), text);
      assertEquals("KILLED", status(id), text);
      assertTrue(text.contains("run " + id + " ended KILLED: the JVM was told to stop"), text);
      assertFalse(anyVersion("term-model"), "a version registered by a killed training");
      assertFalse(Files.exists(out.resolve(".mlflow-run")), "the run is ended: its marker goes");
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * SIGTERM while the server registers the version (it has created it; its answer is held back): a registration that
   * completes within the stop's wait is kept, promoted, and the run FINISHED; one that does not is deleted and the
   * run KILLED. Either way no version is left half made.
   */
  @Test
  void sigtermDuringRegistrationKeepsItWholeOrUndoesIt() throws Exception {
    for (long hold : new long[] {1_000, 10_000}) {
      String model = "register-term-" + hold;
      Path out = dir.resolve(model);
      Path log = dir.resolve(model + ".log");
      try (HoldingProxy proxy = new HoldingProxy(uri, "/model-versions/create", hold)) {
        Process p = MainTest.child(train(out, model, "2", proxy.uri()), log);
        try {
          assertTrue(proxy.awaitHeld(180), "no registration within 180 s: "
              + Files.readString(log, StandardCharsets.UTF_8));
          assertTrue(anyVersion(model), "the server has the version while its answer is held");
          String id = Files.readString(out.resolve(".mlflow-run"), StandardCharsets.UTF_8).strip();
          p.destroy();
          assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tsad train did not stop within 30 s of SIGTERM");
          String text = Files.readString(log, StandardCharsets.UTF_8);
          assertEquals(143, p.exitValue(), text);
          if (hold == 1_000) { // within the 5 s the stopping JVM waits for a registration in flight
            assertEquals("FINISHED", status(id), text);
            try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
              assertEquals(List.of("1"), reg.versions(model).stream().map(tsad.registry.ModelVersionInfo::version)
                  .toList());
              assertEquals("1", reg.resolve(tsad.registry.ModelUri.parse("models:/" + model + "@champion"))
                  .version(), "the registration in flight completed, promotion included");
            }
          } else {
            assertEquals("KILLED", status(id), text);
            assertFalse(anyVersion(model), "the version registered while the JVM stopped is deleted: " + text);
          }
        } finally {
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void aRunLeftRunningIsEndedByTheResumeThatContinuesIt() throws Exception {
    Path out = dir.resolve("stale");
    Path log = dir.resolve("stale.log");
    Process p = child(out, "stale-model", log);
    String id;
    try {
      id = runningEpochs(p, out, log);
      p.destroyForcibly(); // SIGKILL: no hook runs, as when the machine or the server goes away
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertEquals("RUNNING", status(id), "nothing could end the run");
    List<String> args = train(out, "stale-model", "1");
    args.add("--resume");
    MainTest.Run resume = MainTest.tsad(args.toArray(String[]::new));
    assertEquals(0, resume.code(), resume.err());
    assertEquals("FAILED", status(id), "the stale run is ended");
    String newRun = resume.out().replaceAll("(?s).*/runs/([0-9a-f]+).*", "$1");
    assertFalse(newRun.equals(id) || newRun.isEmpty(), resume.out());
    assertEquals("left RUNNING by a training that stopped without ending it; closed by run " + newRun,
        tag(id, "tsad.end_reason"));
    assertEquals(id, tag(newRun, "tsad.resumed_from"));
    assertEquals("FINISHED", status(newRun));
    assertTrue(resume.out().contains("registered: models:/stale-model/1 (@champion)"), resume.out());
    assertFalse(Files.exists(out.resolve(".mlflow-run")));
  }
}
