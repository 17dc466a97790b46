package tsad.core.train;

import tsad.proto.EpochMetrics;

/** Hears training progress; the console progress bar and MLflow metric logging implement it. */
public interface TrainListener {
  /** A listener that ignores everything. */
  TrainListener NONE = new TrainListener() { };

  /** Called after each mini-batch with the running mean training loss of the epoch. */
  default void batch(int epoch, int maxEpochs, int batch, int batches, double runningLoss, long windowsDone,
                     double elapsedSeconds) { }

  /** Called after each epoch with its metrics. */
  default void epoch(EpochMetrics metrics, int maxEpochs, boolean improved) { }

  /** Called once when training stops, with the reason ("early_stopping", "max_epochs"). */
  default void done(String stopReason, int bestEpoch, double bestValidationLoss) { }
}
