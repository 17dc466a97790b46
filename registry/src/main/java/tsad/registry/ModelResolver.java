package tsad.registry;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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

/**
 * Turns any model reference into a verified local bundle: a directory path as is, a models:/ URI by
 * asking the registry which version it means and downloading that version once into a cache keyed by
 * the bundle's content hash. Every use re-verifies all sha256s; a damaged cached copy is thrown away
 * and fetched again, and a damaged download is refused.
 */
public final class ModelResolver {
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
    Path index = cacheDir.resolve("index").resolve(safe(v.name())).resolve(v.version());
    try {
      if (Files.isRegularFile(index)) {
        Path dir = cacheDir.resolve(Files.readString(index, StandardCharsets.UTF_8).trim());
        try {
          return new Resolved(ModelBundle.load(dir), dir, reference, v.name(), v.version(), true);
        } catch (BundleException e) {
          LOG.warn("cached copy of {} version {} failed verification ({}); fetching it again", v.name(),
              v.version(), e.getMessage());
          deleteTree(dir);
        }
      }
      Path dir = download(reg, v);
      Files.createDirectories(index.getParent());
      Files.writeString(index, dir.getFileName().toString(), StandardCharsets.UTF_8);
      return new Resolved(ModelBundle.load(dir), dir, reference, v.name(), v.version(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path download(ModelRegistry reg, ModelVersionInfo v) throws IOException {
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
      Path dir = cacheDir.resolve(b.contentHash());
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        deleteTree(tmp);       // another process put the same content there first
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir);
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

  private static String safe(String name) {
    return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  static void deleteTree(Path p) {
    if (!FileTrees.deleteTree(p)) {
      LOG.warn("could not delete all of {}", p);
    }
  }

}
