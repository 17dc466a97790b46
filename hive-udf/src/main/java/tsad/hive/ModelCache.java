package tsad.hive;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tsad.core.bundle.ModelBundle;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoringSession;
import tsad.registry.MlflowSettings;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;

/**
 * Models loaded once per JVM and shared by every task and thread in it. A versioned URI or a bundle
 * path is resolved once for the life of the JVM; an alias, stage or "latest" is resolved again after the
 * TTL, and the model is reloaded only if the registry now points to other content. If the registry cannot
 * be reached at that moment, the model already loaded keeps serving (with a warning) until the next TTL.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final ConcurrentHashMap<Key, Slot> MODELS = new ConcurrentHashMap<>();
  private static volatile boolean torchConfigured;

  private record Key(String uri, String trackingUri, String cacheDir) {}

  private static final class Slot {
    volatile LoadedModel model;
  }

  private ModelCache() {}

  /**
   * One use of a cached model: holds a reference so that the model is not freed while the use lasts, even if the
   * cache replaces it meanwhile. Close it when the call is done.
   */
  public static final class Lease implements AutoCloseable {
    private final LoadedModel model;
    private boolean closed;

    private Lease(LoadedModel model) {
      this.model = model;
    }

    /** The model held. */
    public LoadedModel model() {
      return model;
    }

    /** Gives the reference back. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        model.release();
      }
    }
  }

  /**
   * The model for {@code uri}, loading or re-resolving it when needed, held for one use; {@code conf} is used for
   * Hadoop paths.
   */
  public static Lease acquire(String uri, UdfOptions options, Configuration conf) {
    Slot slot = slot(uri, options);
    while (true) {
      LoadedModel m = current(slot, uri, options, conf);
      if (m.acquire()) {
        return new Lease(m);
      }
      // Replaced and freed between the look-up and the acquire: the slot holds its successor.
    }
  }

  /** The model for {@code uri} as {@link #acquire} finds it, not held: to look at (name, version), not to score. */
  public static LoadedModel get(String uri, UdfOptions options, Configuration conf) {
    try (Lease l = acquire(uri, options, conf)) {
      return l.model();
    }
  }

  private static Slot slot(String uri, UdfOptions options) {
    return MODELS.computeIfAbsent(new Key(uri, options.trackingUri(), options.cacheDir().toString()), k -> new Slot());
  }

  private static LoadedModel current(Slot slot, String uri, UdfOptions options, Configuration conf) {
    long now = System.nanoTime();
    LoadedModel m = slot.model;
    if (m != null && fresh(m, options, now)) {
      return m;
    }
    // One loader per model at a time; other threads wait for it instead of loading libtorch weights twice.
    synchronized (slot) {
      m = slot.model;
      if (m != null && fresh(m, options, now)) {
        return m;
      }
      LoadedModel next = m == null ? load(uri, options, conf) : refresh(m, uri, options, conf, now);
      if (next != m) {
        slot.model = next;
        if (m != null) {
          m.release();   // the cache's reference; calls still scoring with it keep it alive until they finish
        }
      }
      return next;
    }
  }

  /** Forgets every cached model (tests and benchmarks), freeing each once the calls using it are done. */
  public static void clear() {
    for (Slot s : MODELS.values()) {
      synchronized (s) {
        if (s.model != null) {
          s.model.release();
          s.model = null;
        }
      }
    }
    MODELS.clear();
  }

  /**
   * Loads {@code uri} again and puts it in place of the cached model, as an alias move does (benchmarks of the
   * model lifecycle; the registry is not asked); returns the new model, not held.
   */
  static LoadedModel reload(String uri, UdfOptions options, Configuration conf) {
    Slot slot = slot(uri, options);
    synchronized (slot) {
      LoadedModel old = slot.model;
      slot.model = load(uri, options, conf);
      if (old != null) {
        old.release();
      }
      return slot.model;
    }
  }

  private static boolean fresh(LoadedModel m, UdfOptions o, long now) {
    return !m.movable() || now - m.resolvedAtNanos() < TimeUnit.SECONDS.toNanos(o.ttlSeconds());
  }

  private static LoadedModel refresh(LoadedModel old, String uri, UdfOptions o, Configuration conf, long now) {
    ModelResolver.Resolved r;
    try {
      r = resolver(o).resolve(uri);
    } catch (RuntimeException e) {
      LOG.warn("could not resolve {} again ({}); still scoring with version {}", uri, e.getMessage(), old.version());
      old.refreshed(now);
      return old;
    }
    if (r.bundle().contentHash().equals(old.bundle().contentHash())) {
      old.refreshed(now);
      return old;
    }
    LOG.info("{} now points to {} version {}; loading it", uri, r.name(), r.version());
    return loaded(r.bundle(), r.name(), r.version(), true, o);
  }

  private static LoadedModel load(String uri, UdfOptions o, Configuration conf) {
    ModelUri parsed = ModelUri.parse(uri);
    if (parsed.isRegistry()) {
      ModelResolver.Resolved r = resolver(o).resolve(uri);
      return loaded(r.bundle(), r.name(), r.version(), parsed.isMovable(), o);
    }
    ModelBundle b = isHadoopPath(uri) ? loadFromHadoop(uri, conf) : new ModelResolver(o.cacheDir(), null)
        .resolve(uri).bundle();
    return loaded(b, "", "", false, o);
  }

  private static LoadedModel loaded(ModelBundle b, String name, String version, boolean movable, UdfOptions o) {
    configureTorch(o.threads());
    LoadedModel m = new LoadedModel(new ScoringSession(b, ScoringSession.Identity.of(name, version, b)), movable,
        System.nanoTime());
    LOG.info("tsad model {} version {} loaded ({})", m.name(), m.version(), b);
    return m;
  }

  private static synchronized void configureTorch(int threads) {
    if (!torchConfigured) {
      // Hive runs one task per JVM (or several task threads): one intra-op thread each avoids oversubscription.
      TorchRuntime.threads(threads);
      torchConfigured = true;
    }
  }

  private static ModelResolver resolver(UdfOptions o) {
    return new ModelResolver(o.cacheDir(), () -> new ModelRegistry(MlflowSettings.fromEnv(o.trackingUri())));
  }

  /** True for a Hadoop file system URI (hdfs://, s3a://, viewfs://, ...), as opposed to a local path. */
  static boolean isHadoopPath(String uri) {
    int colon = uri.indexOf("://");
    return colon > 0 && !uri.substring(0, colon).toLowerCase(Locale.ROOT).equals("file");
  }

  /** Reads a bundle straight from a Hadoop file system through the one verifying bundle loader. */
  private static ModelBundle loadFromHadoop(String uri, Configuration conf) {
    Path dir = new Path(URI.create(uri));
    FileSystem fs;
    try {
      fs = dir.getFileSystem(conf == null ? new Configuration() : conf);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the file system of " + uri + ": " + e.getMessage(), e);
    }
    return ModelBundle.load(uri, name -> {
      try (InputStream in = fs.open(new Path(dir, name))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      } catch (FileNotFoundException e) {
        throw new NoSuchFileException(uri + "/" + name);
      }
    });
  }
}
