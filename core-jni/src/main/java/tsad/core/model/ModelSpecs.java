package tsad.core.model;

import java.util.List;
import tsad.core.data.DataException;
import tsad.proto.ModelSpec;

/** Default sizes per architecture and the checks that a spec can be built for its window shape. */
public final class ModelSpecs {
  /** Dense layer widths of the reference design: T*F -> 32 -> 32 -> 32 -> T*F. */
  public static final List<Integer> DENSE_HIDDEN = List.of(32, 32);
  /** Channels of the two stride-2 convolutions. */
  public static final List<Integer> CNN_CHANNELS = List.of(16, 32);
  /** LSTM hidden size. */
  public static final List<Integer> LSTM_HIDDEN = List.of(64);
  /** CNN kernel size. */
  public static final int CNN_KERNEL = 7;

  /** Early-stopping patience for dense and cnn models. */
  public static final int PATIENCE = 10;
  /**
   * Early-stopping patience for LSTM models: an LSTM autoencoder first sits on a plateau (reconstructing
   * the mean) for tens of epochs before it learns the shapes; a short patience stops it there (measured:
   * AUC 0.75 with patience 10, 0.9999 with 30 on the quickstart data).
   */
  public static final int LSTM_PATIENCE = 30;

  private ModelSpecs() {}

  /** Parses a user-facing architecture name (dense, cnn, lstm) without touching libtorch. */
  public static tsad.proto.Architecture parseArch(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "dense":
        return tsad.proto.Architecture.DENSE;
      case "cnn":
        return tsad.proto.Architecture.CNN;
      case "lstm":
        return tsad.proto.Architecture.LSTM;
      default:
        throw new DataException("unknown architecture '" + name + "'; use dense, cnn or lstm");
    }
  }

  /** The default early-stopping patience for an architecture. */
  public static int defaultPatience(tsad.proto.Architecture arch) {
    return arch == tsad.proto.Architecture.LSTM ? LSTM_PATIENCE : PATIENCE;
  }

  /**
   * Whether an architecture's layers are batch-normalised by default: dense only. On the real series of
   * docs/quality.md batch normalisation raises the dense model's NAB AUC-PR from 0.446 to 0.491 and keeps its
   * synthetic figures (AUC-ROC 0.9991); dropout added nothing there and cost synthetic recall (90 % at 0.2).
   */
  public static boolean defaultBatchNorm(tsad.proto.Architecture arch) {
    return arch == tsad.proto.Architecture.DENSE;
  }

  /** A spec of an architecture with its default regularisation, as {@code tsad train} builds it without options. */
  public static ModelSpec.Builder defaults(tsad.proto.Architecture arch) {
    return ModelSpec.newBuilder().setArch(arch).setBatchNorm(defaultBatchNorm(arch));
  }

  /** Fills unset sizes with the architecture's defaults and validates the result. */
  public static ModelSpec withDefaults(ModelSpec spec) {
    ModelSpec.Builder b = spec.toBuilder();
    if (spec.getWindowLength() < 2 || spec.getFeatures() < 1) {
      throw new DataException("model needs window length >= 2 and features >= 1, got T=" + spec.getWindowLength()
          + " F=" + spec.getFeatures());
    }
    switch (spec.getArch()) {
      case DENSE:
        if (b.getHiddenCount() == 0) {
          b.addAllHidden(DENSE_HIDDEN);
        }
        break;
      case CNN:
        if (b.getHiddenCount() == 0) {
          b.addAllHidden(CNN_CHANNELS);
        }
        if (b.getKernelSize() == 0) {
          b.setKernelSize(CNN_KERNEL);
        }
        int div = 1 << b.getHiddenCount();
        if (spec.getWindowLength() % div != 0) {
          throw new DataException("cnn with " + b.getHiddenCount() + " stride-2 layers needs a window length "
              + "divisible by " + div + ", got " + spec.getWindowLength());
        }
        if (b.getKernelSize() % 2 == 0) {
          throw new DataException("cnn kernel size must be odd, got " + b.getKernelSize());
        }
        break;
      case LSTM:
        if (b.getHiddenCount() == 0) {
          b.addAllHidden(LSTM_HIDDEN);
        }
        if (b.getLstmLayers() == 0) {
          b.setLstmLayers(1);
        }
        break;
      default:
        throw new DataException("model spec has no architecture");
    }
    for (int h : b.getHiddenList()) {
      if (h < 1) {
        throw new DataException("hidden sizes must be positive, got " + b.getHiddenList());
      }
    }
    if (b.getDropout() < 0 || b.getDropout() >= 1) {
      throw new DataException("dropout must be in [0, 1), got " + b.getDropout());
    }
    return b.build();
  }
}
