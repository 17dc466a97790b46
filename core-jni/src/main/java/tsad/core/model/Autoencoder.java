package tsad.core.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.data.DataException;
import tsad.proto.ModelSpec;

/**
 * A libtorch autoencoder over windows of shape (batch, T, F); the only model abstraction the rest of
 * tsad sees. Subclasses register their layers so save/load and the optimizer find them.
 */
public abstract class Autoencoder extends Module {
  private final ModelSpec spec;
  private Device device = new Device(torch.DeviceType.CPU);

  /** Creates the native module for a spec. */
  protected Autoencoder(ModelSpec spec) {
    this.spec = spec;
  }

  /** Moves the parameters to {@code d} (a no-op for the CPU); inputs must then be moved with {@link Tensors#on}. */
  public Autoencoder toDevice(Device d) {
    if (d.is_cuda() || device.is_cuda()) {
      to(d, false);
    }
    device = d;
    return this;
  }

  /** The device the parameters live on. */
  public Device device() {
    return device;
  }

  /** The architecture and sizes this model was built from. */
  public ModelSpec spec() {
    return spec;
  }

  /** Reconstructs a batch: input and output are (batch, T, F). */
  public abstract Tensor forward(Tensor x);

  /** Builds the network a spec describes, with freshly initialised weights. */
  public static Autoencoder create(ModelSpec spec) {
    ModelSpec s = ModelSpecs.withDefaults(spec);
    switch (s.getArch()) {
      case DENSE:
        return new DenseAutoencoder(s);
      case CNN:
        return new ConvAutoencoder(s);
      case LSTM:
        return new LstmAutoencoder(s);
      default:
        throw new DataException("unknown architecture " + s.getArch() + "; use dense, cnn or lstm");
    }
  }
}
