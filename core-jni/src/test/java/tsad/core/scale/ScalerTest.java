package tsad.core.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tsad.core.window.Window;
import tsad.proto.ScalerParams;

class ScalerTest {
  /** Two windows of 2 features: feature 0 takes 1..8, feature 1 is constant 5. */
  private static List<Window> data() {
    float[] a = {1, 5, 2, 5, 3, 5, 4, 5};
    float[] b = {5, 5, 6, 5, 7, 5, 8, 5};
    return List.of(new Window("a", "a", 0, 0, 4, 2, 4, 0, a), new Window("b", "b", 0, 0, 4, 2, 4, 0, b));
  }

  @Test
  void standardUsesMeanAndSampleStd() {
    Scaler s = Scaler.fit(ScalerParams.Kind.STANDARD, data(), List.of("x", "c"));
    assertEquals(4.5, s.params().getCenter(0), 1e-12);
    assertEquals(Math.sqrt(42.0 / 7), s.params().getScale(0), 1e-12);
    assertEquals(1.0, s.params().getScale(1), 0, "a constant feature gets scale 1, not a division by zero");
    assertEquals(8, s.params().getFittedValues());
  }

  @Test
  void aFeatureWithoutSpreadIsRecordedAndWarnedAboutByName() {
    for (ScalerParams.Kind kind : List.of(ScalerParams.Kind.STANDARD, ScalerParams.Kind.MINMAX,
        ScalerParams.Kind.ROBUST)) {
      Scaler s = Scaler.fit(kind, data(), List.of("x", "c"));
      assertEquals(List.of("c"), s.params().getConstantFeaturesList(), kind + ": only the constant feature");
      String kindName = kind.name().toLowerCase(java.util.Locale.ROOT);
      assertEquals(List.of("feature c has no spread in the training data (" + kindName + " scale 0, center 5.0): it "
          + "is scaled by 1, so when scoring any change in it counts in its raw units (leave it out of the features "
          + "if it carries no information)"), s.constantFeatureWarnings());
      assertEquals(s.params().getConstantFeaturesList(), new Scaler(s.params()).params().getConstantFeaturesList(),
          "kept with the scaler's parameters (the bundle's scaler.pb)");
    }
    Scaler none = Scaler.fit(ScalerParams.Kind.NONE, data(), List.of("x", "c"));
    assertEquals(List.of(), none.constantFeatureWarnings(), "no scaling: nothing scaled by 1 instead");
    Window varies = new Window("v", "v", 0, 0, 2, 2, 2, 0, new float[] {1, 2, 3, 4});
    assertEquals(List.of(), Scaler.fit(ScalerParams.Kind.STANDARD, List.of(varies), List.of("x", "c"))
        .constantFeatureWarnings(), "every feature varies: no warning");
  }

  @Test
  void minMaxAndRobust() {
    Scaler mm = Scaler.fit(ScalerParams.Kind.MINMAX, data(), List.of("x", "c"));
    assertEquals(1, mm.params().getCenter(0), 0);
    assertEquals(7, mm.params().getScale(0), 0);
    Scaler rb = Scaler.fit(ScalerParams.Kind.ROBUST, data(), List.of("x", "c"));
    assertEquals(4.5, rb.params().getCenter(0), 1e-12);
    assertEquals(6.25 - 2.75, rb.params().getScale(0), 1e-12, "IQR with linear interpolation");
  }

  @Test
  void onlyValidStepsOfPaddedWindowsCount() {
    float[] padded = {1, 0, 100, 0, 100, 0, 100, 0};
    Scaler s = Scaler.fit(ScalerParams.Kind.MINMAX,
        List.of(new Window("p", "p", 0, 0, 4, 2, 1, 0, padded)), List.of("x", "c"));
    assertEquals(1, s.params().getCenter(0), 0);
  }

  @Test
  void transformAndInverseRoundTrip() {
    Scaler s = Scaler.fit(ScalerParams.Kind.STANDARD, data(), List.of("x", "c"));
    float[] raw = data().get(0).values();
    float[] out = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = (raw[i] - s.center()[i % 2]) * s.inverseScale()[i % 2];
    }
    assertEquals((1 - 4.5) / Math.sqrt(6), out[0], 1e-6);
    assertEquals(0, out[1], 0);
    assertArrayEquals(raw, s.inverse(out), 1e-5f);
  }
}
