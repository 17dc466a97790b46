package tsad.core.train;

import java.nio.file.Path;
import tsad.proto.DataSpec;
import tsad.proto.ModelSpec;
import tsad.proto.ScalerParams;
import tsad.proto.TrainConfig;

/**
 * Everything one training run needs besides the data.
 *
 * @param model architecture and sizes (T and F are filled in from the data)
 * @param data how rows became windows (stored in the bundle for scoring)
 * @param config hyperparameters, seed, threads, threshold method, aggregation, scaler kind
 * @param modelOut bundle directory to write
 * @param resume continue an interrupted run from its checkpoint
 * @param parentModel model this one was fine-tuned from (empty for a fresh model)
 */
public record TrainRequest(ModelSpec model, DataSpec data, TrainConfig config, Path modelOut, boolean resume,
                           String parentModel) {
  /** The scaler kind, defaulting to standard. */
  public ScalerParams.Kind scalerKind() {
    ScalerParams.Kind k = config.getScaler();
    return k == ScalerParams.Kind.KIND_UNSPECIFIED ? ScalerParams.Kind.STANDARD : k;
  }
}
