package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How calls reach a server: the time bound on a server that never answers, and the credentials sent. */
class MlflowRestTest {
  /** A server that accepts connections and never answers, as a hung MLflow (or a proxy before it) does. */
  static final class Silent implements AutoCloseable {
    final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Silent() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(socket.accept());
          }
        } catch (IOException e) {
          // closed
        }
      }, "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String uri() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aServerThatNeverAnswersCostsTheBoundOnceThenOneClearError() throws Exception {
    try (Silent server = new Silent()) {
      MlflowSettings s = MlflowSettings.fromEnv(server.uri(), Map.of()).withTimeout(1_500);
      long t0 = System.nanoTime();
      MlflowException e = assertThrows(MlflowException.class, () -> new ModelRegistry(s).versions("m"));
      double secs = (System.nanoTime() - t0) / 1e9;
      assertTrue(secs >= 1.4 && secs < 4, "took " + secs + " s");
      assertEquals("GET registered-models/get: no answer from " + server.uri() + " within 1.5 s (the bound of one "
          + "call; raise it with --mlflow-timeout SECONDS or TSAD_MLFLOW_TIMEOUT) — gave up after 1 attempt; is the "
          + "server up? (scripts/mlflow-server.sh status)", e.getMessage());
    }
  }

  @Test
  void credentialsInTheUriAreSentAsBasicAuthAndNotInTheRequestLine() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> seen = new CopyOnWriteArrayList<>();
    http.createContext("/", ex -> {
      seen.add(ex.getRequestHeaders().getFirst("Authorization") + " " + ex.getRequestURI());
      byte[] body = "{\"registered_model\": {\"name\": \"m\"}}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    try {
      int port = http.getAddress().getPort();
      assertTrue(new ModelRegistry(MlflowSettings.fromEnv("http://alice:s3cret@127.0.0.1:" + port, Map.of()))
          .exists("m"));
      String basic = java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of("Basic " + basic + " /api/2.0/mlflow/registered-models/get?name=m"), seen);
    } finally {
      http.stop(0);
    }
  }
}
