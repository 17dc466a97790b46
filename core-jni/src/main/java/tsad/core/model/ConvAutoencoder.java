package tsad.core.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv1dImpl;
import org.bytedeco.pytorch.Conv1dOptions;
import org.bytedeco.pytorch.ConvTranspose1dImpl;
import org.bytedeco.pytorch.ConvTranspose1dOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.proto.ModelSpec;

/**
 * 1D convolutional autoencoder: stride-2 convolutions halve the time axis per layer, transposed
 * convolutions restore it. Channels are the spec's hidden sizes; time length must divide by 2^layers.
 */
public final class ConvAutoencoder extends Autoencoder {
  private final List<Conv1dImpl> encoder = new ArrayList<>();
  private final List<ConvTranspose1dImpl> decoder = new ArrayList<>();
  private final List<BatchNorm1dImpl> norms = new ArrayList<>();
  private final DropoutImpl dropout;

  ConvAutoencoder(ModelSpec spec) {
    super(spec);
    int k = spec.getKernelSize();
    List<Integer> ch = new ArrayList<>();
    ch.add(spec.getFeatures());
    ch.addAll(spec.getHiddenList());
    for (int i = 0; i + 1 < ch.size(); i++) {
      Conv1dOptions o = new Conv1dOptions(ch.get(i), ch.get(i + 1), longs(k));
      o.stride().put(2);
      o.padding().put(longs(k / 2));
      encoder.add(own(register_module("enc" + i, own(new Conv1dImpl(o)))));
      if (spec.getBatchNorm()) {
        norms.add(own(register_module("bn_enc" + i,
            own(new BatchNorm1dImpl(new BatchNormOptions(ch.get(i + 1)))))));
      }
    }
    for (int i = ch.size() - 1; i > 0; i--) {
      ConvTranspose1dOptions o = new ConvTranspose1dOptions(ch.get(i), ch.get(i - 1), longs(k));
      o.stride().put(2);
      o.padding().put(k / 2);
      o.output_padding().put(1);
      decoder.add(own(register_module("dec" + (ch.size() - 1 - i), own(new ConvTranspose1dImpl(o)))));
      if (spec.getBatchNorm() && i > 1) {
        norms.add(own(register_module("bn_dec" + (ch.size() - 1 - i),
            own(new BatchNorm1dImpl(new BatchNormOptions(ch.get(i - 1)))))));
      }
    }
    dropout = spec.getDropout() > 0 ? own(register_module("dropout", own(new DropoutImpl(spec.getDropout())))) : null;
  }

  private static LongPointer longs(long v) {
    return new LongPointer(1).put(v);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = x.transpose(1, 2);
    int n = 0;
    for (Conv1dImpl c : encoder) {
      h = c.forward(h);
      h = norms.isEmpty() ? h : norms.get(n++).forward(h);
      h = torch.relu(h);
      h = dropout == null ? h : dropout.forward(h);
    }
    for (int i = 0; i < decoder.size(); i++) {
      h = decoder.get(i).forward(h);
      if (i + 1 < decoder.size()) {
        h = norms.isEmpty() ? h : norms.get(n++).forward(h);
        h = torch.relu(h);
      }
    }
    return h.transpose(1, 2);
  }
}
