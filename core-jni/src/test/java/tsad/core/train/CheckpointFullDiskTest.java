package tsad.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsad.core.Expect.assertThrowsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tsad.core.io.TinyDisk;
import tsad.core.model.Autoencoder;
import tsad.core.model.Fixtures;
import tsad.core.model.TorchRuntime;
import tsad.core.scale.Scaler;
import tsad.core.window.Window;
import tsad.proto.EpochMetrics;
import tsad.proto.ScalerParams;
import tsad.proto.TrainCheckpoint;
import tsad.proto.TrainConfig;

/**
 * A disk that fills up during training: the checkpoint write is an exception that names the cause (libtorch's own
 * file writer aborted the JVM here), and the previous checkpoint stays whole, so --resume continues from it.
 */
class CheckpointFullDiskTest {
  @TempDir Path dir;

  @Test
  void aFullDiskFailsTheEpochAndKeepsThePreviousCheckpoint() throws Exception {
    TorchRuntime.threads(1);
    List<Window> data = Fixtures.sines(60, 32, 1, 4);
    Split.Parts p = Split.of(data, 0.2, 7);
    Scaler scaler = Scaler.fit(ScalerParams.Kind.STANDARD, p.train(), List.of("value"));
    TrainConfig cfg = Fixtures.quick(3);
    Path copy = dir.resolve("copy");
    try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), "1m")) {
      Path cp = disk.root().resolve("cp");
      TrainListener fillAfterFirst = new TrainListener() {
        @Override
        public void epoch(EpochMetrics m, int maxEpochs, boolean improved) {
          if (m.getEpoch() == 1) {
            try {
              disk.fill();
            } catch (java.io.IOException e) {
              throw new AssertionError(e);
            }
          }
        }
      };
      TorchRuntime.seed(7);
      try (Autoencoder m = Autoencoder.create(TrainerTest.DENSE)) {
        assertThrowsWith(TrainingException.class, "cannot write checkpoint in " + cp + ": No space left on device",
            () -> new Trainer(cfg, cp, fillAfterFirst).train(m, p.train(), p.validation(), scaler, false));
      }
      assertEquals(1, TrainCheckpoint.parseFrom(Files.readAllBytes(cp.resolve("state-1.pb"))).getEpoch());
      try (Stream<Path> files = Files.list(cp)) {
        assertEquals(List.of("best-1.pt", "checkpoint.sha256", "model-1.pt", "optimizer-1.pt", "state-1.pb"),
            files.map(f -> f.getFileName().toString()).sorted().toList(), "no partial file left behind");
      }
      Files.createDirectories(copy);
      try (Stream<Path> files = Files.list(cp)) {
        for (Path f : files.toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
    }
    TorchRuntime.seed(7);
    try (Autoencoder m = Autoencoder.create(TrainerTest.DENSE)) {
      Trainer.Result r = new Trainer(cfg, copy, TrainListener.NONE).train(m, p.train(), p.validation(), scaler, true);
      assertEquals(3, r.epochsRun());
      assertTrue(r.bestEpoch() >= 1, "resumed from the whole epoch-1 checkpoint: " + r.history());
    }
  }
}
