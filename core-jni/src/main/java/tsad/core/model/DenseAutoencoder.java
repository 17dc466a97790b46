package tsad.core.model;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import tsad.proto.ModelSpec;

/** Fully connected autoencoder: T*F -> hidden... -> mirrored hidden... -> T*F, ReLU between layers. */
public final class DenseAutoencoder extends Autoencoder {
  private final List<LinearImpl> layers = new ArrayList<>();
  private final List<BatchNorm1dImpl> norms = new ArrayList<>();
  private final DropoutImpl dropout;
  private final int t;
  private final int f;

  DenseAutoencoder(ModelSpec spec) {
    super(spec);
    t = spec.getWindowLength();
    f = spec.getFeatures();
    List<Integer> widths = new ArrayList<>();
    widths.add(t * f);
    widths.addAll(spec.getHiddenList());
    for (int i = spec.getHiddenCount() - 2; i >= 0; i--) {
      widths.add(spec.getHidden(i));
    }
    widths.add(t * f);
    for (int i = 0; i + 1 < widths.size(); i++) {
      layers.add(own(register_module("fc" + i, own(new LinearImpl(widths.get(i), widths.get(i + 1))))));
      if (spec.getBatchNorm() && i + 2 < widths.size()) {
        norms.add(own(register_module("bn" + i,
            own(new BatchNorm1dImpl(new BatchNormOptions(widths.get(i + 1)))))));
      }
    }
    dropout = spec.getDropout() > 0 ? own(register_module("dropout", own(new DropoutImpl(spec.getDropout())))) : null;
  }

  @Override
  public Tensor forward(Tensor x) {
    long b = x.size(0);
    Tensor h = x.reshape(b, (long) t * f);
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(h);
      if (i + 1 < layers.size()) {
        if (!norms.isEmpty()) {
          h = norms.get(i).forward(h);
        }
        h = torch.relu(h);
        if (dropout != null) {
          h = dropout.forward(h);
        }
      }
    }
    return h.reshape(b, t, f);
  }
}
