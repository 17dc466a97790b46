package tsad.core.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tsad.core.data.Series;

/** The window length auto chooses: one whole cycle when the series repeat with a period longer than the default. */
class WindowLengthTest {
  /** {@code n} steps of {@code features} features; feature j is a sine of period {@code period} (0: noise only). */
  static Series series(String id, int n, int features, int period, double noise, long seed) {
    Random r = new Random(seed);
    long[] t = new long[n];
    float[] v = new float[n * features];
    for (int i = 0; i < n; i++) {
      t[i] = 60_000L * i;
      for (int j = 0; j < features; j++) {
        double cycle = period == 0 ? 0 : Math.sin(2 * Math.PI * (i + 7 * j) / period);
        v[i * features + j] = (float) (10 + 3 * cycle + noise * r.nextGaussian());
      }
    }
    return new Series(id, t, v, features);
  }

  @Test
  void aDailyCycleOfFiveMinuteSamplesGetsAWindowOfOneDay() {
    WindowLength.Choice c = WindowLength.choose(List.of(series("s", 4032, 1, 288, 0.5, 1)));
    assertEquals(288, c.length(), c.describe());
    assertEquals(288, c.period());
    assertTrue(c.strength() > 0.5, c.describe());
    assertTrue(c.describe().startsWith("auto: T=288, the period"), c.describe());
  }

  @Test
  void shortCyclesKeepTheDefaultWhichHoldsSeveralOfThem() {
    WindowLength.Choice c = WindowLength.choose(List.of(series("s", 3000, 1, 24, 0.3, 2)));
    assertEquals(WindowLength.DEFAULT, c.length(), c.describe());
    assertEquals(WindowLength.DEFAULT, c.length());
    // The peak found is a multiple of 24 (harmonics tie); what matters is that the window is not shortened.
    assertEquals(0, c.period() % 24, c.describe());
  }

  @Test
  void noiseAndConstantsHaveNoCycleAndKeepTheDefault() {
    WindowLength.Choice noise = WindowLength.choose(List.of(series("n", 3000, 1, 0, 1.0, 3)));
    assertEquals(WindowLength.DEFAULT, noise.length(), noise.describe());
    assertTrue(noise.strength() < WindowLength.MIN_STRENGTH, noise.describe());
    assertTrue(noise.describe().contains("the default"), noise.describe());
    WindowLength.Choice flat = WindowLength.choose(List.of(series("c", 3000, 1, 0, 0.0, 4)));
    assertEquals(WindowLength.DEFAULT, flat.length(), flat.describe());
    assertEquals(0, flat.period());
  }

  @Test
  void aWeakCycleUnderNoiseIsNotTakenForOne() {
    // Sine amplitude 3 under noise of sd 6: about 11 % of the variance repeats, far under the strength needed.
    WindowLength.Choice c = WindowLength.choose(List.of(series("w", 4000, 1, 200, 6.0, 5)));
    assertEquals(WindowLength.DEFAULT, c.length(), c.describe());
  }

  @Test
  void aFleetOfSlicesPoolsItsEvidenceAndSeriesTooShortForTheCycleKeepTheDefault() {
    List<Series> fleet = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fleet.add(series("d" + i, 600, 2, 150, 1.0, 10 + i));
    }
    WindowLength.Choice c = WindowLength.choose(fleet);
    // The autocorrelation of short series is damped towards long lags (by design: it favours the cycle over its
    // multiples), which moves the peak by a step or two.
    assertEquals(150, c.length(), 2, c.describe());
    // A third of the median length bounds the lags searched: 300-step slices cannot show a 150-step cycle often
    // enough to window by it.
    List<Series> short_ = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      short_.add(series("s" + i, 300, 1, 150, 0.1, 40 + i));
    }
    WindowLength.Choice s = WindowLength.choose(short_);
    assertEquals(WindowLength.DEFAULT, s.length(), s.describe());
    assertEquals(100, s.maxLag());
    List<Series> shorter = List.of(series("t", 150, 1, 40, 0.1, 7));
    assertEquals("auto: T=64, the default: the series are too short to show a longer cycle (lags up to a third of "
        + "their median length, 50, are searched)", WindowLength.choose(shorter).describe());
  }

  @Test
  void cyclesLongerThanTheLongestWindowAreLeftToAnExplicitWindow() {
    WindowLength.Choice c = WindowLength.choose(List.of(series("l", 12_000, 1, 2000, 0.1, 6)));
    assertEquals(WindowLength.DEFAULT, c.length(), c.describe());
    assertEquals(WindowLength.MAX, c.maxLag());
  }

  @Test
  void aLargeFleetIsJudgedOnItsFirstRows() {
    List<Series> fleet = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      fleet.add(series("f" + i, 4000, 1, 288, 0.5, 100 + i));
    }
    // 1.6 M values; only the first VALUES_TOTAL enter the estimate, and they show the cycle as well as all would.
    assertTrue(400L * 4000 > WindowLength.VALUES_TOTAL);
    WindowLength.Choice big = WindowLength.choose(fleet);
    assertEquals(288, big.length(), big.describe());
  }
}
