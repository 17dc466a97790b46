package tsad.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import tsad.core.data.DataException;

/**
 * Where the MLflow server is and how to authenticate: the tracking URI plus the standard variables
 * MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME / _PASSWORD and MLFLOW_TRACKING_INSECURE_TLS, and how long one
 * call may wait for the server (TSAD_MLFLOW_TIMEOUT). Credentials written into the URI
 * ({@code http://user:secret@host}) are taken out of it and sent as basic auth, so {@link #trackingUri()}, every
 * message that names the server and {@link #toString()} never show a secret.
 *
 * @param trackingUri http(s) base URI of the server, without credentials
 * @param username basic-auth user, or null
 * @param password basic-auth password, or null
 * @param token bearer token, or null
 * @param insecureTls skip TLS certificate checks
 * @param retries attempts for a request that fails transiently (no answer, 429, 5xx)
 * @param backoffMillis first wait between attempts; doubles each time
 * @param timeoutMillis the longest one call waits for the server, all its attempts together
 */
public record MlflowSettings(String trackingUri, String username, String password, String token,
                             boolean insecureTls, int retries, long backoffMillis, long timeoutMillis) {
  /** The default bound of one call: a server that accepts and never answers fails within this. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  /** The variable that sets the bound of one call, in seconds. */
  public static final String TIMEOUT_VARIABLE = "TSAD_MLFLOW_TIMEOUT";
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/?#]*@");

  /** Checks the URI so a typo fails before any request, and moves credentials written into it to basic auth. */
  public MlflowSettings {
    if (trackingUri == null || trackingUri.isBlank()) {
      throw new DataException("no MLflow tracking URI: pass --tracking-uri or set MLFLOW_TRACKING_URI "
          + "(scripts/mlflow-server.sh start prints one)");
    }
    trackingUri = trackingUri.endsWith("/") ? trackingUri.substring(0, trackingUri.length() - 1) : trackingUri;
    URI uri;
    try {
      uri = new URI(trackingUri);
    } catch (URISyntaxException e) {
      throw new DataException("MLflow tracking URI " + redact(trackingUri) + " is not a valid URI");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new DataException("MLflow tracking URI must be http:// or https://, got " + redact(trackingUri));
    }
    if (uri.getRawUserInfo() != null) {
      // As MLflow's Python client (through requests) does: credentials in the URI are basic auth, unless the
      // environment names some.
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      if (username == null && token == null) {
        username = decode(colon < 0 ? info : info.substring(0, colon));
        password = colon < 0 ? "" : decode(info.substring(colon + 1));
      }
      trackingUri = USER_INFO.matcher(trackingUri).replaceFirst("");
    }
    if (timeoutMillis <= 0) {
      throw new DataException("the MLflow timeout must be > 0 seconds, got " + timeoutMillis / 1000.0);
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
        env.get("MLFLOW_TRACKING_TOKEN"), "true".equalsIgnoreCase(env.get("MLFLOW_TRACKING_INSECURE_TLS")), 5, 250,
        timeout(env.get(TIMEOUT_VARIABLE), TIMEOUT_VARIABLE));
  }

  /** Parses a timeout in seconds (an option or {@link #TIMEOUT_VARIABLE}); null or blank gives the default. */
  public static long timeout(String seconds, String where) {
    if (seconds == null || seconds.isBlank()) {
      return DEFAULT_TIMEOUT_MILLIS;
    }
    try {
      double s = Double.parseDouble(seconds.strip());
      if (s > 0 && s <= 86_400) {
        return Math.max(1, Math.round(s * 1000));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataException(where + " must be a number of seconds > 0 (at most 86400), got '" + seconds + "'");
  }

  /** The same settings with another retry policy. */
  public MlflowSettings withRetries(int attempts, long firstBackoffMillis) {
    return new MlflowSettings(trackingUri, username, password, token, insecureTls, attempts, firstBackoffMillis,
        timeoutMillis);
  }

  /** The same settings with another bound on one call. */
  public MlflowSettings withTimeout(long millis) {
    return new MlflowSettings(trackingUri, username, password, token, insecureTls, retries, backoffMillis, millis);
  }

  /** {@code text} with the credentials of every URI in it replaced by {@code ***}, for messages and logs. */
  public static String redact(String text) {
    return text == null ? null : USER_INFO.matcher(text).replaceAll("***@");
  }

  /** The value of the Authorization header, or null. */
  String authorization() {
    if (token != null && !token.isEmpty()) {
      return "Bearer " + token;
    }
    if (username != null && password != null) {
      return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  private static String decode(String s) {
    // Percent-decoding only: a '+' in userinfo is a plus, not a space.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    String auth = token != null ? "token ***" : username != null ? "user " + username + " password ***" : "no auth";
    return "MLflow " + trackingUri + " (" + auth + (insecureTls ? ", insecure TLS" : "") + ")";
  }
}
