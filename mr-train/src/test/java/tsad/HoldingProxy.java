package tsad;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP relay in front of the real MLflow server that passes every request on and holds back the answer to the
 * first request whose path ends with a given suffix: the server has done the work, the client does not know yet.
 * Lets a test stop tsad at one exact moment of a conversation with a real server (e.g. while a version registers).
 */
final class HoldingProxy implements AutoCloseable {
  private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
      "upgrade", "expect", "keep-alive");
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final String suffix;
  private final long holdMillis;
  private final CountDownLatch held = new CountDownLatch(1);

  /** Relays to {@code target} (http://host:port), holding the answer to a path ending in {@code suffix}. */
  HoldingProxy(String target, String suffix, long holdMillis) throws IOException {
    this.target = target.replaceFirst("/+$", "");
    this.suffix = suffix;
    this.holdMillis = holdMillis;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::relay);
    server.setExecutor(pool);
    server.start();
  }

  /** The relay's address, to give tsad as its tracking URI. */
  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Waits until the server has answered the held request (its answer is held from then on). */
  boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void relay(HttpExchange x) throws IOException {
    try (x) {
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + x.getRequestURI()))
          .method(x.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      x.getRequestHeaders().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          vs.forEach(v -> req.header(k, v));
        }
      });
      HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (x.getRequestURI().getPath().endsWith(suffix) && held.getCount() > 0) {
        held.countDown();
        Thread.sleep(holdMillis);
      }
      res.headers().map().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
          x.getResponseHeaders().put(k, List.copyOf(vs));
        }
      });
      byte[] out = res.body();
      x.sendResponseHeaders(res.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream o = x.getResponseBody()) {
          o.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
