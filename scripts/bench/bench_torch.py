#!/usr/bin/env python3
"""Python PyTorch reference for tsad's benchmark: the same three autoencoders and the same training
loop as core-jni (Adam, MSE, gradient clipping, shuffled mini-batches), and the same scoring work
(inference-mode forward + per-window mean squared error). Prints JSON lines in the schema of
`tsad bench`: {"impl","arch","phase","batch","threads","windows_per_s"} and a final peak-RSS line."""
import argparse
import json
import math
import os
import resource
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
from torch import nn  # noqa: E402

T, F = 64, 1


class Dense(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(T * F, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                 nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, T * F))

    def forward(self, x):
        return self.net(x.reshape(x.shape[0], T * F)).reshape(x.shape[0], T, F)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(F, 16, 7, 2, 3), nn.ReLU(), nn.Conv1d(16, 32, 7, 2, 3), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose1d(32, 16, 7, 2, 3, output_padding=1), nn.ReLU(),
                                 nn.ConvTranspose1d(16, F, 7, 2, 3, output_padding=1))

    def forward(self, x):
        return self.dec(self.enc(x.transpose(1, 2))).transpose(1, 2)


class Lstm(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.encoder = nn.LSTM(F, hidden, batch_first=True)
        self.decoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, F)

    def forward(self, x):
        out, _ = self.encoder(x)
        z = out[:, -1, :].unsqueeze(1).repeat(1, T, 1)
        dec, _ = self.decoder(z)
        return self.head(dec)


MODELS = {"dense": Dense, "cnn": Cnn, "lstm": Lstm}


def sines(n, seed=1):
    g = torch.Generator().manual_seed(seed)
    phase = torch.rand(n, 1, generator=g) * 2 * math.pi
    s = torch.arange(T, dtype=torch.float32).unsqueeze(0)
    x = torch.sin(2 * math.pi * s / 16.0 + phase) + 0.1 * torch.randn(n, T, generator=g)
    x = (x - x.mean()) / x.std()
    return x.unsqueeze(-1).contiguous()


def train_rate(model, data, batch, seconds):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    params = list(model.parameters())
    n = data.shape[0]

    def epoch(e):
        torch.manual_seed(e)
        shuffled = data.index_select(0, torch.randperm(n))
        t0 = time.perf_counter()
        for start in range(0, n, batch):
            x = shuffled.narrow(0, start, min(batch, n - start))
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), x)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            if not math.isfinite(loss.item()):
                raise RuntimeError("loss diverged")
        return time.perf_counter() - t0

    model.train()
    warm = epoch(0)
    epochs = max(1, math.ceil(seconds / warm))
    total = sum(epoch(e) for e in range(1, epochs + 1))
    return n * epochs / total


def score_rate(model, data, batch, seconds):
    model.eval()
    x = data[torch.arange(batch) % data.shape[0]].contiguous()

    def run():
        with torch.inference_mode():
            err = (model(x) - x).square().mean(dim=(1, 2))
            err.numpy()

    for _ in range(3):
        run()
    n, t0 = 0, time.perf_counter()
    while True:
        run()
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return n * batch / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--arch", default="dense,cnn,lstm")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--train-batch", type=int, default=256)
    ap.add_argument("--score-batches", default="1,64,4096")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--out")
    a = ap.parse_args()
    out = open(a.out, "w") if a.out else None

    def emit(obj):
        line = json.dumps(obj)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()

    data = sines(8192)
    for arch in a.arch.split(","):
        for th in [int(t) for t in a.threads.split(",")]:
            torch.set_num_threads(th)
            torch.manual_seed(1)
            model = MODELS[arch]()
            emit({"impl": "python", "arch": arch, "phase": "train", "batch": a.train_batch, "threads": th,
                  "windows_per_s": round(train_rate(model, data, a.train_batch, a.seconds), 1),
                  "torch": torch.__version__})
            for b in [int(b) for b in a.score_batches.split(",")]:
                emit({"impl": "python", "arch": arch, "phase": "score", "batch": b, "threads": th,
                      "windows_per_s": round(score_rate(model, data, b, a.seconds), 1), "torch": torch.__version__})
    emit({"impl": "python", "phase": "rss", "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
    if out:
        out.close()


if __name__ == "__main__":
    sys.exit(main())
