package tsad.registry;

import java.net.URI;
import java.util.Map;
import tsad.core.data.DataException;

/**
 * Where the MLflow server is and how to authenticate: the tracking URI plus the standard variables
 * MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME / _PASSWORD and MLFLOW_TRACKING_INSECURE_TLS.
 * {@link #toString()} never shows a secret.
 *
 * @param trackingUri http(s) base URI of the server
 * @param username basic-auth user, or null
 * @param password basic-auth password, or null
 * @param token bearer token, or null
 * @param insecureTls skip TLS certificate checks
 * @param retries attempts for a request that fails transiently (no answer, 429, 5xx)
 * @param backoffMillis first wait between attempts; doubles each time
 */
public record MlflowSettings(String trackingUri, String username, String password, String token,
                             boolean insecureTls, int retries, long backoffMillis) {
  /** Checks the URI so a typo fails before any request. */
  public MlflowSettings {
    if (trackingUri == null || trackingUri.isBlank()) {
      throw new DataException("no MLflow tracking URI: pass --tracking-uri or set MLFLOW_TRACKING_URI "
          + "(scripts/mlflow-server.sh start prints one)");
    }
    trackingUri = trackingUri.endsWith("/") ? trackingUri.substring(0, trackingUri.length() - 1) : trackingUri;
    String scheme = URI.create(trackingUri).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new DataException("MLflow tracking URI must be http:// or https://, got " + trackingUri);
    }
  }

  /** Settings from the environment, with {@code uriOverride} (e.g. --tracking-uri) taking precedence. */
  public static MlflowSettings fromEnv(String uriOverride) {
    return fromEnv(uriOverride, System.getenv());
  }

  /** Settings from a given environment map (testable). */
  public static MlflowSettings fromEnv(String uriOverride, Map<String, String> env) {
    String uri = uriOverride != null ? uriOverride : env.get("MLFLOW_TRACKING_URI");
    return new MlflowSettings(uri, env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD"),
        env.get("MLFLOW_TRACKING_TOKEN"), "true".equalsIgnoreCase(env.get("MLFLOW_TRACKING_INSECURE_TLS")), 5, 250);
  }

  /** The same settings with another retry policy. */
  public MlflowSettings withRetries(int attempts, long firstBackoffMillis) {
    return new MlflowSettings(trackingUri, username, password, token, insecureTls, attempts, firstBackoffMillis);
  }

  /** The value of the Authorization header, or null. */
  String authorization() {
    if (token != null && !token.isEmpty()) {
      return "Bearer " + token;
    }
    if (username != null && password != null) {
      return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return null;
  }

  @Override
  public String toString() {
    String auth = token != null ? "token ***" : username != null ? "user " + username + " password ***" : "no auth";
    return "MLflow " + trackingUri + " (" + auth + (insecureTls ? ", insecure TLS" : "") + ")";
  }
}
