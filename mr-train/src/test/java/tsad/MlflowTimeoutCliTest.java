package tsad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A tracking server that accepts connections and never answers costs the configured bound once, then one line. */
class MlflowTimeoutCliTest {
  @Test
  void aServerThatNeverAnswersFailsWithinTheBoundWithOneLine() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accepted, never read, never answered
          }
        } catch (java.io.IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String uri = "http://alice:s3cret@127.0.0.1:" + silent.getLocalPort();
      long t0 = System.nanoTime();
      MainTest.Run r = MainTest.tsad("models", "list", "m", "--tracking-uri", uri, "--mlflow-timeout", "1.5");
      double secs = (System.nanoTime() - t0) / 1e9;
      assertEquals(1, r.code(), r.err());
      assertTrue(secs >= 1.4 && secs < 5, "took " + secs + " s");
      assertEquals("tsad: error: GET registered-models/get: no answer from http://127.0.0.1:" + silent.getLocalPort()
          + " within 1.5 s (the bound of one call; raise it with --mlflow-timeout SECONDS or TSAD_MLFLOW_TIMEOUT) — "
          + "gave up after 1 attempt; is the server up? (scripts/mlflow-server.sh status)", r.err().strip());
      assertTrue(!r.out().contains("s3cret"), r.out());
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
