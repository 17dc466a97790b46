package tsad.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real MLflow server for the tests, started once per test JVM through
 * scripts/mlflow-server.sh on a free port with its data in a temp dir, stopped when the JVM's tests end.
 * If it cannot start, the tests fail with the script's own explanation; they never skip.
 *
 * <p>The server needs Python (the script installs MLflow into .work/venv-mlflow), so every test that starts it
 * is tagged {@code @Tag("mlflow")}, and {@code -DexcludedGroups=mlflow} runs the rest without Python. The
 * extension refuses to start the server for a test without the tag. On a class
 * ({@code @ExtendWith(MlflowServer.class)} next to {@code @Tag("mlflow")}) it starts before the class's
 * {@code @BeforeAll} methods; on a single test method of a class whose other tests need no server, it starts
 * before that method only.
 */
public final class MlflowServer implements BeforeAllCallback, BeforeEachCallback {
  /** The JUnit tag of every test that starts the server. */
  public static final String TAG = "mlflow";
  private static Instance instance;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    start(context);
  }

  private static void start(ExtensionContext context) throws Exception {
    if (!context.getTags().contains(TAG)) {
      throw new IllegalStateException(context.getDisplayName() + " starts the MLflow server (Python, through "
          + "scripts/mlflow-server.sh) but is not tagged @Tag(\"" + TAG + "\"): tag it, so that a run with "
          + "-DexcludedGroups=" + TAG + " leaves it out");
    }
    synchronized (MlflowServer.class) {
      if (instance == null) {
        Instance s = new Instance();
        s.start();
        instance = s;
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("tsad-mlflow-server", s);
      }
    }
  }

  /** The running server; the test (class or method) must carry {@code @ExtendWith(MlflowServer.class)}. */
  public static Instance get() {
    if (instance == null) {
      throw new IllegalStateException("annotate the test class or method with @ExtendWith(MlflowServer.class) and "
          + "@Tag(\"" + TAG + "\")");
    }
    return instance;
  }

  /** One server process, its port and data directory. */
  public static final class Instance implements ExtensionContext.Store.CloseableResource {
    private final Path root = projectRoot();
    private final Path data;
    private final int port;

    Instance() throws IOException {
      data = Files.createTempDirectory("tsad-mlflow-test");
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    }

    /** http://127.0.0.1:PORT */
    public String uri() {
      return "http://127.0.0.1:" + port;
    }

    /** Settings for this server with a short retry policy, so failure tests finish quickly. */
    public MlflowSettings settings() {
      return new MlflowSettings(uri(), null, null, null, false, 3, 100, MlflowSettings.DEFAULT_TIMEOUT_MILLIS);
    }

    /** Starts (or restarts, on the same port and data) the server. */
    public void start() throws IOException, InterruptedException {
      run("start");
    }

    /** Stops the server (for tests of a server that goes away). */
    public void stop() {
      try {
        run("stop");
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Runs the script's start on this server's port with another data directory, as a second checkout would;
     * returns its exit code and output.
     */
    public String startElsewhereOnThisPort(Path otherData) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(List.of("bash", root.resolve("scripts/mlflow-server.sh").toString(), "start",
          "--port", Integer.toString(port), "--data", otherData.toString())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return "exit " + p.exitValue() + ": " + out;
    }

    private void run(String cmd) throws IOException, InterruptedException {
      Path log = data.resolve("script-" + cmd + ".log");
      Process p = new ProcessBuilder(List.of("bash", root.resolve("scripts/mlflow-server.sh").toString(), cmd,
          "--port", Integer.toString(port), "--data", data.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("could not " + cmd + " the MLflow test server with "
            + "scripts/mlflow-server.sh:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    }

    @Override
    public void close() {
      stop();
    }
  }

  private static Path projectRoot() {
    String prop = System.getProperty("tsad.root");
    Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("scripts/mlflow-server.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find scripts/mlflow-server.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
