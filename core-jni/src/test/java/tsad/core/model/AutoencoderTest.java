package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.Architecture;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;

class AutoencoderTest {
  @BeforeAll
  static void threads() {
    TorchRuntime.threads(1);
  }

  @ParameterizedTest
  @EnumSource(value = Architecture.class, names = {"DENSE", "CNN", "LSTM"})
  void reconstructsTheInputShape(Architecture arch) {
    List<Window> w = Fixtures.sines(5, 32, 3, 1);
    Scaler none = Scaler.fit(ScalerParams.Kind.NONE, w, List.of("a", "b", "c"));
    ModelSpec spec = ModelSpec.newBuilder().setArch(arch).setWindowLength(32).setFeatures(3).setBatchNorm(true)
        .setDropout(0.1f).build();
    try (Autoencoder m = Autoencoder.create(spec); PointerScope scope = new PointerScope()) {
      m.eval();
      Tensor x = Tensors.windows(w, 0, 5, none);
      Tensor y = m.forward(x);
      assertEquals(List.of(5L, 32L, 3L), List.of(y.size(0), y.size(1), y.size(2)));
      assertTrue(m.parameters().size() > 0);
      float[] in = Tensors.toArray(x);
      assertArrayEquals(w.get(0).values(), java.util.Arrays.copyOf(in, 96), "tensor holds the windows in order");
    }
  }

  @Test
  void defaultsMatchTheReferenceDesign() {
    ModelSpec d = ModelSpecs.withDefaults(ModelSpec.newBuilder().setArch(Architecture.DENSE).setWindowLength(64)
        .setFeatures(1).build());
    assertEquals(List.of(32, 32), d.getHiddenList());
    ModelSpec c = ModelSpecs.withDefaults(ModelSpec.newBuilder().setArch(Architecture.CNN).setWindowLength(64)
        .setFeatures(1).build());
    assertEquals(7, c.getKernelSize());
  }

  @Test
  void impossibleSpecsAreRefusedWithAReason() {
    DataException e = assertThrows(DataException.class, () -> ModelSpecs.withDefaults(ModelSpec.newBuilder()
        .setArch(Architecture.CNN).setWindowLength(30).setFeatures(1).build()));
    assertTrue(e.getMessage().contains("divisible by 4"), e.getMessage());
    assertThrowsWith(DataException.class, "unknown architecture 'transformer'",
        () -> ModelSpecs.parseArch("transformer"));
  }

  @Test
  void cudaWithoutAGpuFailsClearlyAndAutoFallsBack() {
    DataException e = assertThrows(DataException.class, () -> TorchRuntime.device("cuda"));
    assertTrue(e.getMessage().contains("no CUDA device"), e.getMessage());
    assertEquals("cpu", TorchRuntime.name(TorchRuntime.device("auto")));
  }
}
