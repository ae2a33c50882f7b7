#!/usr/bin/python3
"""PyTorch's gradients of examples/rnn-tanh-every.json, as the correct claim for `chainproof verify`.

The CLI tests verify a claim that comes from outside chainproof: this writes
``examples/claimed/rnn-tanh-every.torch.json`` -- ``{"loss": L, "gradients": {"Wh", "Wx", "b", "Wy", "by"},
"producer": ...}`` -- with the recurrence and loss of ``make_rnn_reference.py`` (torch.nn.RNN in float64,
autograd), after the same central finite-difference check.

Run: ``/usr/bin/python3 src/test/python/make_rnn_claimed_example.py`` (Debian's python3-torch).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_rnn_reference as mr  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
SPEC = REPO / "examples" / "rnn-tanh-every.json"
OUT = REPO / "examples" / "claimed" / "rnn-tanh-every.torch.json"


def main():
    spec = json.loads(SPEC.read_text())
    loss, grads, _ = mr.reference(spec)
    mr.finite_difference_check(spec, grads)
    OUT.write_text(mr.dumps({"loss": loss, "gradients": grads, "producer": mr.PRODUCER}))
    print(OUT, "loss", loss)


if __name__ == "__main__":
    main()
