package tsad.core.bundle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.InputArchive;
import tsad.core.io.AtomicFiles;
import tsad.core.io.Sha256Sums;
import tsad.core.model.Archives;
import tsad.core.model.Autoencoder;
import tsad.core.model.Versions;
import tsad.core.scale.Scaler;
import tsad.core.score.Scorer;
import tsad.proto.BundleFile;
import tsad.proto.BundleManifest;
import tsad.proto.BundlePack;
import tsad.proto.BundleView;
import tsad.proto.DataSpec;
import tsad.proto.ModelSpec;
import tsad.proto.Provenance;
import tsad.proto.ScalerParams;
import tsad.proto.ThresholdParams;

/**
 * A trained model on disk: manifest.pb (format version, model and data spec, sha256 of every file),
 * model.pt (libtorch weights), scaler.pb, threshold.pb, provenance.pb, manifest.json for humans, and
 * manifest.sha256, the seal of the two files the manifest cannot pin (itself and its JSON view). Loading verifies
 * the seal, every hash, the format version and every value ({@link BundleChecks}). The one bundle loader of tsad.
 */
public final class ModelBundle {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelBundle.class);
  /** The bundle format this code writes and reads. */
  public static final int FORMAT_VERSION = 2;
  /** The last format without a seal: still read, its values checked, its manifest unpinned. */
  static final int UNSEALED_FORMAT = 1;
  /** The manifest file name. */
  public static final String MANIFEST = "manifest.pb";
  /** The seal: sha256 of manifest.pb and manifest.json, in {@code sha256sum} format. */
  public static final String SEAL = "manifest.sha256";
  static final String JSON = "manifest.json";
  static final String WEIGHTS = "model.pt";
  static final String SCALER = "scaler.pb";
  static final String THRESHOLD = "threshold.pb";
  static final String PROVENANCE = "provenance.pb";
  static final String[] REQUIRED = {WEIGHTS, SCALER, THRESHOLD, PROVENANCE};

  /** Reads one named file of a bundle, wherever it lives (local disk, HDFS, a cache). */
  @FunctionalInterface
  public interface FileSource {
    /** Returns the bytes of {@code name}; throws NoSuchFileException when absent. */
    byte[] read(String name) throws IOException;
  }

  private final String location;
  private final BundleManifest manifest;
  private final ScalerParams scaler;
  private final ThresholdParams threshold;
  private final Provenance provenance;
  private final byte[] weights;
  private final String contentHash;

  private ModelBundle(String location, BundleManifest manifest, ScalerParams scaler, ThresholdParams threshold,
                      Provenance provenance, byte[] weights, String contentHash) {
    this.location = location;
    this.manifest = manifest;
    this.scaler = scaler;
    this.threshold = threshold;
    this.provenance = provenance;
    this.weights = weights;
    this.contentHash = contentHash;
  }

  /** Writes a bundle into {@code dir} (created if needed) and returns it as loaded back. */
  public static ModelBundle write(Path dir, Autoencoder model, DataSpec data, ScalerParams scaler,
                                  ThresholdParams threshold, Provenance provenance) {
    try {
      Files.createDirectories(dir);
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(WEIGHTS, Archives.toBytes(model::save));
      files.put(SCALER, scaler.toByteArray());
      files.put(THRESHOLD, threshold.toByteArray());
      files.put(PROVENANCE, provenance.toByteArray());
      BundleManifest.Builder m = BundleManifest.newBuilder().setFormatVersion(FORMAT_VERSION)
          .setCreatedAtMs(System.currentTimeMillis()).setModel(model.spec()).setData(data)
          .setTsadVersion(Versions.TSAD);
      Map<Path, byte[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        out.put(dir.resolve(e.getKey()), e.getValue());
        m.addFiles(BundleFile.newBuilder().setName(e.getKey()).setSha256(sha256(e.getValue()))
            .setSize(e.getValue().length));
      }
      BundleManifest manifest = m.build();
      BundleView view = BundleView.newBuilder().setManifest(manifest).setScaler(scaler).setThreshold(threshold)
          .setProvenance(provenance).build();
      byte[] json = (JsonFormat.printer().print(view) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] manifestBytes = manifest.toByteArray();
      out.put(dir.resolve(JSON), json);
      out.put(dir.resolve(MANIFEST), manifestBytes);
      // All files aside before any is renamed, the seal last: a full disk leaves the directory as it was, and a
      // crash between the renames leaves a format-2 directory without its seal or with files it refuses.
      out.put(dir.resolve(SEAL), seal(manifestBytes, json).toBytes());
      AtomicFiles.writeAll(out);
    } catch (IOException e) {
      throw new BundleException("cannot write model bundle " + dir + ": " + AtomicFiles.reason(e));
    }
    return load(dir);
  }

  /** Loads and verifies a bundle directory on local disk. */
  public static ModelBundle load(Path dir) {
    return load(dir.toString(), directory(dir));
  }

  /**
   * The manifest and every file it lists of the bundle directory {@code dir}, in one record for shipping: exactly
   * the files the loader reads, each read once and verified on the way.
   */
  public static BundlePack pack(Path dir) {
    FileSource files = directory(dir);
    BundlePack.Builder p = BundlePack.newBuilder();
    load(dir.toString(), name -> {
      byte[] b = files.read(name);
      p.putFiles(name, ByteString.copyFrom(b));
      return b;
    });
    return p.build();
  }

  private static FileSource directory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BundleException("model bundle " + dir + " does not exist or is not a directory");
    }
    return name -> Files.readAllBytes(dir.resolve(name));
  }

  /** Loads and verifies a bundle shipped as a {@link #pack}; {@code location} names it in messages. */
  public static ModelBundle load(String location, BundlePack pack) {
    return load(location, name -> {
      ByteString b = pack.getFilesMap().get(name);
      if (b == null) {
        throw new NoSuchFileException(name);
      }
      return b.toByteArray();
    });
  }

  /** Loads and verifies a bundle from any file source; {@code location} names it in messages. */
  public static ModelBundle load(String location, FileSource source) {
    byte[] manifestBytes;
    try {
      manifestBytes = source.read(MANIFEST);
    } catch (NoSuchFileException e) {
      throw new BundleException(location + " is not a tsad model bundle: " + MANIFEST + " is missing");
    } catch (IOException e) {
      throw new BundleException("cannot read " + location + "/" + MANIFEST + ": " + e.getMessage());
    }
    byte[] sealBytes = optional(location, source, SEAL);
    if (sealBytes != null) {
      verifySeal(location, source, sealBytes, manifestBytes);
    }
    BundleManifest manifest;
    try {
      manifest = BundleManifest.parseFrom(manifestBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new BundleException(location + "/" + MANIFEST + " is corrupt: " + e.getMessage());
    }
    if (manifest.getFormatVersion() != FORMAT_VERSION && manifest.getFormatVersion() != UNSEALED_FORMAT) {
      throw new BundleException(location + " has bundle format version " + manifest.getFormatVersion()
          + "; this tsad (" + Versions.TSAD + ") reads versions " + UNSEALED_FORMAT + " and " + FORMAT_VERSION
          + (manifest.getFormatVersion() > FORMAT_VERSION ? ": upgrade tsad" : ": retrain or convert the model"));
    }
    if (sealBytes == null) {
      if (manifest.getFormatVersion() != UNSEALED_FORMAT) {
        // Only format 1 predates the seal: removing the seal of a newer bundle does not make it load unchecked.
        throw new BundleException(location + " is incomplete: " + SEAL + " is missing, so " + MANIFEST
            + " cannot be verified; refusing to load it");
      }
      LOG.warn("{} is a format-1 bundle: its files are verified, but its {} has no seal ({}); train it again to "
          + "get one", location, MANIFEST, SEAL);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (BundleFile f : manifest.getFilesList()) {
      if (!java.util.Arrays.asList(REQUIRED).contains(f.getName()) || files.containsKey(f.getName())) {
        throw new BundleException(location + "/" + MANIFEST + " lists a file '" + f.getName() + "' that is not a "
            + "bundle file (or twice); refusing to load it");
      }
      byte[] b;
      try {
        b = source.read(f.getName());
      } catch (IOException e) {
        throw new BundleException(location + " is incomplete: " + f.getName() + " is listed in the manifest but "
            + "cannot be read (" + e.getMessage() + ")");
      }
      String actual = sha256(b);
      if (b.length != f.getSize() || !actual.equals(f.getSha256())) {
        throw new BundleException(location + ": " + f.getName() + " does not match its sha256 in the manifest "
            + "(expected " + f.getSha256() + ", got " + actual + "): the bundle was modified or damaged "
            + "after it was written; refusing to load it");
      }
      files.put(f.getName(), b);
    }
    for (String r : REQUIRED) {
      if (!files.containsKey(r)) {
        throw new BundleException(location + " is incomplete: its manifest does not list " + r);
      }
    }
    ScalerParams scaler;
    ThresholdParams threshold;
    Provenance provenance;
    try {
      scaler = ScalerParams.parseFrom(files.get(SCALER));
      threshold = ThresholdParams.parseFrom(files.get(THRESHOLD));
      provenance = Provenance.parseFrom(files.get(PROVENANCE));
    } catch (InvalidProtocolBufferException e) {
      throw new BundleException(location + ": a bundle file is not valid protobuf: " + e.getMessage());
    }
    BundleChecks.values(location, manifest, scaler, threshold);
    return new ModelBundle(location, manifest, scaler, threshold, provenance, files.get(WEIGHTS),
        sha256(manifestBytes));
  }

  /** The seal of a manifest and its JSON view, as {@link #write} stores it. */
  static Sha256Sums seal(byte[] manifest, byte[] json) {
    Map<String, byte[]> sealed = new LinkedHashMap<>();
    sealed.put(MANIFEST, manifest);
    sealed.put(JSON, json);
    return Sha256Sums.of(sealed);
  }

  /** Requires the seal to list exactly manifest.pb and manifest.json, and both files to match it. */
  private static void verifySeal(String location, FileSource source, byte[] sealBytes, byte[] manifestBytes) {
    Sha256Sums seal;
    try {
      seal = Sha256Sums.parse(sealBytes);
    } catch (IllegalArgumentException e) {
      throw new BundleException(location + "/" + SEAL + " is corrupt: " + e.getMessage() + "; refusing to load it");
    }
    if (!seal.sums().keySet().equals(java.util.Set.of(MANIFEST, JSON))) {
      throw new BundleException(location + "/" + SEAL + " seals " + seal.sums().keySet() + ", not " + MANIFEST
          + " and " + JSON + "; refusing to load it");
    }
    byte[] json = optional(location, source, JSON);
    if (json == null) {
      throw new BundleException(location + " is incomplete: " + JSON + " is sealed in " + SEAL + " but missing");
    }
    for (Map.Entry<String, byte[]> f : List.of(Map.entry(MANIFEST, manifestBytes), Map.entry(JSON, json))) {
      String why = seal.mismatch(f.getKey(), f.getValue());
      if (why != null) {
        throw new BundleException(location + ": " + f.getKey() + " does not match its sha256 in " + SEAL + " ("
            + why + "): the bundle was modified or damaged after it was written; refusing to load it");
      }
    }
  }

  /** The bytes of {@code name}, or null when the source has no such file. */
  private static byte[] optional(String location, FileSource source, String name) {
    try {
      return source.read(name);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BundleException("cannot read " + location + "/" + name + ": " + e.getMessage());
    }
  }

  /**
   * Builds the network from the spec and loads the stored weights into it, once they are known to be exactly the
   * tensors the spec needs; the caller owns (closes) it.
   */
  public Autoencoder newModel() {
    Autoencoder model;
    try {
      model = Autoencoder.create(manifest.getModel());
    } catch (RuntimeException e) {
      throw new BundleException(location + ": cannot build the " + manifest.getModel().getArch() + " model of its "
          + "spec: " + e.getMessage());
    }
    try (BytePointer bytes = new BytePointer(weights); InputArchive a = new InputArchive()) {
      a.load_from(bytes, weights.length);
      BundleChecks.weights(location, model, a);
      model.load(a);
    } catch (BundleException e) {
      model.close();
      throw e;
    } catch (RuntimeException e) {
      model.close();
      throw new BundleException(location + ": cannot load the weights into a " + manifest.getModel().getArch()
          + " model: " + e.getMessage());
    }
    model.eval();
    return model;
  }

  /**
   * A scorer with a freshly loaded model, this bundle's scaler, aggregation and threshold; the caller closes it,
   * which frees the model.
   */
  public Scorer newScorer() {
    return Scorer.owning(newModel(), new Scaler(scaler), threshold.getAggregation(), threshold.getValue());
  }

  /** Where the bundle was loaded from. */
  public String location() {
    return location;
  }

  /** The verified manifest. */
  public BundleManifest manifest() {
    return manifest;
  }

  /** The model spec. */
  public ModelSpec modelSpec() {
    return manifest.getModel();
  }

  /** How raw rows became windows in training. */
  public DataSpec dataSpec() {
    return manifest.getData();
  }

  /** Scaler parameters. */
  public ScalerParams scaler() {
    return scaler;
  }

  /** Threshold and score distributions. */
  public ThresholdParams threshold() {
    return threshold;
  }

  /** Training provenance. */
  public Provenance provenance() {
    return provenance;
  }

  /** sha256 of the manifest, which pins every file: a content id for caches and registries. */
  public String contentHash() {
    return contentHash;
  }

  /** Hex sha256 of bytes. */
  public static String sha256(byte[] b) {
    return Sha256Sums.hex(b);
  }

  /** The human-readable JSON view of the bundle (as written to manifest.json). */
  public String toJson() {
    try {
      return JsonFormat.printer().print(BundleView.newBuilder().setManifest(manifest).setScaler(scaler)
          .setThreshold(threshold).setProvenance(provenance).build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ModelBundle[" + location + ", " + manifest.getModel().getArch() + ", sha256 "
        + contentHash.substring(0, 12) + "]";
  }
}
