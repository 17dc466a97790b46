package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.bundle.BundleException;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.CsvOptions;
import tsad.core.data.DataReport;
import tsad.core.io.FileTrees;
import tsad.core.model.TorchRuntime;
import tsad.core.synth.SynthConfig;
import tsad.core.synth.SynthGenerator;
import tsad.core.train.TrainListener;
import tsad.core.train.TrainRequest;
import tsad.core.window.Inputs;
import tsad.core.window.WindowSpec;
import tsad.proto.Architecture;
import tsad.proto.BundleManifest;
import tsad.proto.LengthPolicy;
import tsad.proto.ModelSpec;
import tsad.proto.WindowMode;
import tsad.registry.tracking.TrackedTraining;

/**
 * What the resolver serves for a registered version is the content it was registered with: the cache directory's
 * name (that content hash) is checked on every reuse, and every download is checked against the registry's record.
 */
@Tag("mlflow")
@ExtendWith(MlflowServer.class)
class CacheIntegrityTest {
  @TempDir static Path dir;
  static TrackedTraining.Result first;
  static TrackedTraining.Result second;

  @BeforeAll
  static void registerTwoVersions() throws IOException {
    TorchRuntime.threads(1);
    new SynthGenerator(new SynthConfig(100, 32, 1, 0.1, 4)).writeCsv(dir.resolve("d"));
    WindowSpec spec = new WindowSpec(WindowMode.SLICE, 32, 32, LengthPolicy.REJECT);
    DataReport report = new DataReport();
    Inputs.Loaded data = Inputs.read(List.of(dir.resolve("d/train.csv")), CsvOptions.defaults(), spec, report);
    first = train(data, report, spec, 3);
    second = train(data, report, spec, 4);
  }

  private static TrackedTraining.Result train(Inputs.Loaded d, DataReport report, WindowSpec spec, long seed) {
    TrainRequest req = new TrainRequest(ModelSpec.newBuilder().setArch(Architecture.DENSE).build(),
        Inputs.dataSpec(CsvOptions.defaults(), spec, d.featureNames()), RegistryTest.config(1).toBuilder()
        .setSeed(seed).build(), dir.resolve("out-" + seed), false, "", null, false);
    TrackedTraining.Options o = new TrackedTraining.Options(MlflowServer.get().settings(), "integrity", "pinned",
        null, null, false, 0, "synthetic");
    return TrackedTraining.run(d.windows(), d.featureNames(), report, req, TrainListener.NONE, o,
        TrackedTraining.Hooks.NONE);
  }

  private static ModelResolver resolver(Path cache) {
    return new ModelResolver(cache, () -> new ModelRegistry(MlflowServer.get().settings()));
  }

  @Test
  void registrationRecordsTheContentHashAndTheCacheDirectoryIsNamedByIt() {
    String hash = first.outcome().bundle().contentHash();
    assertEquals(hash, first.version().tags().get(ModelResolver.CONTENT_HASH));
    Path cache = dir.resolve("named");
    ModelResolver.Resolved r = resolver(cache).resolve("models:/pinned/1");
    assertEquals(cache.resolve(hash), r.dir());
    assertTrue(resolver(cache).resolve("models:/pinned/1").fromCache());
  }

  @Test
  void anEditedCachedManifestIsNotServedFromTheCache() throws IOException {
    Path cache = dir.resolve("edited");
    Path cached = resolver(cache).resolve("models:/pinned/1").dir();
    Path m = cached.resolve(ModelBundle.MANIFEST);
    BundleManifest edited = BundleManifest.parseFrom(Files.readAllBytes(m));
    Files.write(m, edited.toBuilder().setData(edited.getData().toBuilder().setStride(3)).build().toByteArray());
    ModelResolver.Resolved again = resolver(cache).resolve("models:/pinned/1");
    assertFalse(again.fromCache(), "fetched again, not '(cached)'");
    assertEquals(32, again.bundle().dataSpec().getStride());
    assertEquals(first.outcome().bundle().contentHash(), again.bundle().contentHash());
  }

  @Test
  void anotherModelInTheCacheDirectoryOfAVersionIsNotServedUnderItsName() throws IOException {
    Path cache = dir.resolve("swapped");
    ModelResolver.Resolved one = resolver(cache).resolve("models:/pinned/1");
    ModelResolver.Resolved two = resolver(cache).resolve("models:/pinned/2");
    assertNotEquals(one.bundle().contentHash(), two.bundle().contentHash());
    // Version 2's whole (valid, verified) bundle put where version 1's belongs.
    FileTrees.deleteTree(one.dir());
    Files.createDirectories(one.dir());
    try (var s = Files.list(two.dir())) {
      for (Path p : s.toList()) {
        Files.copy(p, one.dir().resolve(p.getFileName()));
      }
    }
    ModelResolver.Resolved again = resolver(cache).resolve("models:/pinned/1");
    assertFalse(again.fromCache());
    assertEquals(one.bundle().contentHash(), again.bundle().contentHash(), "version 1's own model");
    assertEquals(one.bundle().contentHash(), ModelBundle.load(one.dir()).contentHash(), "the cache is repaired");
  }

  @Test
  void aDownloadThatIsNotTheRegisteredContentIsRefused() {
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      // The registry says version 1 is version 2's content (a moved source, or a tag rewritten): no model serves.
      String two = second.outcome().bundle().contentHash();
      String three = registerCopyOf(reg, first, Map.of(ModelResolver.CONTENT_HASH, two));
      BundleException e = assertThrows(BundleException.class,
          () -> resolver(dir.resolve("mismatch")).resolve("models:/pinned/" + three));
      assertTrue(e.getMessage().contains("is not the registered model") && e.getMessage().contains(two),
          e.getMessage());
      String four = registerCopyOf(reg, first, Map.of(ModelResolver.CONTENT_HASH, "../../elsewhere"));
      e = assertThrows(BundleException.class, () -> resolver(dir.resolve("bad-tag")).resolve("models:/pinned/" + four));
      assertTrue(e.getMessage().contains("tag is '../../elsewhere', not a sha256"), e.getMessage());
    }
  }

  @Test
  void aVersionRegisteredWithoutAContentHashIsDownloadedAndVerifiedOnEveryUse() {
    try (ModelRegistry reg = new ModelRegistry(MlflowServer.get().settings())) {
      String v = registerCopyOf(reg, first, Map.of());
      Path cache = dir.resolve("unpinned");
      ModelResolver.Resolved a = resolver(cache).resolve("models:/pinned/" + v);
      ModelResolver.Resolved b = resolver(cache).resolve("models:/pinned/" + v);
      assertFalse(a.fromCache() || b.fromCache(), "nothing to check a cached copy against");
      assertEquals(first.outcome().bundle().contentHash(), b.bundle().contentHash());
      assertEquals(cache.resolve(b.bundle().contentHash()), b.dir());
    }
  }

  /** Registers another version from {@code of}'s artifacts with only {@code tags}; returns its number. */
  private static String registerCopyOf(ModelRegistry reg, TrackedTraining.Result of, Map<String, String> tags) {
    ModelVersionInfo src = reg.version("pinned", of.version().version());
    return reg.register("pinned", src.source(), src.runId(), tags, 60_000).version();
  }
}
