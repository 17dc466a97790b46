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
 * @param parentModel URI of the model this one is fine-tuned from (empty for a fresh model)
 * @param initFrom the parent's bundle: its architecture, weights and (unless refitScaler) scaler are the start
 * @param refitScaler with initFrom, fit a new scaler on the new data instead of keeping the parent's
 * @param thresholdLabels labelled data to choose the threshold on, or null for the threshold method's own
 */
public record TrainRequest(ModelSpec model, DataSpec data, TrainConfig config, Path modelOut, boolean resume,
                           String parentModel, tsad.core.bundle.ModelBundle initFrom, boolean refitScaler,
                           ThresholdLabels thresholdLabels) {
  /** A request whose threshold comes from the threshold method. */
  public TrainRequest(ModelSpec model, DataSpec data, TrainConfig config, Path modelOut, boolean resume,
                      String parentModel, tsad.core.bundle.ModelBundle initFrom, boolean refitScaler) {
    this(model, data, config, modelOut, resume, parentModel, initFrom, refitScaler, null);
  }

  /** A request for a fresh model (no parent). */
  public TrainRequest(ModelSpec model, DataSpec data, TrainConfig config, Path modelOut, boolean resume,
                      String parentModel) {
    this(model, data, config, modelOut, resume, parentModel, null, false);
  }

  /** The scaler kind, defaulting to standard. */
  public ScalerParams.Kind scalerKind() {
    ScalerParams.Kind k = config.getScaler();
    return k == ScalerParams.Kind.KIND_UNSPECIFIED ? ScalerParams.Kind.STANDARD : k;
  }
}
