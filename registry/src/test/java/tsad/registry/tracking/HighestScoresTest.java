package tsad.registry.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The worst windows picked for the run's plot, against sorting every score. */
class HighestScoresTest {
  @Test
  void theOnePassPickIsTheStableSortsFirstK() {
    Random r = new Random(4);
    for (int round = 0; round < 300; round++) {
      int n = r.nextInt(40);
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = r.nextInt(6) == 0 ? Double.NaN : r.nextInt(8);   // ties and NaN (sorted first, as Double.compare)
      }
      for (int k : new int[] {0, 1, 4, 50}) {
        List<Integer> sorted = IntStream.range(0, n).boxed().sorted((a, c) -> Double.compare(s[c], s[a])).limit(k)
            .collect(Collectors.toList());
        assertEquals(sorted, TrackedTraining.highest(s, k), "round " + round + ", k " + k);
      }
    }
  }
}
