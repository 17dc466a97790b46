package tsad.core.model;

import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LSTMImpl;
import org.bytedeco.pytorch.LSTMOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import tsad.proto.ModelSpec;

/**
 * LSTM encoder-decoder: the encoder's last output summarises the window, is repeated T times, and a
 * decoder LSTM plus a linear head rebuild the F features at every step.
 */
public final class LstmAutoencoder extends Autoencoder {
  private final LSTMImpl encoder;
  private final LSTMImpl decoder;
  private final LinearImpl head;
  private final DropoutImpl dropout;
  private final int t;

  LstmAutoencoder(ModelSpec spec) {
    super(spec);
    t = spec.getWindowLength();
    int h = spec.getHidden(0);
    encoder = own(register_module("encoder",
        own(new LSTMImpl(options(spec.getFeatures(), h, spec.getLstmLayers())))));
    decoder = own(register_module("decoder", own(new LSTMImpl(options(h, h, spec.getLstmLayers())))));
    head = own(register_module("head", own(new LinearImpl(h, spec.getFeatures()))));
    dropout = spec.getDropout() > 0 ? own(register_module("dropout", own(new DropoutImpl(spec.getDropout())))) : null;
  }

  private static LSTMOptions options(long in, long hidden, long layers) {
    LSTMOptions o = new LSTMOptions(in, hidden);
    o.batch_first().put(true);
    o.num_layers().put(layers);
    return o;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor out = encoder.forward(x).get0();
    Tensor z = out.select(1, t - 1);
    z = dropout == null ? z : dropout.forward(z);
    Tensor rep = z.unsqueeze(1).repeat(1, t, 1);
    Tensor dec = decoder.forward(rep).get0();
    return head.forward(dec);
  }
}
