package tsad.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tsad.core.model.TorchRuntime;
import tsad.core.score.ScoreResult;
import tsad.core.window.Inputs;
import tsad.proto.Aggregation;
import tsad.proto.Architecture;
import tsad.proto.BundleFile;
import tsad.proto.BundleManifest;
import tsad.proto.LengthPolicy;
import tsad.proto.TimeFormat;
import tsad.proto.WindowMode;

/**
 * Bundles written by an earlier tsad (committed under src/test/resources/golden/v1/, made by
 * {@link GoldenBundleWriter}; this test never rewrites them) still load, verify and score as they did then. It holds
 * the bundle format to its promise that fields are only ever added: an old manifest, scaler, threshold or weights
 * file that reads differently today fails here.
 */
class GoldenBundleTest {
  @BeforeAll
  static void threads() {
    TorchRuntime.threads(1);
  }

  static List<String> sets() {
    return GoldenSet.NAMES;
  }

  private static Path set(String name) throws URISyntaxException {
    Path root = Path.of(GoldenBundleTest.class.getResource("/golden").toURI());
    return GoldenSet.dir(root, name);
  }

  @ParameterizedTest
  @MethodSource("sets")
  void theCommittedManifestIsFormatVersionOne(String name) throws Exception {
    // Read with the generated protobuf class alone, not the loader: the bytes on disk say version 1.
    BundleManifest m = BundleManifest.parseFrom(Files.readAllBytes(set(name).resolve("bundle/manifest.pb")));
    assertEquals(1, m.getFormatVersion(), name);
    assertEquals(List.of("model.pt", "scaler.pb", "threshold.pb", "provenance.pb"),
        m.getFilesList().stream().map(BundleFile::getName).toList(), name);
  }

  @ParameterizedTest
  @MethodSource("sets")
  void anOldBundleLoadsVerifiedWithItsFieldsAsWritten(String name) throws Exception {
    // load() checks the format version and every file's size and sha256 against the manifest.
    ModelBundle b = ModelBundle.load(set(name).resolve("bundle"));
    assertEquals(1, b.manifest().getFormatVersion());
    // Written from target/classes, where tsad's version (its jar manifest's) is "dev".
    assertEquals("dev", b.manifest().getTsadVersion());
    assertEquals("slice_id", b.dataSpec().getSliceColumn());
    assertEquals("time", b.dataSpec().getTimeColumn());
    assertEquals(TimeFormat.AUTO, b.dataSpec().getTimeFormat());
    assertEquals("p99", b.threshold().getMethod());
    assertEquals(Aggregation.MEAN, b.threshold().getAggregation());
    assertTrue(b.threshold().getValidationScores().getCount() > 0, name);
    assertEquals(b.modelSpec().getFeatures(), b.scaler().getCenterCount());
    if (name.equals("dense-window")) {
      assertEquals(Architecture.DENSE, b.modelSpec().getArch());
      assertEquals(16, b.modelSpec().getWindowLength());
      assertEquals(2, b.modelSpec().getFeatures());
      assertEquals(WindowMode.WINDOW, b.dataSpec().getMode());
      assertEquals(16, b.dataSpec().getWindowLength());
      assertEquals(4, b.dataSpec().getStride());
      assertEquals(List.of("value_1", "value_2"), b.dataSpec().getFeatureColumnsList());
      assertEquals(5, b.provenance().getEpochsRun());
      assertEquals(7, b.provenance().getConfig().getSeed());
    } else {
      assertEquals(Architecture.CNN, b.modelSpec().getArch());
      assertEquals(32, b.modelSpec().getWindowLength());
      assertEquals(1, b.modelSpec().getFeatures());
      assertEquals(WindowMode.SLICE, b.dataSpec().getMode());
      assertEquals(LengthPolicy.REJECT, b.dataSpec().getLengthPolicy());
      assertEquals(List.of("value"), b.dataSpec().getFeatureColumnsList());
      assertEquals(4, b.provenance().getEpochsRun());
      assertEquals(11, b.provenance().getConfig().getSeed());
    }
  }

  @ParameterizedTest
  @MethodSource("sets")
  void anOldBundleScoresTheCommittedInputAsItDidWhenItWasWritten(String name) throws Exception {
    Path dir = set(name);
    ModelBundle b = ModelBundle.load(dir.resolve("bundle"));
    GoldenSet.Expected expected = GoldenSet.readExpected(dir.resolve("expected-scores.tsv"));
    assertEquals(expected.threshold(), b.threshold().getValue(), 0, "the stored threshold, bit for bit");
    Inputs.Loaded data = GoldenSet.read(b, dir.resolve("input.csv"));
    assertEquals(expected.ids().size(), data.windows().size(), "windows cut from input.csv");
    // Scores of the same batch size on the CPU are the same bits in every run (Scorer's contract; ModelBundleTest
    // checks it within a run). Across CPUs they need not be: libtorch and OpenBLAS pick vector kernels by CPU
    // (AVX2, AVX-512), and a wider vector sums in another order. On a CPU of the kind the set was written on, every
    // bit must agree; on another kind, scores agree to float tolerance (1e-6 relative), which still catches weights,
    // scaler or aggregation read wrongly (they change scores by orders of magnitude more).
    String cpu = torch.get_cpu_capability().getString();
    boolean sameKind = cpu.equals(expected.cpuCapability());
    for (int k = 0; k < expected.batchSizes().length; k++) {
      int batch = expected.batchSizes()[k];
      List<ScoreResult> got = GoldenSet.score(b, data, batch);
      for (int i = 0; i < got.size(); i++) {
        ScoreResult r = got.get(i);
        double want = expected.scores().get(i)[k];
        String what = name + " window " + i + " (" + r.id() + "), batch " + batch + ", cpu " + cpu + " (written on "
            + expected.cpuCapability() + ")";
        assertEquals(expected.ids().get(i), r.id(), what);
        if (sameKind) {
          assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(r.score()),
              what + ": expected " + want + ", got " + r.score());
        } else {
          assertEquals(want, r.score(), 1e-6 * Math.abs(want), what);
        }
        assertEquals(expected.anomalies().get(i), r.isAnomaly(), what);
        assertEquals(expected.threshold(), r.threshold(), 0, what);
      }
    }
    assertTrue(expected.anomalies().contains(true) && expected.anomalies().contains(false),
        name + ": the input has both normal and anomalous windows, so the threshold is exercised");
  }

  @ParameterizedTest
  @MethodSource("sets")
  void theGoldenFilesStaySmall(String name) throws IOException, URISyntaxException {
    long size;
    try (var files = Files.walk(set(name))) {
      size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(size < 100_000, name + ": " + size + " bytes");
  }
}
