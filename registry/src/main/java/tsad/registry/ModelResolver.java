package tsad.registry;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.bundle.BundleException;
import tsad.core.bundle.ModelBundle;
import tsad.core.score.ScoringSession;
import tsad.core.io.FileTrees;
import tsad.core.io.Sha256Sums;

/**
 * Turns any model reference into a verified local bundle: a directory path as is, a models:/ URI by
 * asking the registry which version it means and downloading that version once into a cache directory named by
 * the content hash the version was registered with (its {@value #CONTENT_HASH} tag). Every use re-verifies all
 * sha256s and that the cached bundle's content hash is its directory's name; a cached copy that fails is thrown
 * away and fetched again, and a download that is not the registered content is refused.
 */
public final class ModelResolver {
  /** The version tag holding the bundle's content hash, recorded at registration. */
  public static final String CONTENT_HASH = "tsad.content_hash";
  private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);
  private final Path cacheDir;
  private final Supplier<ModelRegistry> registry;

  /**
   * A model with where it came from.
   *
   * @param bundle the verified bundle
   * @param dir its local directory
   * @param uri the reference as given
   * @param name registered name, or "" for a path
   * @param version resolved version, or "" for a path
   * @param fromCache true when no download was needed
   */
  public record Resolved(ModelBundle bundle, Path dir, String uri, String name, String version, boolean fromCache) {
    /** What a log line calls the model: the path as given, or "models:/NAME/VERSION (cached|downloaded)". */
    public String describe() {
      return version.isEmpty() ? uri : ModelUri.of(name, version) + (fromCache ? " (cached)" : " (downloaded)");
    }

    /** The model's identity in output lines: the registered name and version, or the bundle's content hash. */
    public ScoringSession.Identity identity() {
      return ScoringSession.Identity.of(name, version, bundle);
    }
  }

  /** A resolver caching under {@code cacheDir}; the registry is only contacted for models:/ URIs. */
  public ModelResolver(Path cacheDir, Supplier<ModelRegistry> registry) {
    this.cacheDir = cacheDir;
    this.registry = registry;
  }

  /** The default cache: $TSAD_CACHE_DIR, else ~/.cache/tsad/models. */
  public static Path defaultCacheDir() {
    String env = System.getenv("TSAD_CACHE_DIR");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "tsad", "models");
  }

  /** Resolves, downloads if needed, verifies and returns the bundle. */
  public Resolved resolve(String reference) {
    ModelUri uri = ModelUri.parse(reference);
    if (!uri.isRegistry()) {
      Path dir = Path.of(reference.startsWith("file:") ? java.net.URI.create(reference).getPath() : reference);
      return new Resolved(ModelBundle.load(dir), dir, reference, "", "", true);
    }
    ModelRegistry reg = registry.get();
    ModelVersionInfo v = reg.resolve(uri);
    String registered = registeredHash(v);
    try {
      if (registered != null) {
        Path dir = cacheDir.resolve(registered);
        if (Files.isDirectory(dir)) {
          ModelBundle cached = cached(v, dir, registered);
          if (cached != null) {
            return new Resolved(cached, dir, reference, v.name(), v.version(), true);
          }
          deleteTree(dir);
        }
      } else {
        // Nothing to check a cached copy against: every use downloads the version and verifies the bundle itself.
        LOG.warn("{} has no {} tag (it was not registered by tsad): its content cannot be checked against the "
            + "registry, so it is downloaded on every use", ModelUri.of(v.name(), v.version()), CONTENT_HASH);
      }
      Path dir = download(reg, v, registered);
      return new Resolved(ModelBundle.load(dir), dir, reference, v.name(), v.version(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The content hash a version was registered with, or null when it has none; a malformed one is refused. */
  private static String registeredHash(ModelVersionInfo v) {
    String h = v.tags().get(CONTENT_HASH);
    if (h == null) {
      return null;
    }
    if (!Sha256Sums.isSha256(h)) {
      throw new BundleException(ModelUri.of(v.name(), v.version()) + ": its " + CONTENT_HASH + " tag is '" + h
          + "', not a sha256; refusing to load it");
    }
    return h;
  }

  /** The verified bundle cached in {@code dir} when it is the registered content, else null (with the reason). */
  private static ModelBundle cached(ModelVersionInfo v, Path dir, String registered) {
    try {
      ModelBundle b = ModelBundle.load(dir);
      if (b.contentHash().equals(registered)) {
        return b;
      }
      LOG.warn("the cached copy of {} version {} in {} holds content {}, not its name: fetching it again", v.name(),
          v.version(), dir, b.contentHash());
    } catch (BundleException e) {
      LOG.warn("cached copy of {} version {} failed verification ({}); fetching it again", v.name(), v.version(),
          e.getMessage());
    }
    return null;
  }

  private Path download(ModelRegistry reg, ModelVersionInfo v, String registered) throws IOException {
    String src = reg.downloadUri(v.name(), v.version());
    if (!src.startsWith("mlflow-artifacts:")) {
      throw new MlflowException(ModelUri.of(v.name(), v.version()) + " is stored at " + src + ", which this server"
          + " does not proxy; tsad downloads through the MLflow artifact proxy only", 0, "");
    }
    String root = src.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
    Files.createDirectories(cacheDir);
    Path tmp = Files.createTempDirectory(cacheDir, ".download-");
    try {
      fetch(reg.rest(), root, "", tmp);
      ModelBundle b;
      try {
        b = ModelBundle.load(tmp);
      } catch (BundleException e) {
        throw new BundleException(ModelUri.of(v.name(), v.version()) + " as downloaded from " + src
            + " failed verification: " + e.getMessage());
      }
      if (registered != null && !b.contentHash().equals(registered)) {
        throw new BundleException(ModelUri.of(v.name(), v.version()) + " as downloaded from " + src + " is not the "
            + "registered model: its content hash is " + b.contentHash() + ", the version was registered with "
            + registered + " (tag " + CONTENT_HASH + "); refusing to load it");
      }
      // Named by its content hash (the registered one, checked above), so the name is checked on every reuse.
      Path dir = cacheDir.resolve(b.contentHash());
      if (Files.isDirectory(dir) && cached(v, dir, b.contentHash()) == null) {
        deleteTree(dir);
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
      } catch (java.nio.file.FileSystemException e) {
        if (!Files.isDirectory(dir)) {
          throw e;
        }
        deleteTree(tmp);       // the same content is there already: kept above, or put there by another process
      }
      LOG.info("downloaded {} version {} to {}", v.name(), v.version(), dir);
      return dir;
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void fetch(MlflowRest rest, String root, String rel, Path into) throws IOException {
    for (JsonObject f : rest.listArtifacts(rel.isEmpty() ? root : root + "/" + rel)) {
      String name = f.get("path").getAsString();
      name = name.substring(name.lastIndexOf('/') + 1);
      String child = rel.isEmpty() ? name : rel + "/" + name;
      if (f.has("is_dir") && f.get("is_dir").getAsBoolean()) {
        fetch(rest, root, child, into);
      } else {
        Path out = into.resolve(child);
        Files.createDirectories(out.getParent());
        Files.write(out, rest.getArtifact(root + "/" + child));
      }
    }
  }

  /** Downloads a reference into {@code target} (a copy of the verified cached bundle). */
  public Resolved downloadTo(String reference, Path target) {
    Resolved r = resolve(reference);
    try {
      Files.createDirectories(target);
      try (Stream<Path> s = Files.list(r.dir())) {
        for (Path p : s.toList()) {
          Files.copy(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Resolved(ModelBundle.load(target), target, reference, r.name(), r.version(), r.fromCache());
  }

  static void deleteTree(Path p) {
    if (!FileTrees.deleteTree(p)) {
      LOG.warn("could not delete all of {}", p);
    }
  }

}
