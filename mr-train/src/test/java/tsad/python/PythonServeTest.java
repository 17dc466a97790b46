package tsad.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.MainTest;
import tsad.MainTest.Run;
import tsad.registry.MlflowServer;

/**
 * A model registered by {@code tsad train --register} against the real MLflow server is loaded by {@code
 * mlflow.pyfunc.load_model("models:/NAME@ALIAS")} and served by {@code mlflow models serve -m models:/NAME@ALIAS
 * --env-manager local}, each with {@code tsad score}'s numbers (the same URI); bad requests get a 4xx that says
 * what is wrong, and a rejected slice gives strict JSON (null, never NaN).
 */
@Tag(Python.TAG)
@Tag(MlflowServer.TAG)
@ExtendWith(MlflowServer.class)
class PythonServeTest {
  @TempDir static Path dir;

  @Test
  void registeredModelLoadsAndServesWithTsadScoresNumbers() throws Exception {
    String tracking = MlflowServer.get().uri();
    Path data = PythonParityTest.data(dir, 2);
    Run train = MainTest.tsad("train", "--input", data.resolve("train.csv").toString(), "--model-out",
        dir.resolve("m").toString(), "--mode", "window", "--window", "16", "--stride", "4", "--epochs", "2",
        "--threads", "1", "--quiet", "--tracking-uri", tracking, "--experiment", "pyfunc", "--register", "py-model",
        "--alias", "champion");
    assertEquals(0, train.code(), train.err());
    String uri = "models:/py-model@champion";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", "registered");
    c.put("uri", uri);
    c.put("input", data.resolve("test.csv").toString());
    for (String per : List.of("slice", "window", "row")) {
      Path out = dir.resolve(per + ".jsonl");
      Run s = MainTest.tsad("score", "--model", uri, "--input", data.resolve("test.csv").toString(), "--per", per,
          "--output", out.toString(), "--threads", "1", "--tracking-uri", tracking, "--cache-dir",
          dir.resolve("cache").toString());
      assertEquals(0, s.code(), s.err());
      c.put(per, out.toString());
    }
    c.put("rejected", "short-1");
    Path cases = dir.resolve("cases.json");
    Files.writeString(cases, new Gson().toJson(List.of(c)), StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", tracking);
    Python.Result load = Python.script("parity.py", List.of(cases.toString()), env);
    assertEquals(0, load.code(), "mlflow.pyfunc.load_model(" + uri + ") disagrees with tsad score:\n" + load.out());
    System.out.println("load_model(" + uri + "): " + last(load.out()));

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> serveEnv = new LinkedHashMap<>(env);
    // The mlflow CLI starts uvicorn by name: the venv's bin must be on PATH.
    serveEnv.put("PATH", Python.bin() + ":" + System.getenv("PATH"));
    Path log = dir.resolve("serve.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(Python.bin().resolve("mlflow").toString(), "models", "serve",
        "-m", uri, "--env-manager", "local", "--host", "127.0.0.1", "--port", Integer.toString(port)))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(serveEnv);
    Process server = pb.start();
    try {
      String url = "http://127.0.0.1:" + port;
      awaitPing(url, server, log);
      Python.Result check = Python.script("serve_check.py", List.of(url, data.resolve("test.csv").toString(),
          c.get("slice").toString(), c.get("window").toString(), "short-1"), env);
      assertEquals(0, check.code(), "mlflow models serve disagrees with tsad score:\n" + check.out()
          + "\nserver log:\n" + tail(log));
      String report = last(check.out());
      assertTrue(report.contains("\"missing_column_status\": 400") && report.contains("\"non_numeric_status\": 400"),
          report);
      System.out.println("mlflow models serve -m " + uri + ": " + report);
    } finally {
      stop(server);
    }
  }

  private static void awaitPing(String url, Process server, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long until = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < until) {
      if (!server.isAlive()) {
        throw new AssertionError("mlflow models serve exited (" + server.exitValue() + "):\n" + tail(log));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ping"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("mlflow models serve did not answer /ping in 180 s:\n" + tail(log));
  }

  /** Ends the server and the uvicorn workers it started (only this test's processes). */
  static void stop(Process server) throws InterruptedException {
    List<ProcessHandle> children = new ArrayList<>(server.descendants().toList());
    server.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static String last(String out) {
    return out.strip().lines().reduce((a, b) -> b).orElse("");
  }

  private static String tail(Path log) {
    try {
      List<String> l = Files.readAllLines(log);
      return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
