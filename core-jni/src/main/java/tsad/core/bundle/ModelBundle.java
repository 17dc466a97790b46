package tsad.core.bundle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.InputArchive;
import tsad.core.io.AtomicFiles;
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
 * model.pt (libtorch weights), scaler.pb, threshold.pb, provenance.pb, and manifest.json for humans.
 * Loading verifies every hash and the format version. The one bundle loader of tsad.
 */
public final class ModelBundle {
  /** The bundle format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** The manifest file name. */
  public static final String MANIFEST = "manifest.pb";
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
      out.put(dir.resolve("manifest.json"), (JsonFormat.printer().print(view) + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      // All files aside before any is renamed, the manifest last: a full disk leaves the directory as it was, and
      // a crash between the renames leaves files the manifest's digests refuse.
      out.put(dir.resolve(MANIFEST), manifest.toByteArray());
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
    BundleManifest manifest;
    try {
      manifest = BundleManifest.parseFrom(manifestBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new BundleException(location + "/" + MANIFEST + " is corrupt: " + e.getMessage());
    }
    if (manifest.getFormatVersion() != FORMAT_VERSION) {
      throw new BundleException(location + " has bundle format version " + manifest.getFormatVersion()
          + "; this tsad (" + Versions.TSAD + ") reads version " + FORMAT_VERSION
          + (manifest.getFormatVersion() > FORMAT_VERSION ? ": upgrade tsad" : ": retrain or convert the model"));
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (BundleFile f : manifest.getFilesList()) {
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
    try {
      return new ModelBundle(location, manifest, ScalerParams.parseFrom(files.get(SCALER)),
          ThresholdParams.parseFrom(files.get(THRESHOLD)), Provenance.parseFrom(files.get(PROVENANCE)),
          files.get(WEIGHTS), sha256(manifestBytes));
    } catch (InvalidProtocolBufferException e) {
      throw new BundleException(location + ": a bundle file is not valid protobuf: " + e.getMessage());
    }
  }

  /** Builds the network from the spec and loads the stored weights into it; the caller owns (closes) it. */
  public Autoencoder newModel() {
    Autoencoder model = Autoencoder.create(manifest.getModel());
    try (BytePointer bytes = new BytePointer(weights); InputArchive a = new InputArchive()) {
      a.load_from(bytes, weights.length);
      model.load(a);
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
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
