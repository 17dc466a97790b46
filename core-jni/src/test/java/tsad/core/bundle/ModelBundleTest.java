package tsad.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.score.ScoreResult;
import tsad.core.score.Scorer;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainPipeline;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.Window;
import tsad.core.window.WindowSpec;
import tsad.proto.Architecture;
import tsad.proto.BundleManifest;
import tsad.proto.BundlePack;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.WindowMode;

class ModelBundleTest {
  @TempDir static Path dir;
  static Path bundleDir;
  static List<Window> data;
  static double[] inMemoryScores;

  @BeforeAll
  static void trainOnce() {
    TorchRuntime.threads(1);
    data = Fixtures.sines(120, 32, 2, 21);
    bundleDir = dir.resolve("model");
    WindowSpec spec = new WindowSpec(WindowMode.SLICE, 32, 32, LengthPolicy.REJECT);
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.CNN).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, List.of("a", "b")), Fixtures.quick(3), bundleDir, false, "");
    DataReport report = new DataReport();
    TrainPipeline.Outcome out = TrainPipeline.run(data, List.of("a", "b"), report, req, TrainListener.NONE);
    // Scores of the in-memory model that was saved: the bundle is loaded back inside write().
    inMemoryScores = out.bundle().newScorer().scores(data, 64);
  }

  @Test
  void writesEveryFileWithItsHashAndAJsonView() throws IOException {
    BundleManifest m = BundleManifest.parseFrom(Files.readAllBytes(bundleDir.resolve("manifest.pb")));
    assertEquals(ModelBundle.FORMAT_VERSION, m.getFormatVersion());
    assertEquals(List.of("model.pt", "scaler.pb", "threshold.pb", "provenance.pb"),
        m.getFilesList().stream().map(f -> f.getName()).toList());
    for (var f : m.getFilesList()) {
      assertEquals(ModelBundle.sha256(Files.readAllBytes(bundleDir.resolve(f.getName()))), f.getSha256());
    }
    String json = Files.readString(bundleDir.resolve("manifest.json"));
    assertTrue(json.contains("\"arch\": \"CNN\"") && json.contains("\"seed\": \"7\""), json);
    assertFalse(Files.exists(bundleDir.resolve(".checkpoint")), "checkpoints are removed after success");
    ModelBundle b = ModelBundle.load(bundleDir);
    assertEquals(3, b.provenance().getEpochsRun());
    assertFalse(b.provenance().getVersionsMap().get("java").isEmpty());
    assertEquals(96, b.provenance().getData().getWindowsTrain());
    assertEquals("p99", b.threshold().getMethod());
    assertEquals(24, b.threshold().getValidationScores().getCount());
    assertEquals(tsad.proto.ThresholdSource.FITTED_ON_HELD_OUT, b.threshold().getFittedOn(),
        "fitted on the 24 held-out windows' scores");
  }

  @Test
  void loadingAndScoringIsBitIdenticalToTheSavedModel() {
    ModelBundle b = ModelBundle.load(bundleDir);
    assertArrayEquals(inMemoryScores, b.newScorer().scores(data, 64), 0.0);
    // libtorch may round differently for another batch shape (e.g. a last batch of 1): float tolerance only.
    double[] other = b.newScorer().scores(data, 7);
    for (int i = 0; i < other.length; i++) {
      assertEquals(inMemoryScores[i], other[i], 1e-6 * Math.max(1, inMemoryScores[i]));
    }
    List<ScoreResult> r = b.newScorer().score(data.subList(0, 3), 1, true);
    assertEquals(inMemoryScores[0], r.get(0).score(), 1e-6, "batch size 1 agrees to float tolerance");
    assertEquals(32, r.get(0).stepErrors().length);
    assertEquals(1.0, r.get(0).featureShare()[0] + r.get(0).featureShare()[1], 1e-9);
    assertEquals(b.threshold().getValue(), r.get(0).threshold(), 0);
  }

  @Test
  void bitIdenticalAgainstTheInMemoryModelDirectly() {
    ModelBundle b = ModelBundle.load(bundleDir);
    try (Autoencoder m = b.newModel()) {
      Scorer direct = new Scorer(m, new Scaler(b.scaler()), b.threshold().getAggregation(), 0);
      Path copy = dir.resolve("resaved");
      ModelBundle again = ModelBundle.write(copy, m, b.dataSpec(), b.scaler(), b.threshold(), b.provenance());
      assertArrayEquals(direct.scores(data, 64), again.newScorer().scores(data, 64), 0.0);
    }
  }

  @Test
  void aPackedBundleLoadsAsTheSameModelAndATamperedPackIsRefused() {
    BundlePack pack = ModelBundle.pack(bundleDir);
    assertEquals(List.of("manifest.json", "manifest.pb", "manifest.sha256", "model.pt", "provenance.pb", "scaler.pb",
        "threshold.pb"), pack.getFilesMap().keySet().stream().sorted().toList(),
        "the manifest, its seal and JSON view, and the files it lists");
    ModelBundle b = ModelBundle.load("pack", pack);
    assertEquals(ModelBundle.load(bundleDir).contentHash(), b.contentHash());
    assertArrayEquals(inMemoryScores, b.newScorer().scores(data, 64), 0.0);
    byte[] w = pack.getFilesOrThrow("model.pt").toByteArray();
    w[w.length / 2] ^= 1;
    BundlePack tampered = pack.toBuilder().putFiles("model.pt", ByteString.copyFrom(w)).build();
    BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load("pack", tampered));
    assertTrue(e.getMessage().contains("model.pt does not match its sha256"), e.getMessage());
    BundlePack partial = pack.toBuilder().removeFiles("scaler.pb").build();
    e = assertThrows(BundleException.class, () -> ModelBundle.load("pack", partial));
    assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("scaler.pb"), e.getMessage());
  }

  @Test
  void refusesTamperedIncompleteOrForeignBundles() throws IOException {
    Path t = copyBundle("tampered");
    byte[] w = Files.readAllBytes(t.resolve("model.pt"));
    w[w.length / 2] ^= 1;
    Files.write(t.resolve("model.pt"), w);
    BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(t));
    assertTrue(e.getMessage().contains("model.pt does not match its sha256"), e.getMessage());

    Path missing = copyBundle("missing");
    Files.delete(missing.resolve("scaler.pb"));
    e = assertThrows(BundleException.class, () -> ModelBundle.load(missing));
    assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("scaler.pb"), e.getMessage());

    Path future = copyBundle("future");
    BundleManifest m = BundleManifest.parseFrom(Files.readAllBytes(future.resolve("manifest.pb")));
    byte[] next = m.toBuilder().setFormatVersion(ModelBundle.FORMAT_VERSION + 1).build().toByteArray();
    Files.write(future.resolve("manifest.pb"), next);
    Files.write(future.resolve(ModelBundle.SEAL), ModelBundle.seal(next,
        Files.readAllBytes(future.resolve("manifest.json"))).toBytes());
    e = assertThrows(BundleException.class, () -> ModelBundle.load(future));
    assertTrue(e.getMessage().contains("format version " + (ModelBundle.FORMAT_VERSION + 1))
        && e.getMessage().contains("upgrade tsad"), e.getMessage());

    Path notBundle = Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(BundleException.class, () -> ModelBundle.load(notBundle));
    assertTrue(e.getMessage().contains("not a tsad model bundle"), e.getMessage());
    e = assertThrows(BundleException.class, () -> ModelBundle.load(dir.resolve("nowhere")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

    Path garbage = copyBundle("garbage");
    Files.writeString(garbage.resolve("manifest.pb"), "not protobuf at all \u0000\u0001\u00ff");
    assertThrowsWith(BundleException.class, "manifest.pb does not match its sha256 in manifest.sha256",
        () -> ModelBundle.load(garbage));
    // Without its seal (an old bundle), a manifest that is not protobuf is refused as such.
    Files.delete(garbage.resolve(ModelBundle.SEAL));
    assertThrowsWith(BundleException.class, "manifest.pb is corrupt", () -> ModelBundle.load(garbage));
  }

  private static Path copyBundle(String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve(name));
    try (var s = Files.list(bundleDir)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }
}
