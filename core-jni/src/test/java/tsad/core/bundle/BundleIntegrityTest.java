package tsad.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.io.Sha256Sums;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.Architecture;
import tsad.proto.BundleFile;
import tsad.proto.BundleManifest;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.ThresholdParams;
import tsad.proto.WindowMode;

/**
 * Any change to any bundle file is refused, manifest.pb and manifest.json included (the seal), and a bundle whose
 * values no training writes is refused even when its hashes agree (re-sealed by hand, or an unsealed format 1).
 */
class BundleIntegrityTest {
  @TempDir static Path dir;
  static Path cnn;
  static Path dense;
  static List<Window> data;

  @BeforeAll
  static void train() {
    TorchRuntime.threads(1);
    data = Fixtures.sines(60, 32, 2, 3);
    cnn = train("cnn", Architecture.CNN, new WindowSpec(WindowMode.SLICE, 32, 32, LengthPolicy.REJECT));
    dense = train("dense", Architecture.DENSE, new WindowSpec(WindowMode.WINDOW, 32, 8, LengthPolicy.REJECT));
  }

  private static Path train(String name, Architecture arch, WindowSpec spec) {
    Path out = dir.resolve(name);
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(arch).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, List.of("a", "b")), Fixtures.quick(1), out, false, "");
    TrainPipeline.run(data, List.of("a", "b"), new DataReport(), req, TrainListener.NONE);
    return out;
  }

  @Test
  void theSealPinsTheManifestAndItsJsonViewAndSha256sumReadsIt() throws IOException {
    Sha256Sums seal = Sha256Sums.parse(Files.readAllBytes(cnn.resolve(ModelBundle.SEAL)));
    assertEquals(List.of("manifest.pb", "manifest.json"), List.copyOf(seal.sums().keySet()));
    assertEquals(Sha256Sums.hex(Files.readAllBytes(cnn.resolve("manifest.pb"))), seal.sums().get("manifest.pb"));
    String line = Files.readString(cnn.resolve(ModelBundle.SEAL)).lines().findFirst().orElseThrow();
    assertTrue(line.matches("[0-9a-f]{64}  manifest\\.pb"), "sha256sum's format: " + line);
    assertEquals(2, ModelBundle.load(cnn).manifest().getFormatVersion());
  }

  @Test
  void aReEncodedManifestIsRefused() throws IOException {
    // Another stride, length policy or window mode, written as valid protobuf: loads with exit 0 without the seal.
    for (UnaryOperator<BundleManifest.Builder> edit : List.<UnaryOperator<BundleManifest.Builder>>of(
        m -> { m.getDataBuilder().setStride(3); return m; },
        m -> { m.getDataBuilder().setLengthPolicy(LengthPolicy.PAD); return m; },
        m -> { m.getDataBuilder().setMode(WindowMode.SLICE); return m; })) {
      Path t = copy(dense, "re-encoded");
      editManifest(t, edit);
      assertThrowsWith(BundleException.class, "manifest.pb does not match its sha256 in manifest.sha256",
          () -> ModelBundle.load(t));
    }
  }

  @Test
  void aFlippedBitAnywhereInTheManifestOrItsJsonIsRefused() throws IOException {
    for (String name : List.of("manifest.pb", "manifest.json", "manifest.sha256")) {
      Path t = copy(cnn, "flipped");
      flip(t.resolve(name));
      BundleException e = assertThrowsWith(BundleException.class, "refusing to load it", () -> ModelBundle.load(t));
      assertTrue(e.getMessage().contains(name.equals("manifest.sha256") ? "manifest" : name), e.getMessage());
    }
  }

  @Test
  void aMissingOrForeignSealIsRefused() throws IOException {
    Path t = copy(cnn, "no-seal");
    Files.delete(t.resolve(ModelBundle.SEAL));
    assertThrowsWith(BundleException.class, "manifest.sha256 is missing", () -> ModelBundle.load(t));
    Path j = copy(cnn, "no-json");
    Files.delete(j.resolve("manifest.json"));
    assertThrowsWith(BundleException.class, "manifest.json is sealed in manifest.sha256 but missing",
        () -> ModelBundle.load(j));
    Path g = copy(cnn, "garbage-seal");
    Files.writeString(g.resolve(ModelBundle.SEAL), "not a seal\n");
    assertThrowsWith(BundleException.class, "manifest.sha256 is corrupt: line 1", () -> ModelBundle.load(g));
    Path o = copy(cnn, "other-seal");
    Files.write(o.resolve(ModelBundle.SEAL), Files.readAllBytes(dense.resolve(ModelBundle.SEAL)));
    assertThrowsWith(BundleException.class, "manifest.pb does not match its sha256 in manifest.sha256",
        () -> ModelBundle.load(o));
  }

  @Test
  void unknownEnumValuesAreRefusedEvenWhenResealed() throws IOException {
    assertRefused(cnn, m -> { m.getDataBuilder().setModeValue(7); return m; }, "unknown window mode (enum value 7)");
    assertRefused(cnn, m -> { m.getDataBuilder().setLengthPolicyValue(9); return m; },
        "unknown length policy (enum value 9)");
    assertRefused(cnn, m -> { m.getDataBuilder().setTimeFormatValue(12); return m; },
        "unknown time format (enum value 12)");
    assertRefused(cnn, m -> { m.getModelBuilder().setArchValue(5); return m; },
        "unknown model architecture (enum value 5)");
  }

  @Test
  void outOfRangeOrDisagreeingSpecsAreRefusedEvenWhenResealed() throws IOException {
    assertRefused(dense, m -> { m.getDataBuilder().setStride(0); return m; }, "stride 0 is outside 1..");
    assertRefused(dense, m -> { m.getDataBuilder().setStride(-4); return m; }, "stride -4 is outside");
    assertRefused(dense, m -> { m.getModelBuilder().setWindowLength(1 << 30); return m; },
        "window length 1073741824 is outside 2..");
    assertRefused(dense, m -> { m.getDataBuilder().setWindowLength(16); return m; },
        "its data spec cuts windows of 16 steps but its model takes T=32");
    assertRefused(dense, m -> { m.getDataBuilder().addFeatureColumns("c"); return m; },
        "names features [a, b, c] but its model takes F=2");
    assertRefused(cnn, m -> sameT(m, 30),
        "needs a window length divisible by 4");
    assertRefused(cnn, m -> { m.getModelBuilder().setDropout(1.5f); return m; }, "dropout must be in [0, 1)");
    assertRefused(cnn, m -> { m.getModelBuilder().setKernelSize(0); return m; }, "leaves sizes unset");
  }

  @Test
  void weightsThatDoNotFitTheSpecAreRefusedBeforeLibtorchReshapesThem() throws IOException {
    // Each edit is a valid spec; only the weights tell that it is not the one they were trained with.
    assertWeightsRefused(dense, m -> sameT(m, 16), "fc0.weight is [32, 64], the spec needs [32, 32]");
    assertWeightsRefused(cnn, m -> { m.getModelBuilder().setKernelSize(5); return m; }, "the spec needs [16, 2, 5]");
    assertWeightsRefused(cnn, m -> { m.getModelBuilder().setHidden(1, 8); return m; }, "the spec needs [8, 16, 7]");
    assertWeightsRefused(cnn, m -> { m.getModelBuilder().setBatchNorm(true); return m; }, "missing");
    assertWeightsRefused(dense, m -> { m.getModelBuilder().clearHidden().addHidden(32); return m; }, "is not in the model");
  }

  @Test
  void aThresholdOrScalerNoTrainingWritesIsRefused() throws IOException {
    Path t = copy(cnn, "nan-threshold");
    ThresholdParams th = ThresholdParams.parseFrom(Files.readAllBytes(t.resolve("threshold.pb")));
    replaceFile(t, "threshold.pb", th.toBuilder().setValue(Double.NaN).build().toByteArray());
    assertThrowsWith(BundleException.class, "threshold.pb: the threshold is NaN", () -> ModelBundle.load(t));
    Path s = copy(cnn, "short-scaler");
    var sc = tsad.proto.ScalerParams.parseFrom(Files.readAllBytes(s.resolve("scaler.pb")));
    replaceFile(s, "scaler.pb", sc.toBuilder().clearCenter().addCenter(sc.getCenter(0)).clearScale().addScale(sc.getScale(0)).build().toByteArray());
    assertThrowsWith(BundleException.class, "the scaler is for 1 features, the model takes 2",
        () -> ModelBundle.load(s));
  }

  @Test
  void aFormatOneBundleWithoutSealLoadsButItsValuesAreStillChecked() throws IOException {
    Path old = copy(cnn, "format-1");
    editManifest(old, m -> m.setFormatVersion(1));
    Files.delete(old.resolve(ModelBundle.SEAL));
    ModelBundle b = ModelBundle.load(old);
    assertArrayEquals(ModelBundle.load(cnn).newScorer().scores(data, 16), b.newScorer().scores(data, 16), 0.0);
    editManifest(old, m -> { m.getDataBuilder().setModeValue(7); return m; });
    assertThrowsWith(BundleException.class, "unknown window mode", () -> ModelBundle.load(old));
  }

  private static BundleManifest.Builder sameT(BundleManifest.Builder m, int t) {
    m.getModelBuilder().setWindowLength(t);
    m.getDataBuilder().setWindowLength(t);
    return m;
  }

  private static void assertRefused(Path bundle, UnaryOperator<BundleManifest.Builder> edit, String why)
      throws IOException {
    Path t = copy(bundle, "resealed");
    editManifest(t, edit);
    reseal(t);
    assertThrowsWith(BundleException.class, why, () -> ModelBundle.load(t));
  }

  private static void assertWeightsRefused(Path bundle, UnaryOperator<BundleManifest.Builder> edit, String why)
      throws IOException {
    Path t = copy(bundle, "refit");
    editManifest(t, edit);
    reseal(t);
    ModelBundle b = ModelBundle.load(t);
    BundleException e = assertThrowsWith(BundleException.class, why, b::newModel);
    assertTrue(e.getMessage().contains("do not fit the model spec"), e.getMessage());
  }

  /** Rewrites one listed file with its new hash in the manifest, then re-seals: only the values checks remain. */
  private static void replaceFile(Path bundle, String name, byte[] bytes) throws IOException {
    Files.write(bundle.resolve(name), bytes);
    editManifest(bundle, m -> {
      for (int i = 0; i < m.getFilesCount(); i++) {
        if (m.getFiles(i).getName().equals(name)) {
          m.setFiles(i, BundleFile.newBuilder().setName(name).setSha256(Sha256Sums.hex(bytes)).setSize(bytes.length));
        }
      }
      return m;
    });
    reseal(bundle);
  }

  private static void editManifest(Path bundle, UnaryOperator<BundleManifest.Builder> edit) throws IOException {
    Path m = bundle.resolve(ModelBundle.MANIFEST);
    Files.write(m, edit.apply(BundleManifest.parseFrom(Files.readAllBytes(m)).toBuilder()).build().toByteArray());
  }

  private static void reseal(Path bundle) throws IOException {
    Files.write(bundle.resolve(ModelBundle.SEAL), ModelBundle.seal(Files.readAllBytes(bundle.resolve("manifest.pb")),
        Files.readAllBytes(bundle.resolve("manifest.json"))).toBytes());
  }

  private static void flip(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
  }

  private static Path copy(Path bundle, String name) throws IOException {
    Path to = Files.createTempDirectory(dir, name);
    try (var s = Files.list(bundle)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }
}
