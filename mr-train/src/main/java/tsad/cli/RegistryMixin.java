package tsad.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import tsad.core.data.DataException;
import tsad.core.io.AtomicFiles;
import tsad.registry.MlflowSettings;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;

/** Options for commands that reach the MLflow server or resolve model URIs. */
public final class RegistryMixin {
  @Option(names = "--tracking-uri", paramLabel = "URI",
      description = "MLflow server (default: $MLFLOW_TRACKING_URI). Auth: MLFLOW_TRACKING_TOKEN, "
          + "MLFLOW_TRACKING_USERNAME/PASSWORD (or user:password@ in the URI), MLFLOW_TRACKING_INSECURE_TLS.")
  String trackingUri;

  @Option(names = "--mlflow-timeout", paramLabel = "SECONDS",
      description = "Longest wait for the MLflow server in one call, retries included (default: $"
          + MlflowSettings.TIMEOUT_VARIABLE + " or 30).")
  String timeout;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Local cache of downloaded models (default: $TSAD_CACHE_DIR or ~/.cache/tsad/models).")
  Path cacheDir;

  /** Server settings from the option or the environment. */
  public MlflowSettings settings() {
    MlflowSettings s = MlflowSettings.fromEnv(trackingUri);
    return timeout == null ? s : s.withTimeout(MlflowSettings.timeout(timeout, "--mlflow-timeout"));
  }

  /** True when a server was named by option or environment. */
  public boolean configured() {
    return trackingUri != null || System.getenv("MLFLOW_TRACKING_URI") != null;
  }

  /** A resolver for paths and models:/ URIs; the registry is contacted only when needed. */
  public ModelResolver resolver() {
    return new ModelResolver(cache(), () -> new ModelRegistry(settings()));
  }

  /**
   * Resolves a model path or URI. A cache that cannot be written (read-only, or under a file) is one line that names
   * it and how to choose another; it is not checked beforehand, since a read-only cache that already holds the
   * version serves it.
   */
  public ModelResolver.Resolved resolve(String reference) {
    try {
      return resolver().resolve(reference);
    } catch (java.io.UncheckedIOException e) {
      // Only the cache is local file system work in a resolve: a bundle path that fails is a BundleException.
      if (e.getCause() instanceof java.nio.file.FileSystemException f) {
        throw new DataException("cannot use the model cache " + cache() + ": " + AtomicFiles.reason(f)
            + " (choose another with --cache-dir or TSAD_CACHE_DIR)");
      }
      throw e;
    }
  }

  private Path cache() {
    return cacheDir != null ? cacheDir : ModelResolver.defaultCacheDir();
  }
}
