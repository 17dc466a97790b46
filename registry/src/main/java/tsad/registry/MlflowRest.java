package tsad.registry;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call tsad makes to an MLflow server (tracking, registry, the artifact proxy), with one retry policy:
 * bounded attempts with exponential backoff on transient failures (no answer, 429, 5xx), none on client errors,
 * all within one time bound per call ({@link MlflowSettings#timeoutMillis()}), then one clear error.
 */
public final class MlflowRest {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowRest.class);
  private static final String TIMEOUT_HINT = "the bound of one call; raise it with --mlflow-timeout SECONDS or "
      + MlflowSettings.TIMEOUT_VARIABLE;
  private final MlflowSettings settings;
  private final HttpClient http;

  /** Creates a REST caller for one server. */
  public MlflowRest(MlflowSettings settings) {
    this.settings = settings;
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofMillis(Math.min(10_000, settings.timeoutMillis())));
    if (settings.insecureTls()) {
      b.sslContext(trustAll());
    }
    this.http = b.build();
  }

  /** The settings in use. */
  public MlflowSettings settings() {
    return settings;
  }

  /** GET api/2.0/mlflow/{path}?query. */
  public JsonObject get(String path, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "");
    q.setEmptyValue("");
    query.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
    return json(send("GET " + path, HttpRequest.newBuilder(api(path + q)).GET()));
  }

  /** POST api/2.0/mlflow/{path} with a JSON body. */
  public JsonObject post(String path, JsonObject body) {
    return json(send("POST " + path, HttpRequest.newBuilder(api(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))));
  }

  /** DELETE api/2.0/mlflow/{path} with a JSON body (MLflow's delete endpoints take one). */
  public JsonObject delete(String path, JsonObject body) {
    return json(send("DELETE " + path, HttpRequest.newBuilder(api(path)).header("Content-Type", "application/json")
        .method("DELETE", HttpRequest.BodyPublishers.ofString(body.toString()))));
  }

  /** Uploads one artifact through the server's artifact proxy; {@code path} is relative to its root. */
  public void putArtifact(String path, byte[] bytes) {
    send("PUT artifact " + path, HttpRequest.newBuilder(artifacts(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** Downloads one artifact through the proxy. */
  public byte[] getArtifact(String path) {
    return send("GET artifact " + path, HttpRequest.newBuilder(artifacts(path)).GET());
  }

  /** Lists an artifact directory through the proxy: objects with path, is_dir, file_size. */
  public List<JsonObject> listArtifacts(String path) {
    byte[] body = send("list artifacts " + path, HttpRequest.newBuilder(URI.create(settings.trackingUri()
        + "/api/2.0/mlflow-artifacts/artifacts?path=" + enc(path))).GET());
    List<JsonObject> out = new ArrayList<>();
    JsonElement files = json(body).get("files");
    if (files instanceof JsonArray a) {
      a.forEach(e -> out.add(e.getAsJsonObject()));
    }
    return out;
  }

  private URI api(String path) {
    return URI.create(settings.trackingUri() + "/api/2.0/mlflow/" + path);
  }

  private URI artifacts(String path) {
    StringJoiner j = new StringJoiner("/");
    for (String part : path.split("/")) {
      j.add(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(settings.trackingUri() + "/api/2.0/mlflow-artifacts/artifacts/" + j);
  }

  private byte[] send(String what, HttpRequest.Builder req) {
    String auth = settings.authorization();
    if (auth != null) {
      req.header("Authorization", auth);
    }
    long deadline = System.nanoTime() + settings.timeoutMillis() * 1_000_000;
    return retry(what, deadline, () -> {
      try {
        // Each attempt may use what is left of the call's bound, so a server that accepts and never answers
        // costs the bound once, not once per attempt.
        HttpResponse<byte[]> resp = http.send(req.timeout(Duration.ofMillis(Math.max(1, left(deadline)))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() / 100 != 2) {
          throw error(what, resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
        }
        return resp.body();
      } catch (HttpTimeoutException e) {
        throw new MlflowException(what + ": no answer from " + settings.trackingUri() + " within "
            + seconds(settings.timeoutMillis()) + " (" + TIMEOUT_HINT + ")", 0, "");
      } catch (IOException e) {
        throw new MlflowException(what + ": no answer from " + settings.trackingUri() + " (" + e + ")", 0, "");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MlflowException(what + ": interrupted", 0, "");
      }
    });
  }

  private MlflowException error(String what, int status, String body) {
    String code = "";
    String message = body;
    try {
      JsonObject o = JsonParser.parseString(body).getAsJsonObject();
      code = o.has("error_code") ? o.get("error_code").getAsString() : "";
      message = o.has("message") ? o.get("message").getAsString() : body;
    } catch (RuntimeException e) {
      // not JSON: keep the raw body
    }
    return new MlflowException(what + " failed: HTTP " + status + (code.isEmpty() ? "" : " " + code) + ": "
        + message, status, code);
  }

  /** Runs a call with the retry policy: transient failures are retried while attempts and the bound last. */
  private <T> T retry(String what, long deadline, Supplier<T> call) {
    long wait = settings.backoffMillis();
    int attempts = Math.max(1, settings.retries());
    MlflowException last = null;
    int attempt = 0;
    while (attempt < attempts) {
      attempt++;
      try {
        return call.get();
      } catch (MlflowException e) {
        last = e;
      }
      if (!last.transientFailure() || attempt == attempts || left(deadline) <= wait) {
        break;
      }
      LOG.warn("{} (attempt {} of {}); retrying in {} ms", last.getMessage(), attempt, attempts, wait);
      try {
        Thread.sleep(wait);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
      wait = Math.min(wait * 2, 4000);
    }
    if (last.transientFailure()) {
      throw new MlflowException(last.getMessage() + " — gave up after " + attempt + (attempt == 1 ? " attempt"
          : " attempts") + "; is the server up? (scripts/mlflow-server.sh status)", last.status(), last.errorCode());
    }
    throw last;
  }

  private static long left(long deadline) {
    return (deadline - System.nanoTime()) / 1_000_000;
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1e3);
  }

  private static JsonObject json(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).trim();
    return s.isEmpty() ? new JsonObject() : JsonParser.parseString(s).getAsJsonObject();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] c, String a) { }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
