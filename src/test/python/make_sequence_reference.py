#!/usr/bin/python3
"""Reference gradients for chainproof's sequence layers (rnn, lstm, gru, attention) from PyTorch's own code.

Writes ``<name>.spec.json`` and ``<name>.expected.json`` into
``src/test/resources/reference/layered-sequence/`` (removing stale ones there), in the format of
``make_layered_reference.py``, whose torch loss, formatting and finite-difference check it reuses.

The recurrent layers are computed by the kernels ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` call in their
``forward`` (``torch._VF.rnn_tanh``, ``rnn_relu``, ``lstm``, ``gru``; one layer, ``batch_first``, float64,
zero initial state), handed the spec's tensors as the flat weights ``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0`` -- so the gate order and equations are PyTorch's, not a transcription of
them.  (``functional_call`` does not reach an RNN module's cached flat weights in torch 1.13.)  ``return: last`` is ``output[:, -1, :]``.  Every gradient is also checked by
central differences of the same torch loss (step 1e-6, tolerance 1e-6 relative to max(1, |g|)).

Attention layers are ``torch.nn.functional.multi_head_attention_forward`` itself -- what
``nn.MultiheadAttention`` runs -- with q = k = v = x (the sequence-first layout it takes), no dropout,
and for ``causal`` a boolean mask above the diagonal.

It also writes ``reference/layered-sequence-planted/`` with a ``manifest.json`` naming each fault: for four
of these specs whose recurrent layer returns its last state, PyTorch's gradients with truncated
backpropagation through time (the state detached before the last k steps); for five specs returning every
state, PyTorch's gradients with the state detached every k steps (truncated BPTT in chunks); and for three attention specs,
gradients through a hand-written attention backward pass (``AttentionCore``, checked to equal PyTorch's
attention to 1e-12 without a fault) that leaves out the 1/sqrt(d) scale, applies a causal mask in the
forward pass only, transposes the softmax's vector-Jacobian product, or reverses the heads; and for
LSTM and GRU specs, gradients through hand-written cells (``LstmCore`` with backpropagation through time
written out, ``gru_cell`` differentiated by autograd; both checked to equal PyTorch's kernels to 1e-12
without a fault): the LSTM's forget path through c left out of BPTT, its h and c gradients handed back
swapped, gate blocks in TensorFlow's, Caffe's or ONNX's order, Keras' GRU gate order, and the GRU's reset
gate applied before W_hn (Cho et al.). Each case names its ``correct`` gradient, what the fault must differ
from: PyTorch's (``../layered-sequence/<spec>.expected.json``) for the truncations, the hand-written code without a
fault (``<spec>.none.json``) for attention and the cells.

Run: ``/usr/bin/python3 src/test/python/make_sequence_reference.py`` (Debian's python3-torch).
"""
import json
import random
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_layered_reference as base  # noqa: E402

OUT = base.REPO / "src" / "test" / "resources" / "reference" / "layered-sequence"
MODULES = ("rnn", "lstm", "gru")
GATES = {"rnn": 1, "lstm": 4, "gru": 3}
plain_layer = base.t_layer


TRUNCATE = {"kept": None}   # when set, recurrent layers backpropagate through their last `kept` steps only
CHUNK = {"k": None}          # when set, recurrent layers detach their state every k steps (truncated BPTT in chunks)


def run_recurrent(t, layer, a, weights, state):
    """One of PyTorch's recurrent kernels over a (batch first) from state; returns (output, final state)."""
    if t == "lstm":
        out, h, c = torch._VF.lstm(a, state, weights, True, 1, 0.0, False, False, True)
        return out, (h, c)
    if t == "gru":
        out, h = torch._VF.gru(a, state, weights, True, 1, 0.0, False, False, True)
        return out, h
    kernel = torch._VF.rnn_relu if layer.get("activation", "tanh") == "relu" else torch._VF.rnn_tanh
    out, h = kernel(a, state, weights, True, 1, 0.0, False, False, True)
    return out, h


def t_layer(layer, a, P, sfx):
    """The layered script's layer, extended with PyTorch's recurrent modules."""
    t = layer["type"]
    if t in ("lstm", "gru") and CELL_FAULT["fault"] is not None:
        return t_cell(layer, a, P, sfx)
    if t == "attention" and ATTENTION_FAULT["fault"] is not None:
        return t_attention(layer, a, P, sfx)
    if t == "attention":
        n, steps, width = a.shape
        mask = None
        if layer.get("causal", False):
            mask = torch.triu(torch.ones(steps, steps, dtype=torch.bool), diagonal=1)
        seq = a.transpose(0, 1)  # the functional form takes [T, N, D]
        out = torch.nn.functional.multi_head_attention_forward(
            seq, seq, seq, width, layer["heads"], P["W_in" + sfx], P["b_in" + sfx], None, None, False, 0.0,
            P["W_out" + sfx], P["b_out" + sfx], training=False, need_weights=False, attn_mask=mask)[0]
        z = out.transpose(0, 1)
        return base.t_act(layer.get("activation", "identity"), z), z
    if t not in MODULES:
        return plain_layer(layer, a, P, sfx)
    hidden = layer["hidden"]
    weights = [P["W_ih" + sfx], P["W_hh" + sfx], P["b_ih" + sfx], P["b_hh" + sfx]]
    h0 = torch.zeros(1, a.shape[0], hidden, dtype=base.DT)
    if CHUNK["k"] is not None:
        # truncated BPTT in chunks (a planted fault): the state detached every k steps, the outputs kept
        k = CHUNK["k"]
        state = (h0, h0.clone()) if t == "lstm" else h0
        outs = []
        for start in range(0, a.shape[1], k):
            if start > 0:
                state = tuple(x.detach() for x in state) if t == "lstm" else state.detach()
            out, state = run_recurrent(t, layer, a[:, start:start + k], weights, state)
            outs.append(out)
        out = torch.cat(outs, dim=1)
        z = out if layer.get("return", "sequence") == "sequence" else out[:, -1, :]
        post = "identity" if t == "rnn" else layer.get("activation", "identity")
        return base.t_act(post, z), z
    kept = TRUNCATE["kept"]
    if kept is not None:
        # truncated BPTT (a planted fault): the state after the first T - kept steps is detached
        state = (h0, h0.clone()) if t == "lstm" else h0
        steps = a.shape[1]
        first, state = run_recurrent(t, layer, a[:, :steps - kept], weights, state)
        state = tuple(x.detach() for x in state) if t == "lstm" else state.detach()
        last, _ = run_recurrent(t, layer, a[:, steps - kept:], weights, state)
        out = torch.cat([first.detach(), last], dim=1)
        z = out if layer.get("return", "sequence") == "sequence" else out[:, -1, :]
        post = "identity" if t == "rnn" else layer.get("activation", "identity")
        return base.t_act(post, z), z
    # the kernels nn.RNN / nn.LSTM / nn.GRU call in forward() with their flat weights (has_biases, num_layers,
    # dropout, train, bidirectional, batch_first), here handed the spec's tensors so that autograd reaches them
    if t == "lstm":
        out = torch._VF.lstm(a, (h0, h0.clone()), weights, True, 1, 0.0, False, False, True)[0]
    elif t == "gru":
        out = torch._VF.gru(a, h0, weights, True, 1, 0.0, False, False, True)[0]
    elif layer.get("activation", "tanh") == "relu":
        out = torch._VF.rnn_relu(a, h0, weights, True, 1, 0.0, False, False, True)[0]
    else:
        out = torch._VF.rnn_tanh(a, h0, weights, True, 1, 0.0, False, False, True)[0]
    z = out if layer.get("return", "sequence") == "sequence" else out[:, -1, :]
    post = "identity" if t == "rnn" else layer.get("activation", "identity")
    return base.t_act(post, z), z


base.t_layer = t_layer


def uniform(rng, shape, lo, hi):
    if not shape:
        return round(rng.uniform(lo, hi), 4)
    return [uniform(rng, shape[1:], lo, hi) for _ in range(shape[0])]


def parameters(rng, layers, shape, parent, into):
    """PyTorch-shaped parameters for each layer, U(-0.5, 0.5), in layer order; returns the output shape."""
    for k, layer in enumerate(layers, 1):
        p = str(k) if parent is None else parent + "." + str(k)
        t = layer["type"]
        last = shape[-1]
        if t == "dense":
            into["W" + p] = uniform(rng, [layer["units"], last], -0.5, 0.5)
            into["b" + p] = uniform(rng, [layer["units"]], -0.5, 0.5)
            shape = shape[:-1] + [layer["units"]]
        elif t == "embedding":
            into["E" + p] = uniform(rng, [layer["vocabulary"], layer["dim"]], -1, 1)
            shape = [shape[0], layer["dim"]]
        elif t == "layer_norm":
            into["gamma" + p] = uniform(rng, [last], 0.5, 1.5)
            into["beta" + p] = uniform(rng, [last], -0.5, 0.5)
        elif t == "residual":
            parameters(rng, layer["layers"], shape, p, into)
        elif t == "flatten":
            size = 1
            for d in shape:
                size *= d
            shape = [size]
        elif t == "attention":
            into["W_in" + p] = uniform(rng, [3 * last, last], -0.6, 0.6)
            into["b_in" + p] = uniform(rng, [3 * last], -0.3, 0.3)
            into["W_out" + p] = uniform(rng, [last, last], -0.6, 0.6)
            into["b_out" + p] = uniform(rng, [last], -0.3, 0.3)
        elif t in MODULES:
            h, g = layer["hidden"], GATES[t]
            into["W_ih" + p] = uniform(rng, [g * h, last], -0.6, 0.6)
            into["W_hh" + p] = uniform(rng, [g * h, h], -0.6, 0.6)
            into["b_ih" + p] = uniform(rng, [g * h], -0.3, 0.3)
            into["b_hh" + p] = uniform(rng, [g * h], -0.3, 0.3)
            shape = [shape[0], h] if layer.get("return", "sequence") == "sequence" else [h]
        else:
            raise ValueError(t)
    return shape


def targets(rng, loss, shape, samples):
    if loss == "cross_entropy":
        rows = []
        for _ in range(samples):
            def one(s):
                if len(s) == 1:
                    v = [0] * s[0]
                    v[rng.randrange(s[0])] = 1
                    return v
                return [one(s[1:]) for _ in range(s[0])]
            rows.append(one(shape))
        return rows
    lo, hi = (0, 1) if loss == "bce" else (-1, 1)
    return [uniform(rng, shape, lo, hi) for _ in range(samples)]


# (name, inputs, layers, loss, samples)
SPECS = [
    ("rnn-tanh-sequence", [5, 2], [{"type": "rnn", "hidden": 3}, {"type": "dense", "units": 2}], "mse", 2),
    ("rnn-tanh-last", [6, 3], [{"type": "rnn", "hidden": 4, "return": "last"},
                               {"type": "dense", "units": 1, "activation": "sigmoid"}], "bce", 3),
    ("rnn-relu-sequence", [4, 2], [{"type": "rnn", "hidden": 3, "activation": "relu"}], "half_sse", 2),
    ("lstm-sequence", [5, 2], [{"type": "lstm", "hidden": 3}, {"type": "dense", "units": 2}], "mse", 2),
    ("lstm-last", [6, 3], [{"type": "lstm", "hidden": 4, "return": "last"},
                           {"type": "dense", "units": 3, "activation": "softmax"}], "cross_entropy", 3),
    ("lstm-activation", [4, 2], [{"type": "lstm", "hidden": 3, "activation": "tanh"},
                                 {"type": "dense", "units": 1}], "sse", 2),
    ("gru-sequence", [5, 2], [{"type": "gru", "hidden": 3}, {"type": "dense", "units": 2}], "mse", 2),
    ("gru-last", [6, 3], [{"type": "gru", "hidden": 4, "return": "last"},
                          {"type": "dense", "units": 3, "activation": "softmax"}], "cross_entropy", 3),
    ("embedding-lstm", [6], [{"type": "embedding", "vocabulary": 7, "dim": 3},
                             {"type": "lstm", "hidden": 4, "return": "last"},
                             {"type": "dense", "units": 7, "activation": "softmax"}], "cross_entropy", 2),
    ("dense-gru-norm", [5, 3], [{"type": "dense", "units": 4, "activation": "tanh"},
                                {"type": "gru", "hidden": 3}, {"type": "layer_norm"},
                                {"type": "dense", "units": 2}], "mse", 2),
    ("residual-rnn", [5, 3], [{"type": "residual", "layers": [{"type": "rnn", "hidden": 3}]},
                              {"type": "dense", "units": 1}], "mse", 2),
    ("lstm-gru-stack", [5, 2], [{"type": "lstm", "hidden": 3}, {"type": "gru", "hidden": 3, "return": "last"},
                                {"type": "dense", "units": 2}], "half_sse", 2),
    ("attention-one-head", [4, 4], [{"type": "attention", "heads": 1}, {"type": "dense", "units": 2}], "mse", 2),
    ("attention-causal", [5, 4], [{"type": "attention", "heads": 2, "causal": True},
                                  {"type": "dense", "units": 2}], "half_sse", 2),
    ("attention-four-heads", [4, 3], [{"type": "dense", "units": 4, "activation": "tanh"},
                                      {"type": "attention", "heads": 4}, {"type": "flatten"},
                                      {"type": "dense", "units": 1, "activation": "sigmoid"}], "bce", 3),
    ("transformer-block", [5], [{"type": "embedding", "vocabulary": 6, "dim": 4},
                                {"type": "residual", "layers": [{"type": "layer_norm"},
                                                                {"type": "attention", "heads": 2, "causal": True}]},
                                {"type": "residual", "layers": [{"type": "layer_norm"},
                                                                {"type": "dense", "units": 8, "activation": "gelu"},
                                                                {"type": "dense", "units": 4}]},
                                {"type": "layer_norm"}, {"type": "dense", "units": 6, "activation": "softmax"}],
     "cross_entropy", 2),
    ("lstm-attention", [4, 2], [{"type": "lstm", "hidden": 4}, {"type": "attention", "heads": 2},
                                {"type": "dense", "units": 1}], "mse", 2),
    ("lstm-long", [30, 2], [{"type": "lstm", "hidden": 3, "return": "last"},
                            {"type": "dense", "units": 1}], "mse", 2),
]


def make(i, name, inputs, layers, loss, samples):
    rng = random.Random(7100 + i)
    P = {}
    out = parameters(rng, layers, list(inputs), None, P)
    if layers[0]["type"] == "embedding":
        vocab = layers[0]["vocabulary"]
        x = [[rng.randrange(vocab) for _ in range(inputs[0])] for _ in range(samples)]
    else:
        x = [uniform(rng, list(inputs), -1, 1) for _ in range(samples)]
    spec = {"name": name, "inputs": inputs, "layers": layers, "loss": loss, "parameters": P,
            "data": {"x": x, "y": targets(rng, loss, out, samples)}}
    return spec


class AttentionCore(torch.autograd.Function):
    """Scaled dot-product attention of projected qkv [N, T, 3D], hand-written with its backward pass, which can
    carry one of the classic mistakes (independent of chainproof's code): "scale" leaves out 1/sqrt(d),
    "mask" applies a causal mask in the forward pass only, "transposed" takes the softmax's vector-Jacobian
    product with the weights transposed, "heads" reads each head's gradient from the reversed head."""

    @staticmethod
    def split(qkv, heads):
        n, t, d3 = qkv.shape
        width = d3 // 3
        d = width // heads
        parts = [qkv[..., i * width:(i + 1) * width].reshape(n, t, heads, d).transpose(1, 2) for i in range(3)]
        return parts, d

    @staticmethod
    def weights(q, k, d, causal):
        scores = q @ k.transpose(-1, -2) / d ** 0.5
        if causal:
            t = scores.shape[-1]
            scores = scores.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1), float("-inf"))
        return torch.softmax(scores, dim=-1)

    @staticmethod
    def forward(ctx, qkv, heads, causal, fault):
        (q, k, v), d = AttentionCore.split(qkv, heads)
        a = AttentionCore.weights(q, k, d, causal)
        ctx.save_for_backward(qkv)
        ctx.heads, ctx.causal, ctx.fault = heads, causal, fault
        out = a @ v
        n, h, t, _ = out.shape
        return out.transpose(1, 2).reshape(n, t, h * d)

    @staticmethod
    def backward(ctx, g):
        qkv, = ctx.saved_tensors
        heads, fault = ctx.heads, ctx.fault
        (q, k, v), d = AttentionCore.split(qkv, heads)
        a = AttentionCore.weights(q, k, d, ctx.causal and fault != "mask")
        n, t, width = g.shape
        gh = g.reshape(n, t, heads, d).transpose(1, 2)
        if fault == "heads":
            gh = gh.flip(1)
        gv = a.transpose(-1, -2) @ gh
        abar = gh @ v.transpose(-1, -2)
        if fault == "transposed":
            dots = (a * abar).sum(-1, keepdim=True)
            sbar = (a * (abar - dots)).transpose(-1, -2)
        else:
            sbar = a * (abar - (a * abar).sum(-1, keepdim=True))
        scale = 1.0 if fault == "scale" else 1 / d ** 0.5
        gq = sbar @ k * scale
        gk = sbar.transpose(-1, -2) @ q * scale
        parts = [x.transpose(1, 2).reshape(n, t, width) for x in (gq, gk, gv)]
        return torch.cat(parts, dim=-1), None, None, None


ATTENTION_FAULT = {"fault": None}  # when set, attention layers use the hand-written core with this fault


def t_attention(layer, a, P, sfx):
    """Attention through the hand-written core: in projection, core, out projection (PyTorch's layouts)."""
    qkv = torch.nn.functional.linear(a, P["W_in" + sfx], P["b_in" + sfx])
    fault = ATTENTION_FAULT["fault"]
    core = AttentionCore.apply(qkv, layer["heads"], layer.get("causal", False), None if fault == "none" else fault)
    z = torch.nn.functional.linear(core, P["W_out" + sfx], P["b_out" + sfx])
    return base.t_act(layer.get("activation", "identity"), z), z


CELL_FAULT = {"fault": None}  # when set, lstm and gru layers use the hand-written cells with this fault


class LstmCore(torch.autograd.Function):
    """PyTorch's LSTM over x [N, T, I] from a zero state, returning every h [N, T, H], hand-written with its
    backward pass (backpropagation through time written out), independent of chainproof's code. ``layout``
    names the gate held by each block of the stacked weights ("ifgo" is PyTorch's); ``fault`` is None,
    "forget" (the path dc_{t-1} = dc_t * f_t left out of BPTT) or "swap" (dh_{t-1} and dc_{t-1} handed back
    swapped)."""

    @staticmethod
    def forward(ctx, x, w_ih, w_hh, b_ih, b_hh, layout, fault):
        n, steps, _ = x.shape
        hidden = w_hh.shape[1]
        block = {g: layout.index(g) for g in "ifgo"}
        h = torch.zeros(n, hidden, dtype=x.dtype)
        c = torch.zeros(n, hidden, dtype=x.dtype)
        saved = []
        for t in range(steps):
            pre = x[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
            part = {g: pre[:, block[g] * hidden:(block[g] + 1) * hidden] for g in "ifgo"}
            i, f, o = torch.sigmoid(part["i"]), torch.sigmoid(part["f"]), torch.sigmoid(part["o"])
            g = torch.tanh(part["g"])
            c_prev, h_prev = c, h
            c = f * c_prev + i * g
            h = o * torch.tanh(c)
            saved.append((h_prev, c_prev, i, f, g, o, c, h))
        ctx.saved, ctx.layout, ctx.fault = saved, layout, fault
        ctx.save_for_backward(x, w_ih, w_hh)
        return torch.stack([s[-1] for s in saved], dim=1)

    @staticmethod
    def backward(ctx, grad):
        x, w_ih, w_hh = ctx.saved_tensors
        n, steps, _ = x.shape
        hidden = w_hh.shape[1]
        block = {g: ctx.layout.index(g) for g in "ifgo"}
        d_ih, d_hh = torch.zeros_like(w_ih), torch.zeros_like(w_hh)
        db = torch.zeros(4 * hidden, dtype=x.dtype)
        dx = torch.zeros_like(x)
        dh_next = torch.zeros(n, hidden, dtype=x.dtype)
        dc_next = torch.zeros(n, hidden, dtype=x.dtype)
        for t in reversed(range(steps)):
            h_prev, c_prev, i, f, g, o, c, _ = ctx.saved[t]
            dh = grad[:, t] + dh_next
            tc = torch.tanh(c)
            dc = dc_next + dh * o * (1 - tc * tc)
            local = {"i": dc * g * i * (1 - i), "f": dc * c_prev * f * (1 - f), "g": dc * i * (1 - g * g),
                     "o": dh * tc * o * (1 - o)}
            dpre = torch.zeros(n, 4 * hidden, dtype=x.dtype)
            for name, d in local.items():
                dpre[:, block[name] * hidden:(block[name] + 1) * hidden] = d
            d_ih += dpre.T @ x[:, t]
            d_hh += dpre.T @ h_prev
            db += dpre.sum(0)
            dx[:, t] = dpre @ w_ih
            dh_prev = dpre @ w_hh
            dc_prev = torch.zeros_like(dc) if ctx.fault == "forget" else dc * f
            if ctx.fault == "swap":
                dh_next, dc_next = dc_prev, dh_prev
            else:
                dh_next, dc_next = dh_prev, dc_prev
        return dx, d_ih, d_hh, db, db.clone(), None, None


def gru_cell(x, w_ih, w_hh, b_ih, b_hh, layout, reset_before):
    """A GRU written out (autograd differentiates it): PyTorch's equations with the gate blocks held in
    ``layout`` ("rzn" is PyTorch's), and with ``reset_before`` Cho et al.'s n = tanh(W_in x + b_in +
    W_hn (r * h) + b_hn) in place of PyTorch's r * (W_hn h + b_hn)."""
    n, steps, _ = x.shape
    hidden = w_hh.shape[1]
    rows = {g: slice(layout.index(g) * hidden, (layout.index(g) + 1) * hidden) for g in "rzn"}
    h = torch.zeros(n, hidden, dtype=x.dtype)
    out = []
    for t in range(steps):
        gi = x[:, t] @ w_ih.T + b_ih
        gh = h @ w_hh.T + b_hh
        r = torch.sigmoid(gi[:, rows["r"]] + gh[:, rows["r"]])
        z = torch.sigmoid(gi[:, rows["z"]] + gh[:, rows["z"]])
        if reset_before:
            inner = (r * h) @ w_hh[rows["n"]].T + b_hh[rows["n"]]
        else:
            inner = r * gh[:, rows["n"]]
        cand = torch.tanh(gi[:, rows["n"]] + inner)
        h = (1 - z) * cand + z * h
        out.append(h)
    return torch.stack(out, dim=1)


def t_cell(layer, a, P, sfx):
    """An lstm or gru layer through the hand-written cells, with CELL_FAULT's fault (or layout)."""
    t, fault = layer["type"], CELL_FAULT["fault"]
    weights = [P["W_ih" + sfx], P["W_hh" + sfx], P["b_ih" + sfx], P["b_hh" + sfx]]
    if t == "lstm":
        layout = fault if fault in LSTM_LAYOUTS else "ifgo"
        out = LstmCore.apply(a, *weights, layout, fault if fault in ("forget", "swap") else None)
    else:
        layout = fault if fault in GRU_LAYOUTS else "rzn"
        out = gru_cell(a, *weights, layout, fault == "reset")
    z = out if layer.get("return", "sequence") == "sequence" else out[:, -1, :]
    return base.t_act(layer.get("activation", "identity"), z), z


# other libraries' gate layouts: TensorFlow (i, j, f, o), Caffe, ONNX (i, o, f, c); Keras' GRU (z, r, h)
LSTM_LAYOUTS = ("igfo", "ifog", "iofg")
GRU_LAYOUTS = ("zrn",)
# (spec of SPECS, faults): "forget", "swap", a layout, "reset"
CELL_FAULTS = [("lstm-last", ["forget", "swap", "igfo", "ifog"]),
               ("lstm-sequence", ["forget", "swap", "iofg"]),
               ("embedding-lstm", ["forget", "igfo"]),
               ("gru-last", ["zrn", "reset"]),
               ("gru-sequence", ["reset", "zrn"]),
               ("dense-gru-norm", ["reset"]),
               ("lstm-gru-stack", ["swap", "reset"])]
CELL_NAMES = {"forget": "FORGET_PATH_MISSING", "swap": "HIDDEN_CELL_GRADIENTS_SWAPPED",
              "reset": "GRU_RESET_BEFORE_MATMUL"}


PLANTED = base.REPO / "src" / "test" / "resources" / "reference" / "layered-sequence-planted"
# (spec of SPECS, steps kept): recurrent layers returning their last state, truncated BPTT
TRUNCATED = [("rnn-tanh-last", 2), ("lstm-last", 3), ("gru-last", 2), ("embedding-lstm", 4)]
# (spec of SPECS, k): recurrent layers returning every state, the state detached every k steps
CHUNKED = [("rnn-tanh-sequence", 2), ("lstm-sequence", 2), ("gru-sequence", 3), ("dense-gru-norm", 2),
           ("residual-rnn", 2)]
ATTENTION_FAULTS = [("attention-causal", ["scale", "mask", "transposed", "heads"]),
                    ("attention-four-heads", ["transposed", "heads"]),  # d = 1: 1/sqrt(d) is 1, no scale to miss
                    ("transformer-block", ["scale", "mask", "heads"])]
ATTENTION_NAMES = {"scale": "ATTENTION_SCALE_MISSING", "mask": "CAUSAL_MASK_FORWARD_ONLY",
                   "transposed": "SOFTMAX_JACOBIAN_TRANSPOSED", "heads": "HEADS_CONCATENATED_WRONG"}


def with_switch(switch, key, value, spec):
    """PyTorch's loss and gradients for spec with switch[key] set to value (reset afterwards)."""
    switch[key] = value
    try:
        return base.torch_gradients(spec)
    finally:
        switch[key] = None


def plant(cases, spec, switch, key, value, claimed, producer, case, correct):
    """Writes spec and its gradients under switch[key] = value as a planted case; correct: the file of the same
    computation without the fault (what the planted fault must differ from), relative to PLANTED."""
    loss, grads = with_switch(switch, key, value, spec)
    base.write(PLANTED / (spec["name"] + ".spec.json"), base.dumps(spec))
    base.write(PLANTED / claimed, base.dumps({"loss": loss, "gradients": grads,
                                              "producer": base.PRODUCER + ", " + producer}))
    cases.append(dict({"spec": spec["name"] + ".spec.json", "claimed": claimed, "correct": correct}, **case))
    print("%-20s %s" % (spec["name"], producer))


def same_as_pytorch(spec, switch, key):
    """Asserts that the hand-written code behind switch[key], without a fault, gives PyTorch's gradients."""
    reference = base.torch_gradients(spec)[1]
    own = with_switch(switch, key, "none", spec)[1]
    for name in reference:
        a, b = base.flatten(reference[name]), base.flatten(own[name])
        assert all(abs(x - y) <= 1e-12 * max(1.0, abs(x)) for x, y in zip(a, b)), (spec["name"], name)


def without_fault(spec, switch, key):
    """Writes the hand-written code behind switch[key] without a fault as <spec>.none.json; returns its name."""
    loss, grads = with_switch(switch, key, "none", spec)
    name = spec["name"] + ".none.json"
    base.write(PLANTED / name, base.dumps({"loss": loss, "gradients": grads,
                                           "producer": base.PRODUCER + ", the hand-written backward without a fault"}))
    return name


def planted(specs):
    """Every planted fault's gradients, with a manifest (see the module's docstring)."""
    PLANTED.mkdir(parents=True, exist_ok=True)
    for old in PLANTED.glob("*.json"):
        old.unlink()
    cases = []
    for name, kept in TRUNCATED:
        plant(cases, specs[name], TRUNCATE, "kept", kept, "%s.truncated-%d.json" % (name, kept),
              "state detached before the last %d steps" % kept, {"fault": "TRUNCATED_BPTT", "kept": kept},
              "../layered-sequence/%s.expected.json" % name)
    for name, k in CHUNKED:
        plant(cases, specs[name], CHUNK, "k", k, "%s.chunks-%d.json" % (name, k),
              "state detached every %d steps" % k, {"fault": "TRUNCATED_BPTT", "kept": k},
              "../layered-sequence/%s.expected.json" % name)
    for name, faults in ATTENTION_FAULTS:
        same_as_pytorch(specs[name], ATTENTION_FAULT, "fault")
        correct = without_fault(specs[name], ATTENTION_FAULT, "fault")
        for fault in faults:
            plant(cases, specs[name], ATTENTION_FAULT, "fault", fault, "%s.%s.json" % (name, fault),
                  "hand-written attention backward with the fault " + fault, {"fault": ATTENTION_NAMES[fault]},
                  correct)
    for name, faults in CELL_FAULTS:
        same_as_pytorch(specs[name], CELL_FAULT, "fault")
        correct = without_fault(specs[name], CELL_FAULT, "fault")
        for fault in faults:
            how = ("gates stacked " + ", ".join(fault)) if fault in LSTM_LAYOUTS + GRU_LAYOUTS else "the fault " + fault
            plant(cases, specs[name], CELL_FAULT, "fault", fault, "%s.%s.json" % (name, fault),
                  "hand-written cell with " + how, {"fault": CELL_NAMES.get(fault, "GATES_PERMUTED")}, correct)
    base.write(PLANTED / "manifest.json", json.dumps({"cases": cases}, indent=2) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in list(OUT.glob("*.spec.json")) + list(OUT.glob("*.expected.json")):
        old.unlink()
    specs = {}
    for i, row in enumerate(SPECS):
        spec = make(i, *row)
        specs[spec["name"]] = spec
        loss, grads = base.torch_gradients(spec)
        worst, where = base.fd_check(spec, grads)
        expected = {"loss": loss, "gradients": grads, "producer": base.PRODUCER + " (nn.RNN/LSTM/GRU modules)"}
        base.write(OUT / (spec["name"] + ".spec.json"), base.dumps(spec))
        base.write(OUT / (spec["name"] + ".expected.json"), base.dumps(expected))
        print("%-20s loss %.6f  finite differences worst %.1e at %s" % (spec["name"], loss, worst, where))
    planted(specs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
