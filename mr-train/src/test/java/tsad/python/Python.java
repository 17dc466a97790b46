package tsad.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's Python venv (scripts/python-env.sh: torch, mlflow, pyspark) for the tests tagged {@code python}, and
 * running its interpreter. If the venv cannot be installed the tests fail with the script's own one-line reason.
 */
final class Python {
  /** The JUnit tag of every test that runs the venv's Python. */
  static final String TAG = "python";
  private static Path python;

  private Python() {}

  /** The project root (the tests run with tsad.root set by Maven). */
  static Path root() {
    return Path.of(System.getProperty("tsad.root", "..")).toAbsolutePath().normalize();
  }

  /** The venv's python executable, installing the venv on first use. */
  static synchronized Path python() throws IOException, InterruptedException {
    if (python == null) {
      Result r = run(List.of("bash", root().resolve("scripts/python-env.sh").toString(), "--python"), Map.of(),
          root(), 1800);
      assertEquals(0, r.code(), "scripts/python-env.sh could not install the Python venv: " + r.out());
      python = Path.of(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    }
    return python;
  }

  /** The venv's bin directory, which must be on PATH for the mlflow CLI's own subprocesses (uvicorn). */
  static Path bin() throws IOException, InterruptedException {
    return python().getParent();
  }

  /** Exit code and combined output of a finished process. */
  record Result(int code, String out) {}

  /** Runs a command with extra environment variables; output to a file so a long one cannot block it. */
  static Result run(List<String> cmd, Map<String, String> env, Path dir, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("tsad-python", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      throw new AssertionError(cmd + " did not finish in " + timeoutSeconds + " s; output:\n" + out);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(p.exitValue(), out);
  }

  /** Runs the venv's python on a script of src/test/python with arguments. */
  static Result script(String name, List<String> args, Map<String, String> env) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python().toString(),
        root().resolve("mr-train/src/test/python/" + name).toString()));
    cmd.addAll(args);
    return run(cmd, env, root(), 900);
  }
}
