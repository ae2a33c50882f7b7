#!/usr/bin/python3
"""The remedies lesson's sequence pair: a vanilla RNN against an LSTM over the same 50-step sequences.

Writes ``examples/remedies/rnn-tanh-50.json`` and ``examples/remedies/lstm-50.json``: one layer of 8
units over 50 scalar steps, returning its last state to one linear output, mse, two samples whose
target is their *first* input (to fit it, the gradient has to reach step 1). Both take PyTorch's
default initialisation, U(-1/sqrt(H), 1/sqrt(H)) for every weight and bias, drawn from a seeded
generator, except the LSTM's forget-gate bias (block 2 of b_ih): 3, the remedy of Gers et al. (2000)
and Jozefowicz et al. (2015), so that f ~ 0.95 and the cell state carries the signal. PyTorch's
float64 gradients for both (``torch._VF.rnn_tanh`` / ``lstm``, the kernels of ``nn.RNN`` / ``nn.LSTM``)
go to ``examples/claimed/<name>.torch.json``.

Run: ``/usr/bin/python3 src/test/python/make_sequence_examples.py`` (Debian's python3-torch).
"""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_sequence_reference  # noqa: E402,F401  (installs the recurrent layers into the layered script)
import make_layered_reference as base  # noqa: E402

STEPS, HIDDEN, SAMPLES = 50, 8, 2
FORGET_BIAS = 3.0


def uniform(rng, rows, cols=None):
    bound = 1 / HIDDEN ** 0.5
    if cols is None:
        return [round(rng.uniform(-bound, bound), 6) for _ in range(rows)]
    return [[round(rng.uniform(-bound, bound), 6) for _ in range(cols)] for _ in range(rows)]


def spec(cell, seed):
    rng = random.Random(seed)
    gates = 4 if cell == "lstm" else 1
    P = {"W_ih1": uniform(rng, gates * HIDDEN, 1), "W_hh1": uniform(rng, gates * HIDDEN, HIDDEN),
         "b_ih1": uniform(rng, gates * HIDDEN), "b_hh1": uniform(rng, gates * HIDDEN),
         "W2": uniform(rng, 1, HIDDEN), "b2": uniform(rng, 1)}
    if cell == "lstm":
        for j in range(HIDDEN, 2 * HIDDEN):
            P["b_ih1"][j] = FORGET_BIAS
    data = random.Random(5000)  # the same sequences for both
    x = [[[round(data.uniform(-1, 1), 3)] for _ in range(STEPS)] for _ in range(SAMPLES)]
    y = [[seq[0][0]] for seq in x]
    name = "rnn-tanh-50" if cell == "rnn" else "lstm-50"
    return {"name": name, "inputs": [STEPS, 1],
            "layers": [{"type": cell, "hidden": HIDDEN, "return": "last"}, {"type": "dense", "units": 1}],
            "loss": "mse", "parameters": P, "data": {"x": x, "y": y}}


def main():
    for cell, seed in (("rnn", 11), ("lstm", 11)):
        s = spec(cell, seed)
        loss, grads = base.torch_gradients(s)
        base.write(base.REPO / "examples" / "remedies" / (s["name"] + ".json"), base.dumps(s))
        base.write(base.REPO / "examples" / "claimed" / (s["name"] + ".torch.json"),
                   base.dumps({"loss": loss, "gradients": grads, "producer": base.PRODUCER + " (nn.RNN/nn.LSTM kernels)"}))
        print("%-12s loss %.6f" % (s["name"], loss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
