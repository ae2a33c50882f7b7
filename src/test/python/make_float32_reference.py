#!/usr/bin/python3
"""PyTorch's float32 gradients of the MLP reference specs, for the float32 rounding bound.

For every ``src/test/resources/reference/*.spec.json`` (the MLP references of ``make_reference.py``), the
same torch loss with every tensor in float32 (parameters and data rounded to float32, as a float32
library stores them), differentiated by autograd in float32; the gradients, converted exactly to
float64, go to ``src/test/resources/reference/float32/<name>.float32.json``.

Run: ``/usr/bin/python3 src/test/python/make_float32_reference.py`` (Debian's python3-torch).
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_reference as mr  # noqa: E402

REF = mr.REPO / "src" / "test" / "resources" / "reference" if hasattr(mr, "REPO") else \
    Path(__file__).resolve().parents[3] / "src" / "test" / "resources" / "reference"
OUT = REF / "float32"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    mr.DT = torch.float32
    count = 0
    for spec_file in sorted(REF.glob("*.spec.json")):
        spec = json.loads(spec_file.read_text())
        loss, grads = mr.torch_gradients(spec)
        name = spec_file.name.replace(".spec.json", "")
        (OUT / (name + ".float32.json")).write_text(mr.dumps({"loss": loss, "gradients": grads,
                                                               "producer": "torch %s autograd float32" % torch.__version__}))
        count += 1
    print("%d specs" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
