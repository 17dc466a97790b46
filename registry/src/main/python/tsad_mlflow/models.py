"""The three tsad autoencoders in PyTorch, built with the module names of tsad's libtorch models so that the
weights of a bundle's model.pt load into them unchanged (``strict=True``).

model.pt is a libtorch archive that only ``torch.jit.load`` reads: nothing here unpickles anything else.
"""

import io

import torch
from torch import nn

DENSE, CNN, LSTM = 1, 2, 3


class Dense(nn.Module):
    """T*F -> hidden... -> mirrored hidden... -> T*F, ReLU (after batch norm, when the spec has it) between layers."""

    def __init__(self, spec):
        super().__init__()
        self.t, self.f = spec.window_length, spec.features
        hidden = list(spec.hidden)
        widths = [self.t * self.f] + hidden + hidden[-2::-1] + [self.t * self.f]
        self.layers = len(widths) - 1
        for i in range(self.layers):
            self.add_module(f"fc{i}", nn.Linear(widths[i], widths[i + 1]))
            if spec.batch_norm and i + 2 < len(widths):
                self.add_module(f"bn{i}", nn.BatchNorm1d(widths[i + 1]))
        self.batch_norm = spec.batch_norm

    def forward(self, x):
        b = x.shape[0]
        h = x.reshape(b, self.t * self.f)
        for i in range(self.layers):
            h = getattr(self, f"fc{i}")(h)
            if i + 1 < self.layers:
                if self.batch_norm:
                    h = getattr(self, f"bn{i}")(h)
                h = torch.relu(h)
        return h.reshape(b, self.t, self.f)


class Conv(nn.Module):
    """Stride-2 Conv1d layers halve the time axis, transposed convolutions restore it."""

    def __init__(self, spec):
        super().__init__()
        k = spec.kernel_size
        ch = [spec.features] + list(spec.hidden)
        self.n = len(ch) - 1
        self.batch_norm = spec.batch_norm
        for i in range(self.n):
            self.add_module(f"enc{i}", nn.Conv1d(ch[i], ch[i + 1], k, stride=2, padding=k // 2))
            if spec.batch_norm:
                self.add_module(f"bn_enc{i}", nn.BatchNorm1d(ch[i + 1]))
        for j, i in enumerate(range(len(ch) - 1, 0, -1)):
            self.add_module(f"dec{j}", nn.ConvTranspose1d(ch[i], ch[i - 1], k, stride=2, padding=k // 2,
                                                          output_padding=1))
            if spec.batch_norm and i > 1:
                self.add_module(f"bn_dec{j}", nn.BatchNorm1d(ch[i - 1]))

    def forward(self, x):
        h = x.transpose(1, 2)
        for i in range(self.n):
            h = getattr(self, f"enc{i}")(h)
            if self.batch_norm:
                h = getattr(self, f"bn_enc{i}")(h)
            h = torch.relu(h)
        for j in range(self.n):
            h = getattr(self, f"dec{j}")(h)
            if j + 1 < self.n:
                if self.batch_norm:
                    h = getattr(self, f"bn_dec{j}")(h)
                h = torch.relu(h)
        return h.transpose(1, 2)


class Lstm(nn.Module):
    """Encoder LSTM; its last output, repeated T times, feeds a decoder LSTM and a linear head per step.
    libtorch's gate order is PyTorch's (i, f, g, o), so nn.LSTM takes the weights as they are."""

    def __init__(self, spec):
        super().__init__()
        self.t = spec.window_length
        h = spec.hidden[0]
        layers = spec.lstm_layers or 1
        self.encoder = nn.LSTM(spec.features, h, num_layers=layers, batch_first=True)
        self.decoder = nn.LSTM(h, h, num_layers=layers, batch_first=True)
        self.head = nn.Linear(h, spec.features)

    def forward(self, x):
        out, _ = self.encoder(x)
        z = out[:, self.t - 1, :]
        rep = z.unsqueeze(1).repeat(1, self.t, 1)
        dec, _ = self.decoder(rep)
        return self.head(dec)


def build(spec, weights, location="bundle"):
    """The network of ``spec`` (a ModelSpec) with the weights of model.pt (bytes), in eval mode.

    The archive must hold exactly the tensors the spec needs, as tsad's Java loader requires."""
    cls = {DENSE: Dense, CNN: Conv, LSTM: Lstm}.get(spec.arch)
    if cls is None:
        raise ValueError(f"{location}: unknown architecture {spec.arch}")
    model = cls(spec)
    try:
        archive = torch.jit.load(io.BytesIO(weights), map_location="cpu")
    except Exception as e:  # torch raises RuntimeError with libtorch's message
        raise ValueError(f"{location}: model.pt is not a libtorch archive torch.jit.load can read: {e}") from e
    state = {k: v for k, v in archive.state_dict().items()}
    # Dropout has no tensors and is a no-op in eval mode; any other difference is a spec that does not fit.
    want = model.state_dict()
    missing = sorted(set(want) - set(state))
    extra = sorted(set(state) - set(want))
    shapes = [k for k in want if k in state and tuple(want[k].shape) != tuple(state[k].shape)]
    if missing or extra or shapes:
        raise ValueError(f"{location}: the weights in model.pt do not fit the model spec (missing {missing[:4]}, "
                         f"unexpected {extra[:4]}, other shapes {shapes[:4]}); refusing to load it")
    model.load_state_dict(state, strict=True)
    model.eval()
    return model
