package tsad.core.synth;

import java.util.Locale;

/** The kinds of anomaly the generator plants in test slices. */
public enum AnomalyKind {
  /** One to three isolated points jump by 3-5 amplitudes. */
  SPIKE,
  /** From a point in the middle half to the end, the level moves by 1.2-2 amplitudes. */
  LEVEL_SHIFT,
  /** A segment of T/4..T/2 steps oscillates 2.2-3 times faster. */
  FREQUENCY_CHANGE,
  /** A segment of T/4..T/2 steps is stuck at one value (a frozen sensor). */
  FLAT_LINE,
  /** A segment of T/4..T/2 steps has 6-10 times stronger noise. */
  NOISE_BURST;

  /** Returns the name written to labels.csv, in lower_snake_case (e.g. {@code level_shift}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the kind whose {@link #label()} is {@code label}; throws IllegalArgumentException listing the labels. */
  public static AnomalyKind fromLabel(String label) {
    for (AnomalyKind k : values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown anomaly kind '" + label
        + "', expected one of spike, level_shift, frequency_change, flat_line, noise_burst");
  }
}
