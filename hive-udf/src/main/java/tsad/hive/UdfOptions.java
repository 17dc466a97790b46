package tsad.hive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import tsad.proto.LengthPolicy;
import tsad.registry.ModelResolver;

/**
 * The options of score_anomaly / anomaly_detail: the constant options map of the call, falling back to
 * Hive/Hadoop configuration keys ({@code tsad.*}, settable with {@code SET}), then to the environment.
 *
 * @param strict fail the query on a bad row instead of returning NULL with a counted warning
 * @param lengthPolicy overrides the model's length policy, or null to keep it
 * @param ttlSeconds how long an alias/stage/latest resolution is trusted before asking the registry again
 * @param trackingUri MLflow tracking URI for models:/ URIs, or null for MLFLOW_TRACKING_URI
 * @param cacheDir local bundle cache for registry models
 * @param threads libtorch intra-op threads per JVM
 */
public record UdfOptions(boolean strict, LengthPolicy lengthPolicy, long ttlSeconds, String trackingUri,
                         Path cacheDir, int threads) {
  /** Option names of the map argument, and the configuration key each falls back to. */
  static final Map<String, String> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("strict", "tsad.strict");
    KEYS.put("length_policy", "tsad.length.policy");
    KEYS.put("ttl_seconds", "tsad.model.ttl.seconds");
    KEYS.put("tracking_uri", "tsad.mlflow.tracking.uri");
    KEYS.put("cache_dir", "tsad.cache.dir");
    KEYS.put("threads", "tsad.torch.threads");
  }

  /** Default seconds before an alias or stage is resolved again. */
  public static final long DEFAULT_TTL_SECONDS = 300;

  /**
   * Parses the options; an unknown key or a bad value is an {@link IllegalArgumentException} that names
   * the accepted keys or values (the callers turn it into a compile-time UDFArgumentException).
   */
  public static UdfOptions parse(Map<String, String> given, Configuration conf) {
    for (String k : given.keySet()) {
      if (!KEYS.containsKey(k)) {
        throw new IllegalArgumentException("unknown option '" + k + "'; known options: " + new TreeSet<>(KEYS.keySet()));
      }
    }
    Map<String, String> v = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : KEYS.entrySet()) {
      String value = given.get(e.getKey());
      if (value == null && conf != null) {
        value = conf.get(e.getValue());
      }
      if (value != null && !value.isBlank()) {
        v.put(e.getKey(), value.trim());
      }
    }
    boolean strict = bool(v.getOrDefault("strict", "false"));
    LengthPolicy policy = v.containsKey("length_policy") ? policy(v.get("length_policy")) : null;
    long ttl = number(v, "ttl_seconds", DEFAULT_TTL_SECONDS, 0);
    int threads = (int) number(v, "threads", 1, 1);
    Path cache = v.containsKey("cache_dir") ? Path.of(v.get("cache_dir")) : ModelResolver.defaultCacheDir();
    return new UdfOptions(strict, policy, ttl, v.get("tracking_uri"), cache, threads);
  }

  private static boolean bool(String s) {
    if (!Set.of("true", "false").contains(s.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("option strict must be true or false, got '" + s + "'");
    }
    return Boolean.parseBoolean(s);
  }

  private static LengthPolicy policy(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "reject":
        return LengthPolicy.REJECT;
      case "truncate":
        return LengthPolicy.TRUNCATE;
      case "pad":
        return LengthPolicy.PAD;
      default:
        throw new IllegalArgumentException("option length_policy must be reject, truncate or pad, got '" + s + "'");
    }
  }

  private static long number(Map<String, String> v, String key, long dflt, long min) {
    if (!v.containsKey(key)) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.get(key));
      if (n < min) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + " must be an integer >= " + min + ", got '" + v.get(key) + "'");
    }
  }
}
