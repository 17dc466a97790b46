package tsad.core.data;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which slices a training run keeps when it trains on a fraction of them ({@code tsad train --sample-slices}):
 * a slice is kept when a hash of its id and the seed falls below the fraction. The choice depends on nothing
 * else (not the input's format, file order or partitioning), so the CSV and the prepared data of the same rows
 * give the same sample, and a rerun with the same seed the same slices; a slice's windows stay together.
 */
public final class SliceSample {
  /** Keeps every slice. */
  public static final SliceSample ALL = new SliceSample(1.0, 0);
  private final double fraction;
  private final long seed;

  private SliceSample(double fraction, long seed) {
    this.fraction = fraction;
    this.seed = seed;
  }

  /** A sample of {@code fraction} (0 < f <= 1) of the slices, chosen with {@code seed}; a clear error otherwise. */
  public static SliceSample of(double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new DataException(String.format(Locale.ROOT, "--sample-slices must be in (0, 1], got %s", fraction));
    }
    return fraction == 1.0 ? ALL : new SliceSample(fraction, seed);
  }

  /** Whether every slice is kept. */
  public boolean all() {
    return fraction >= 1.0;
  }

  /** Whether the slice with this id is in the sample. */
  public boolean keep(String sliceId) {
    if (all()) {
      return true;
    }
    // FNV-1a over the id's UTF-8 bytes, then the seed mixed in by SplitMix64's finaliser: uniform in [0, 1) and
    // the same on every JVM (String.hashCode would do too, but its 32 bits cluster for ids like "dev-000123").
    long h = 0xcbf29ce484222325L;
    for (byte b : sliceId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = h ^ (seed * 0x9e3779b97f4a7c15L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53 < fraction;
  }
}
