package tsad.core.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.core.data.DataException;
import tsad.proto.ModelSpec;

/**
 * A libtorch autoencoder over windows of shape (batch, T, F); the only model abstraction the rest of
 * tsad sees. Subclasses register their layers so save/load and the optimizer find them, and {@link #own} their Java
 * handles so that {@link #close} frees the whole network at once. Whoever creates a model closes it.
 */
public abstract class Autoencoder extends Module {
  private final ModelSpec spec;
  private Device device = new Device(torch.DeviceType.CPU);
  private final List<Pointer> parts = new ArrayList<>();

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

  /**
   * Keeps a layer's Java handle (the one given to {@code register_module} and the one it returns) to be closed with
   * the model: each holds a reference to the native layer, which the garbage collector alone would free only when
   * it happens to collect the handle, since it never sees the native memory behind it.
   */
  protected final <P extends Pointer> P own(P part) {
    parts.add(part);
    return part;
  }

  /** Frees the network's native memory: its layers' handles, then the module itself. */
  @Override
  public void close() {
    for (Pointer p : parts) {
      p.close();
    }
    parts.clear();
    super.close();
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
