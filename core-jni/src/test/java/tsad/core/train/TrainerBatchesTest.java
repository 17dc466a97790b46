package tsad.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataReport;
import tsad.core.data.Series;
import tsad.core.model.Tensors;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.core.window.WindowBuilder;
import tsad.core.window.WindowSpec;
import tsad.proto.LengthPolicy;
import tsad.proto.ScalerParams;
import tsad.proto.WindowMode;

/** Training's batches, made one at a time, against the whole scaled set shuffled at once as training did before. */
class TrainerBatchesTest {
  private static List<Window> windows(String id, int n, int f, int stride) {
    long[] times = new long[n];
    float[] v = new float[n * f];
    for (int i = 0; i < n; i++) {
      times[i] = 60_000L * i;
      for (int j = 0; j < f; j++) {
        v[i * f + j] = (float) (Math.sin(i / 5.0 + j + id.hashCode()) * 40 + 3 * j + i % 7);
      }
    }
    return new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 16, stride, LengthPolicy.PAD))
        .build(new Series(id, times, v, f), new DataReport());
  }

  @Test
  void shuffledAndInOrderBatchesHoldTheRowsOfTheWholeScaledSet() {
    for (int f : new int[] {1, 2}) {
      // Overlapping views (stride 1), gapped ones (stride above T) and a padded short slice, mixed.
      List<Window> all = new ArrayList<>(windows("a", 300, f, 1));
      all.addAll(windows("b", 200, f, 20));
      all.addAll(windows("c", 9, f, 1));
      all.addAll(windows("d", 120, f, 3));
      Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, all, f == 1 ? List.of("x") : List.of("x", "y"));
      Device cpu = new Device(torch.DeviceType.CPU);
      int n = all.size();
      for (int bs : new int[] {1, 64, 100, n + 5}) {
        try (PointerScope scope = new PointerScope()) {
          Tensor whole = Tensors.windows(all, 0, n, scaler);
          torch.manual_seed(11);
          Tensor perm = torch.randperm(n);
          Tensor shuffledBefore = whole.index_select(0, perm);
          Trainer.Batches shuffled = new Trainer.Batches(all, bs, scaler, cpu, perm);
          Trainer.Batches inOrder = new Trainer.Batches(all, bs, scaler, cpu, null);
          for (int from = 0; from < n; from += bs) {
            int len = Math.min(bs, n - from);
            assertArrayEquals(Tensors.toArray(shuffledBefore.narrow(0, from, len)),
                Tensors.toArray(shuffled.get(from, len)), "shuffled batch at " + from + " of " + bs + ", f=" + f);
            assertArrayEquals(Tensors.toArray(whole.narrow(0, from, len)), Tensors.toArray(inOrder.get(from, len)),
                "batch in order at " + from + " of " + bs + ", f=" + f);
          }
        }
      }
    }
  }

  /**
   * Resident memory the JVM does not account for as its heap or non-heap (metaspace, code cache): native memory,
   * libtorch's tensors included. Committed JVM memory is an upper bound for what of it is resident, so JVM growth
   * (a larger heap, compiled code) cannot pass for native growth; at worst it hides some.
   */
  static long nativeResident() {
    MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
    return Pointer.physicalBytes() - jvm.getHeapMemoryUsage().getCommitted()
        - jvm.getNonHeapMemoryUsage().getCommitted();
  }

  /** Runs {@code work} while sampling {@link #nativeResident}; returns the highest sample's growth over the start. */
  static long peakNativeGrowth(Runnable work) throws InterruptedException {
    long before = nativeResident();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak.accumulateAndGet(nativeResident(), Math::max);
        LockSupport.parkNanos(200_000);
      }
    }, "native-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      work.run();
    } finally {
      done.set(true);
      sampler.join();
    }
    peak.accumulateAndGet(nativeResident(), Math::max);
    return peak.get() - before;
  }

  @Test
  void theValidationLossFreesEachBatchAsItGoes() throws InterruptedException {
    tsad.core.model.TorchRuntime.threads(1);
    List<Window> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.addAll(windows("v" + i, 15_000, 1, 1));   // ~300,000 windows, views of 20 series
    }
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, all, List.of("x"));
    try (tsad.core.model.Autoencoder m = tsad.core.model.Autoencoder.create(tsad.proto.ModelSpec.newBuilder()
        .setArch(tsad.proto.Architecture.DENSE).setWindowLength(16).setFeatures(1).build())) {
      Trainer.loss(m, all.subList(0, 5_000), 256, scaler);   // warm: allocator pools, JIT
      double[] loss = new double[1];
      // The peak during the call, not what is left after it: with one native scope for the loop, every batch's
      // tensors were kept until the end of the call (freed then, so the process's memory after it proves little).
      // And native memory only: the process's resident memory less the JVM's committed heap and non-heap, so the
      // JVM's own growth meanwhile (heap, compiled code) is not counted as the tensors'.
      long grown = peakNativeGrowth(() -> loss[0] = Trainer.loss(m, all, 256, scaler));
      // Measured here: 3 MB with a scope per batch; 246 MB with one scope for the loop (every batch kept to the end).
      org.junit.jupiter.api.Assertions.assertTrue(grown < 48L << 20,
          "native memory grew by " + (grown >> 20) + " MB at its peak over the validation loss (" + loss[0] + ")");
    }
  }

  @Test
  void theCheckpointFingerprintIsTheDigestOfEveryValueFourBytesAtATime() {
    // The layout earlier versions fed SHA-256, so their checkpoints still match the data: per part (training, then
    // validation), each window's id in UTF-8 and each of its T*F values as the 4 big-endian bytes of its float bits,
    // then '|'. The digests were computed outside Java from the bytes spelled out, e.g.
    // printf 'a\x3f\x80\x00\x00\xc0\x00\x00\x00|b\x3f\x00\x00\x00\x00\x00\x00\x00|' | sha256sum
    List<Window> train = List.of(new Window("a", "a", 0, 0, 2, 1, 2, 0, new float[] {1f, -2f}));
    List<Window> val = List.of(new Window("b", "b", 0, 0, 2, 1, 2, 0, new float[] {0.5f, 0f}));
    org.junit.jupiter.api.Assertions.assertEquals(
        "a53d2ec30dd2509cdbdd8f8ff42178d71a8bf5c35e3ab15d59e04264b4458d29",
        Checkpoints.fingerprint(train, val));
    // Window-mode views of one series (derived ids "series@start"), all for training, no validation:
    // 's@1970-01-01T00:00:00Z' 1f 2f 's@1970-01-01T00:01:00Z' 2f 3f '|' '|'.
    List<Window> views = new WindowBuilder(new WindowSpec(WindowMode.WINDOW, 2, 1, LengthPolicy.REJECT))
        .build(new Series("s", new long[] {0, 60_000, 120_000}, new float[] {1, 2, 3}, 1), new DataReport());
    org.junit.jupiter.api.Assertions.assertEquals(List.of("s@1970-01-01T00:00:00Z", "s@1970-01-01T00:01:00Z"),
        views.stream().map(Window::id).toList());
    org.junit.jupiter.api.Assertions.assertEquals(
        "8f59f64eade6ff39b4753ba747f2b0f17d568b97831b5014b5e112d29c0b8ae1",
        Checkpoints.fingerprint(views, List.of()));
  }
}
