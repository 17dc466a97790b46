package tsad.core.synth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SynthConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(new SynthConfig(2000, 64, 1, 0.1, 42), SynthConfig.defaults());
  }

  @Test
  void badValuesAreRejectedWithTheOptionAndValueInTheMessage() {
    assertEquals("--slices must be at least 1, got 0", message(() -> new SynthConfig(0, 64, 1, 0.1, 1)));
    assertEquals("--length must be at least 8, got 7", message(() -> new SynthConfig(1, 7, 1, 0.1, 1)));
    assertEquals("--features must be at least 1, got 0", message(() -> new SynthConfig(1, 64, 0, 0.1, 1)));
    assertEquals("--anomaly-rate must be in [0, 1], got 1.5", message(() -> new SynthConfig(1, 64, 1, 1.5, 1)));
    assertEquals("--anomaly-rate must be in [0, 1], got -0.1", message(() -> new SynthConfig(1, 64, 1, -0.1, 1)));
    assertEquals("--anomaly-rate must be in [0, 1], got NaN",
        message(() -> new SynthConfig(1, 64, 1, Double.NaN, 1)));
  }

  @Test
  void boundaryValuesAreAccepted() {
    assertDoesNotThrow(() -> new SynthConfig(1, 8, 1, 0, Long.MIN_VALUE));
    assertDoesNotThrow(() -> new SynthConfig(1, 8, 1, 1, -1));
  }

  @Test
  void labelsAreLowerSnakeCaseAndRoundTrip() {
    assertEquals("spike", AnomalyKind.SPIKE.label());
    assertEquals("level_shift", AnomalyKind.LEVEL_SHIFT.label());
    assertEquals("frequency_change", AnomalyKind.FREQUENCY_CHANGE.label());
    assertEquals("flat_line", AnomalyKind.FLAT_LINE.label());
    assertEquals("noise_burst", AnomalyKind.NOISE_BURST.label());
    for (AnomalyKind k : AnomalyKind.values()) {
      assertEquals(k, AnomalyKind.fromLabel(k.label()));
    }
    assertEquals("unknown anomaly kind 'SPIKE', expected one of spike, level_shift, frequency_change, flat_line,"
        + " noise_burst", message(() -> AnomalyKind.fromLabel("SPIKE")));
  }

  @Test
  void sliceChecksThatTimesAndValuesAgree() {
    assertEquals("s: 2 times but 1 value rows",
        message(() -> new SynthSlice("s", new long[2], new double[1][1], null)));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
