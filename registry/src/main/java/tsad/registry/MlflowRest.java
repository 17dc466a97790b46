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
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow REST calls the official Java client lacks (registry writes, aliases, the artifact proxy),
 * plus the retry policy for every call: bounded attempts with exponential backoff on transient failures
 * (no answer, 429, 5xx), none on client errors, then one clear error.
 */
public final class MlflowRest {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowRest.class);
  private final MlflowSettings settings;
  private final HttpClient http;

  /** Creates a REST caller for one server. */
  public MlflowRest(MlflowSettings settings) {
    this.settings = settings;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
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
    HttpRequest r = req.timeout(Duration.ofSeconds(60)).build();
    return retry(what, () -> {
      try {
        HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() / 100 != 2) {
          throw error(what, resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
        }
        return resp.body();
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

  /**
   * Runs a call with the retry policy; calls of the official client are mapped to {@link MlflowException}
   * too, so one policy covers both.
   */
  public <T> T retry(String what, Supplier<T> call) {
    long wait = settings.backoffMillis();
    MlflowException last = null;
    for (int attempt = 1; attempt <= Math.max(1, settings.retries()); attempt++) {
      try {
        return call.get();
      } catch (MlflowHttpException e) {
        last = error(what, e.getStatusCode(), e.getBodyMessage() == null ? "" : e.getBodyMessage());
      } catch (MlflowClientException e) {
        last = new MlflowException(what + ": no answer from " + settings.trackingUri() + " (" + e.getMessage() + ")",
            0, "");
      } catch (MlflowException e) {
        last = e;
      }
      if (!last.transientFailure() || attempt == settings.retries()) {
        break;
      }
      LOG.warn("{} (attempt {} of {}); retrying in {} ms", last.getMessage(), attempt, settings.retries(), wait);
      try {
        Thread.sleep(wait);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
      wait = Math.min(wait * 2, 4000);
    }
    if (last.transientFailure()) {
      throw new MlflowException(last.getMessage() + " — gave up after " + settings.retries() + " attempts; is the "
          + "server up? (scripts/mlflow-server.sh status)", last.status(), last.errorCode());
    }
    throw last;
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
