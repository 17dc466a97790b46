package tsad.core.synth;

import java.util.Locale;

/** The kinds of anomaly the generator plants in test slices. */
public enum AnomalyKind {
  /** One to three points jump by 3-5 amplitudes. */
  SPIKE,
  /** From a point in the middle half to the end, the level moves by 1.2-2 amplitudes. */
  LEVEL_SHIFT,
  /** A segment oscillates 2.2-3 times faster. */
  FREQUENCY_CHANGE,
  /** A segment is stuck at one value (a frozen sensor). */
  FLAT_LINE,
  /** A segment's noise is 6-10 times stronger. */
  NOISE_BURST;

  /** The label written to labels.csv (lower_snake_case). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
