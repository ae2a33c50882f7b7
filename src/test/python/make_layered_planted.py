#!/usr/bin/python3
"""Generate WRONG gradients ("planted faults") for chainproof's *layered* network specs, with PyTorch.

What
----
Test data for ``chainproof verify SPEC --gradients CLAIMED.json`` on layered specs: claimed gradients
that a buggy backward pass of one layer would compute, plus a few correct ones (no false alarm).
Written into ``src/test/resources/reference/layered-planted/`` (and nowhere else):

* ``<spec>.spec.json``          -- a layered spec exactly in the format of ``../layered/`` (validated with
                                   ``make_layered_reference.validate``);
* ``<spec>.<fault>.claimed.json`` -- ``{"gradients": {name: ...}, "loss": L, "producer": "...",
                                   "fault": "<fault>: <description>"}``, gradients in PyTorch shapes, in
                                   the order of ``parameters``; ``loss`` is the correct L (every faulty
                                   backward sits under the correct forward);
* ``<spec>.<fault>.correct.json`` -- the same layout: the gradient of the same hand-written backward with the
                                   CORRECT rule (check 3), what the planted fault must differ from (``correct``);
* ``manifest.json``             -- ``{"cases": [{"case", "spec", "claimed", "correct", "fault", "expect", "detail",
                                   "changed", "max_abs_change"}]}`` (paths relative to the directory);
* ``README.md``                 -- the cases, the faults, the checks with their measured numbers.

Stale ``*.spec.json`` / ``*.claimed.json`` / ``*.correct.json`` files in that directory are removed.

Faults (one layer's backward is wrong; the forward is always the correct one)
---------------------------------------------------------------------------
The layer at position ``detail.position`` ("2", or "3.1" for the first layer of the residual block at 3)
runs through a ``torch.autograd.Function`` whose forward is the PyTorch op and whose backward is written
out by hand (explicit loops for conv and pool) with the wrong rule; every other layer keeps autograd.

* ``kernel_not_flipped``     -- conv1d/2d (not the first layer, kernel > 1): the INPUT gradient is the
                                transposed convolution with the kernel reversed along every spatial axis,
                                g[q] * W[K-1-k] sent to the correct position q*s - p + k*d; the weight and
                                bias gradients are correct.
* ``backward_padding_wrong`` -- conv with padding > 0: the backward maps output position q and kernel
                                offset k to q*s + k*d (the -padding forgotten), per axis, and drops
                                positions outside the input; for BOTH the input and the weight gradient.
                                Bias gradient correct.
* ``backward_stride_wrong``  -- conv with stride > 1: the backward maps q*1 - p + k*d (stride taken as 1),
                                for the input and the weight gradient; bias correct.
* ``max_pool_routed_wrong``  -- max_pool1d/2d: each window's gradient goes to the FIRST entry of the
                                window in row-major order instead of the arg max.
* ``max_pool_spread``        -- max_pool: g / (window size) to every entry of the window (avg pooling's rule).
* ``norm_statistics_as_constants`` -- layer_norm / batch_norm (training mode): input gradient gamma*g/sigma,
                                sigma = sqrt(biased var + eps): mean and variance treated as constants.
                                gamma, beta gradients correct.
* ``norm_variance_term_missing``   -- input gradient (gamma*g - mean_group(gamma*g)) / sigma: the term
                                through the mean kept, -xhat * mean_group(gamma*g*xhat) dropped.
                                Group: the last axis (layer_norm); samples and positions of a channel
                                (batch_norm).
* ``residual_identity_missing`` -- y = act(x + F(x)): dL/d(x + F(x)) is passed only to F's output, not
                                along the identity to x (a parameterised layer sits before the block, so
                                the missing path shows in its gradient).
* ``embedding_not_accumulated`` -- the weight-gradient row of an id is ASSIGNED at each occurrence, not
                                accumulated: for an id that occurs more than once in the batch the row
                                is the gradient of its last occurrence in row-major (sample, position)
                                order.
* ``none``                   -- plain autograd (a correct claim, ``expect`` "accepted").

Checks (AssertionError on failure)
----------------------------------
1. Every spec validates against the layered contract (``make_layered_reference.validate``), has <= 300
   parameters and 2-4 samples, no relu / leaky_relu pre-activation within 1e-4 of 0 and no max-pool
   window whose two largest values are within 1e-4 (``make_layered_reference.draw_spec`` redraws).
2. The correct gradient (autograd through this script's own torch forward) agrees with central
   differences (step 1e-6 * max(1, |p|)) to 1e-6, denominator max(1, |g|), for every parameter entry,
   and with ``make_layered_reference.torch_gradients`` (the reference generator's forward) to 1e-13.
3. The hand-written backward of every faulty layer, run with the CORRECT rule, reproduces autograd to
   1e-12 (denominator max(1, |g|)): the machinery is right and only the rule differs.
4. Each fault is computed a second, independent way -- plain autograd of a rewritten op with the correct
   forward value (straight-through: value.detach() + (alt - alt.detach())): the conv with the flipped
   kernel for the input path, a conv on the input zero-padded on the far side only (padding), the first
   Q outputs of the stride-1 conv (stride), strided slicing (routed to the first entry), avg_pool (spread),
   the norm with detached statistics (mean and var / var only), a detached skip (residual), a mask that
   keeps only each id's last occurrence (embedding) -- and agrees to 1e-12.
5. The faulty forward gives exactly the correct loss; tensors of layers after the faulty one are bitwise
   the correct ones; the faulty layer's own tensors that the fault leaves correct agree to 1e-12; every
   fault changes at least one tensor by more than 1e-6 of that tensor's largest entry (recorded per
   tensor as ``changed``), including the faulty layer's weight for padding / stride and E for the
   embedding, and every tensor of the layers before the faulty one.
6. Max-pool routing: some windows have their maximum elsewhere than the first entry (counted in detail);
   embeddings: some id occurs more than once in the batch.
7. Determinism: the script runs itself again in a child process (another PYTHONHASHSEED, ``--digest``)
   and the SHA-256 of every file it writes must be identical; the written files are read back and
   compared byte for byte.

How to run (from the repository root; not in CI, the data is checked in)::

    /usr/bin/python3 src/test/python/make_layered_planted.py
"""

import hashlib
import itertools
import json
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_layered_reference as ref  # noqa: E402  (spec format, drawing, validation, JSON layout)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # reduction order independent of the machine's core count
DT = torch.float64

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "src" / "test" / "resources" / "reference" / "layered-planted"
PRODUCER = "torch %s float64 (make_layered_planted.py)" % torch.__version__

MAX_PARAMS = 300
FD_STEP, FD_TOL = 1e-6, 1e-6
CROSS_TOL = 1e-12       # hand-written rules vs autograd, and the two formulations of each fault
REF_TOL = 1e-13         # this script's forward vs the reference generator's
CHANGE_REL = 1e-6       # a tensor "changes" when max|bad - good| > CHANGE_REL * max|good|

FAULTS = ["kernel_not_flipped", "backward_padding_wrong", "backward_stride_wrong", "max_pool_routed_wrong",
          "max_pool_spread", "norm_statistics_as_constants", "norm_variance_term_missing",
          "residual_identity_missing", "embedding_not_accumulated"]
CONV_FAULTS = FAULTS[:3]
POOL_FAULTS = FAULTS[3:5]
NORM_FAULTS = FAULTS[5:7]

dense, conv1d, conv2d, pool, norm, residual, L = ref.dense, ref.conv1d, ref.conv2d, ref.pool, ref.norm, ref.residual, ref.L
FLAT = ref.FLAT

# name, inputs, layers, loss, samples, description (seed 7000 + index)
SPECS = [
    ("conv1d-strided", [2, 8], [conv1d(3, 3, 1, 1, 1, "tanh"), conv1d(2, 3, 2, 1, 1, "tanh"), FLAT, dense(2)],
     "mse", 3, "two conv1d, the second k3 stride 2 padding 1"),
    ("conv2d-pairs", [1, 6, 6], [conv2d(2, 3, 1, 1, 1, "tanh"), conv2d(2, [3, 2], [2, 1], [1, 0], 1, "elu"), FLAT,
                                 dense(2)], "half_sse", 2,
     "two conv2d, the second kernel [3,2] stride [2,1] padding [1,0]"),
    ("conv1d-residual", [2, 6], [conv1d(3, 3, padding=1, act="relu"),
                                 residual([conv1d(3, 3, 1, 1, 1, "relu"), conv1d(3, 3, 1, 1, 1)], "relu"),
                                 FLAT, dense(2)], "half_sse", 2, "ResNet-style residual of two 'same' conv1d"),
    ("conv2d-maxpool", [1, 6, 6], [conv2d(2, 3, padding=1, act="tanh"), pool("max_pool2d", 2), FLAT,
                                   dense(3, "softmax")], "cross_entropy", 2, "conv2d 'same', max_pool2d k2"),
    ("conv1d-maxpool", [1, 8], [conv1d(3, 2, act="leaky_relu"), pool("max_pool1d", 3, 1), FLAT, dense(1)],
     "sse", 2, "conv1d, overlapping max_pool1d k3 stride 1"),
    ("layernorm-mlp", 4, [dense(5, "tanh"), norm("layer_norm"), dense(2)], "mse", 3,
     "layer_norm on a vector"),
    ("layernorm-prenorm-seq", [3, 4], [dense(4), residual([norm("layer_norm"), dense(4, "gelu"), dense(4)]), FLAT,
                                       dense(2, "sigmoid")], "bce", 3,
     "[T, F] sequence, pre-norm residual block with layer_norm first"),
    ("batchnorm-mlp", 3, [dense(4, "tanh"), norm("batch_norm", act="relu"), dense(2)], "half_sse", 4,
     "batch_norm on [N, F], 4 samples"),
    ("batchnorm-conv2d", [1, 5, 5], [conv2d(2, 2, act="tanh"), norm("batch_norm"), pool("avg_pool2d", 2), FLAT,
                                     dense(2)], "sse", 2, "batch_norm on [N, C, H, W]"),
    ("residual-mlp", 3, [dense(4, "tanh"), residual([dense(5, "relu"), dense(4)], "tanh"), dense(2)], "mse", 3,
     "dense residual block, tanh after the sum"),
    ("residual-nested", 3, [dense(4), residual([dense(4, "tanh"), residual([dense(3, "tanh"), dense(4)]),
                                                norm("layer_norm")]), dense(2, "sigmoid")], "bce", 3,
     "nested residual: the inner block is layer 2.2"),
    ("embedding-mlp", [5], [L("embedding", vocabulary=6, dim=3), dense(4, "tanh"), FLAT, dense(2)], "mse", 3,
     "embedding, dense per step, flatten, dense"),
    ("embedding-norm-residual", [6], [L("embedding", vocabulary=4, dim=3), norm("layer_norm"),
                                      residual([dense(3, "gelu"), dense(3)]), FLAT, dense(1)], "sse", 2,
     "embedding, layer_norm on the [T, D] sequence, residual block, flatten, dense"),
]

# spec, fault, position of the faulty layer (None for "none")
CASES = [
    ("conv1d-strided", "kernel_not_flipped", "2"),
    ("conv2d-pairs", "kernel_not_flipped", "2"),
    ("conv1d-residual", "kernel_not_flipped", "2.2"),
    ("conv2d-pairs", "backward_padding_wrong", "2"),
    ("conv1d-residual", "backward_padding_wrong", "2.1"),
    ("conv2d-maxpool", "backward_padding_wrong", "1"),
    ("conv1d-strided", "backward_stride_wrong", "2"),
    ("conv2d-pairs", "backward_stride_wrong", "2"),
    ("conv2d-maxpool", "max_pool_routed_wrong", "2"),
    ("conv1d-maxpool", "max_pool_routed_wrong", "2"),
    ("conv2d-maxpool", "max_pool_spread", "2"),
    ("conv1d-maxpool", "max_pool_spread", "2"),
    ("layernorm-mlp", "norm_statistics_as_constants", "2"),
    ("batchnorm-mlp", "norm_statistics_as_constants", "2"),
    ("embedding-norm-residual", "norm_statistics_as_constants", "2"),
    ("layernorm-prenorm-seq", "norm_variance_term_missing", "2.1"),
    ("batchnorm-conv2d", "norm_variance_term_missing", "2"),
    ("residual-mlp", "residual_identity_missing", "2"),
    ("conv1d-residual", "residual_identity_missing", "2"),
    ("residual-nested", "residual_identity_missing", "2.2"),
    ("embedding-mlp", "embedding_not_accumulated", "1"),
    ("embedding-norm-residual", "embedding_not_accumulated", "1"),
    ("conv1d-residual", "none", None),
    ("conv2d-maxpool", "none", None),
    ("batchnorm-mlp", "none", None),
    ("embedding-norm-residual", "none", None),
]


# ---- geometry helpers -------------------------------------------------------------------------------

def key(sfx):
    return tuple(int(v) for v in sfx.split("."))


def param_suffix(name):
    return re.fullmatch(r"(?:W|b|gamma|beta|E)([0-9.]+)", name).group(1)  # W1, b2.1, gamma3 -> "1", "2.1", "3"


def find_layer(layers, pos):
    parts = key(pos)
    layer = layers[parts[0] - 1]
    for k in parts[1:]:
        layer = layer["layers"][k - 1]
    return layer


def sl(n):
    return (slice(None),) * n


# ---- the faulty layers: torch forward, hand-written backward ---------------------------------------

def conv_position(rule, q, k, s, p, d):
    """The input position that output position q and kernel offset k touch, per axis, under a rule."""
    if rule == "backward_padding_wrong":
        return q * s + k * d         # -padding forgotten
    if rule == "backward_stride_wrong":
        return q * 1 - p + k * d     # stride taken as 1
    return q * s - p + k * d         # correct (also kernel_not_flipped: the position is right)


def conv_backward_loops(x, W, g, s, p, d, rule):
    """(dx, dW) by explicit loops over output positions q and kernel offsets k:
    dx[pos(q, k)] += g[q] W[k'] and dW[k] += g[q] x[pos(q, k)], positions outside the input dropped;
    k' = k, or the kernel reversed (K-1-k per axis) for the input path under kernel_not_flipped."""
    n = x.dim() - 2
    space, kernel, out = tuple(x.shape[2:]), tuple(W.shape[2:]), tuple(g.shape[2:])
    dx, dW = torch.zeros_like(x), torch.zeros_like(W)
    for q in itertools.product(*[range(m) for m in out]):
        gq = g[sl(2) + q]                                                       # [N, O]
        for k in itertools.product(*[range(m) for m in kernel]):
            pos = tuple(conv_position(rule, q[i], k[i], s[i], p[i], d[i]) for i in range(n))
            if not all(0 <= pos[i] < space[i] for i in range(n)):
                continue
            kw = tuple(kernel[i] - 1 - k[i] for i in range(n)) if rule == "kernel_not_flipped" else k
            dx[sl(2) + pos] += gq @ W[sl(2) + kw]                               # [N, O] @ [O, C]
            dW[sl(2) + k] += gq.t() @ x[sl(2) + pos]                            # [O, N] @ [N, C]
    return dx, dW


class ConvFault(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, W, b, s, p, d, rule):
        ctx.save_for_backward(x, W)
        ctx.geometry, ctx.rule = (s, p, d), rule
        return (F.conv1d if x.dim() == 3 else F.conv2d)(x, W, b, stride=s, padding=p, dilation=d)

    @staticmethod
    def backward(ctx, g):
        x, W = ctx.saved_tensors
        dx, dW = conv_backward_loops(x, W, g, *ctx.geometry, ctx.rule)
        db = g.sum(dim=[0] + list(range(2, g.dim())))
        return dx, dW, db, None, None, None, None


def pool_windows(x_space, k, s):
    out = tuple(ref.pool_out(x_space[i], k[i], s[i]) for i in range(len(k)))
    offsets = list(itertools.product(*[range(m) for m in k]))   # row-major order inside a window
    for q in itertools.product(*[range(m) for m in out]):
        yield q, [tuple(q[i] * s[i] + o[i] for i in range(len(k))) for o in offsets]


class MaxPoolFault(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k, s, rule):
        ctx.save_for_backward(x)
        ctx.geometry, ctx.rule = (k, s), rule
        return (F.max_pool1d if x.dim() == 3 else F.max_pool2d)(x, kernel_size=k, stride=s)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        k, s = ctx.geometry
        dx = torch.zeros_like(x)
        for q, cells in pool_windows(tuple(x.shape[2:]), k, s):
            gq = g[sl(2) + q]                                                   # [N, C]
            if ctx.rule == "max_pool_routed_wrong":
                dx[sl(2) + cells[0]] += gq
            elif ctx.rule == "max_pool_spread":
                for c in cells:
                    dx[sl(2) + c] += gq / len(cells)
            else:
                arg = torch.stack([x[sl(2) + c] for c in cells], dim=-1).argmax(dim=-1)   # [N, C]
                for j, c in enumerate(cells):
                    dx[sl(2) + c] += gq * (arg == j).to(DT)
        return dx, None, None, None


def norm_axes(kind, x):
    """(axes of one normalisation group, axes gamma / beta gradients sum over, shape gamma broadcasts to)."""
    if kind == "layer_norm":
        return [x.dim() - 1], list(range(x.dim() - 1)), (1,) * (x.dim() - 1) + (x.shape[-1],)
    axes = [0] + list(range(2, x.dim()))
    return axes, axes, (1, x.shape[1]) + (1,) * (x.dim() - 2)


def norm_forward(kind, x, gamma, beta, eps):
    if kind == "layer_norm":
        return F.layer_norm(x, (x.shape[-1],), gamma, beta, eps)
    return F.batch_norm(x, None, None, gamma, beta, training=True, momentum=0.0, eps=eps)


class NormFault(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps, kind, rule):
        ctx.save_for_backward(x, gamma)
        ctx.eps, ctx.kind, ctx.rule = eps, kind, rule
        return norm_forward(kind, x, gamma, beta, eps)

    @staticmethod
    def backward(ctx, g):
        x, gamma = ctx.saved_tensors
        group, param_axes, gshape = norm_axes(ctx.kind, x)
        mean = x.mean(dim=group, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=group, keepdim=True)          # biased
        sigma = torch.sqrt(var + ctx.eps)
        xhat = (x - mean) / sigma
        gy = gamma.reshape(gshape) * g
        if ctx.rule == "norm_statistics_as_constants":
            dx = gy / sigma
        elif ctx.rule == "norm_variance_term_missing":
            dx = (gy - gy.mean(dim=group, keepdim=True)) / sigma
        else:
            dx = (gy - gy.mean(dim=group, keepdim=True) - xhat * (gy * xhat).mean(dim=group, keepdim=True)) / sigma
        return dx, (g * xhat).sum(dim=param_axes), g.sum(dim=param_axes), None, None, None


class SkipFault(torch.autograd.Function):
    """The identity path of a residual block: forward x; backward g (correct) or 0 (identity missing)."""

    @staticmethod
    def forward(ctx, x, rule):
        ctx.rule = rule
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return (torch.zeros_like(g) if ctx.rule == "residual_identity_missing" else g), None


class EmbeddingFault(torch.autograd.Function):
    @staticmethod
    def forward(ctx, ids, E, rule):
        ctx.save_for_backward(ids)
        ctx.size, ctx.rule = tuple(E.shape), rule
        return F.embedding(ids, E)

    @staticmethod
    def backward(ctx, g):
        (ids,) = ctx.saved_tensors
        dE = torch.zeros(ctx.size, dtype=DT)
        rows = g.reshape(-1, ctx.size[1])
        for i, v in enumerate(ids.reshape(-1).tolist()):   # row-major: sample, then position
            if ctx.rule == "embedding_not_accumulated":
                dE[v] = rows[i]                               # assigned: the last occurrence wins
            else:
                dE[v] += rows[i]
        return None, dE, None


# ---- the second formulation of each fault: autograd of a rewritten op (straight-through value) -----

def straight_through(value, alt):
    """The value of the correct op, the gradient of alt."""
    return value.detach() + (alt - alt.detach())


def last_occurrence_mask(ids):
    flat = ids.reshape(-1).tolist()
    last = {v: i for i, v in enumerate(flat)}
    mask = torch.zeros(len(flat), dtype=DT)
    for i in last.values():
        mask[i] = 1.0
    return mask.reshape(tuple(ids.shape) + (1,))


def alt_op(t, layer, a, P, sfx, fault):
    if t in ("conv1d", "conv2d"):
        n = 1 if t == "conv1d" else 2
        conv = F.conv1d if n == 1 else F.conv2d
        _, s, p, d = ref.conv_geometry(layer, n)
        W, b = P["W" + sfx], P["b" + sfx]
        value = conv(a, W, b, stride=s, padding=p, dilation=d)
        if fault == "kernel_not_flipped":   # dW, db of the true conv; dx of the conv with the reversed kernel
            alt = conv(a.detach(), W, b, stride=s, padding=p, dilation=d) + \
                conv(a, W.detach().flip(list(range(2, 2 + n))), None, stride=s, padding=p, dilation=d)
        elif fault == "backward_padding_wrong":   # zeros on the far side only: position q*s + k*d
            pad = []
            for i in reversed(range(n)):
                pad += [0, 2 * p[i]]
            alt = conv(F.pad(a, pad), W, b, stride=s, padding=0, dilation=d)
        else:   # backward_stride_wrong: the first Q outputs of the stride-1 conv
            full = conv(a, W, b, stride=1, padding=p, dilation=d)
            alt = full[sl(2) + tuple(slice(0, m) for m in value.shape[2:])]
        assert alt.shape == value.shape
        return straight_through(value, alt)
    if t in ("max_pool1d", "max_pool2d"):
        n = int(t[-2])
        k, s = ref.pool_geometry(layer, n)
        value = getattr(F, t)(a, kernel_size=k, stride=s)
        if fault == "max_pool_spread":
            alt = getattr(F, "avg_pool%dd" % n)(a, kernel_size=k, stride=s)
        else:   # routed to the first entry: the strided sub-grid of window corners
            alt = a[sl(2) + tuple(slice(0, s[i] * value.shape[2 + i], s[i]) for i in range(n))]
        return straight_through(value, alt)
    if t in ("layer_norm", "batch_norm"):
        eps = layer.get("eps", ref.DEFAULT_EPS)
        gamma, beta = P["gamma" + sfx], P["beta" + sfx]
        group, _, gshape = norm_axes(t, a)
        mean = a.mean(dim=group, keepdim=True)
        var = ((a - mean) ** 2).mean(dim=group, keepdim=True)
        if fault == "norm_statistics_as_constants":
            mean, var = mean.detach(), var.detach()
        else:
            var = var.detach()
        alt = (a - mean) / torch.sqrt(var + eps) * gamma.reshape(gshape) + beta.reshape(gshape)
        return straight_through(norm_forward(t, a, gamma, beta, eps), alt)
    if t == "embedding":
        E = P["E" + sfx]
        value = F.embedding(a, E)
        mask = last_occurrence_mask(a)
        return straight_through(value, value * mask + value.detach() * (1.0 - mask))
    raise ValueError(t)


# ---- this script's torch forward, with one layer swapped for a faulty one ---------------------------

def layer_forward(layer, a, P, sfx, fault):
    """(activation output, pre-activation).  fault = None or (rule, position, implementation) with
    implementation "function" (the hand-written backward, rule = a fault name or "correct") or "alt"."""
    t = layer["type"]
    here = fault is not None and fault[1] == sfx
    rule, impl = (fault[0], fault[2]) if here else (None, None)
    if here and impl == "alt" and t != "residual":
        z = alt_op(t, layer, a, P, sfx, rule)
    elif t == "dense":
        z = F.linear(a, P["W" + sfx], P["b" + sfx])
    elif t in ("conv1d", "conv2d"):
        _, s, p, d = ref.conv_geometry(layer, 1 if t == "conv1d" else 2)
        if here:
            z = ConvFault.apply(a, P["W" + sfx], P["b" + sfx], s, p, d, rule)
        else:
            z = (F.conv1d if t == "conv1d" else F.conv2d)(a, P["W" + sfx], P["b" + sfx], stride=s, padding=p,
                                                          dilation=d)
    elif t in ("max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"):
        k, s = ref.pool_geometry(layer, int(t[-2]))
        if here:
            assert t.startswith("max")
            z = MaxPoolFault.apply(a, k, s, rule)
        else:
            z = getattr(F, t)(a, kernel_size=k, stride=s)
    elif t == "flatten":
        z = a.reshape(a.shape[0], -1)
    elif t in ("layer_norm", "batch_norm"):
        eps = layer.get("eps", ref.DEFAULT_EPS)
        if here:
            z = NormFault.apply(a, P["gamma" + sfx], P["beta" + sfx], eps, t, rule)
        else:
            z = norm_forward(t, a, P["gamma" + sfx], P["beta" + sfx], eps)
    elif t == "residual":
        h = a
        for k, sub in enumerate(layer["layers"], 1):
            h, _ = layer_forward(sub, h, P, ref.suffix_of(sfx, k), fault)
        if not here:
            skip = a
        elif impl == "alt":
            skip = a.detach() if rule == "residual_identity_missing" else a
        else:
            skip = SkipFault.apply(a, rule)
        z = skip + h
    elif t == "embedding":
        z = EmbeddingFault.apply(a, P["E" + sfx], rule) if here else F.embedding(a, P["E" + sfx])
    else:
        raise ValueError(t)
    return ref.t_act(layer.get("activation", "identity"), z), z


def batch(spec):
    x = spec["data"]["x"]
    ids = spec["layers"][0]["type"] == "embedding"
    return torch.tensor(x, dtype=torch.long if ids else DT), torch.tensor(spec["data"]["y"], dtype=DT)


def loss_of(spec, P, xt, yt, fault=None):
    a, z = xt, None
    for p, layer in enumerate(spec["layers"], 1):
        a, z = layer_forward(layer, a, P, str(p), fault)
    n, loss = a.shape[0], spec["loss"]
    if loss == "mse":
        per = ((a - yt) ** 2).reshape(n, -1).mean(dim=1)
    elif loss == "sse":
        per = ((a - yt) ** 2).reshape(n, -1).sum(dim=1)
    elif loss == "half_sse":
        per = 0.5 * ((a - yt) ** 2).reshape(n, -1).sum(dim=1)
    elif loss == "bce":
        per = -(yt * F.logsigmoid(z) + (1.0 - yt) * F.logsigmoid(-z)).reshape(n, -1).mean(dim=1)
    elif loss == "cross_entropy":
        per = -(yt * torch.log_softmax(z, dim=-1)).reshape(n, -1).sum(dim=1)
    else:
        raise ValueError(loss)
    return per.mean()


def leaves(spec, requires_grad=True):
    return {k: torch.tensor(v, dtype=DT, requires_grad=requires_grad) for k, v in spec["parameters"].items()}


def gradients(spec, fault=None):
    """(loss, {name: tensor}) of autograd through the forward with the given fault (None: correct)."""
    P = leaves(spec)
    xt, yt = batch(spec)
    Lv = loss_of(spec, P, xt, yt, fault)
    Lv.backward()
    return Lv.item(), {k: P[k].grad.detach().clone() for k in spec["parameters"]}


# ---- checks -----------------------------------------------------------------------------------------

def rel_err(a, b):
    """max over entries of |a - b| / max(1, |b|), over every tensor of two gradient dicts."""
    return max(float(((a[k] - b[k]).abs() / b[k].abs().clamp(min=1.0)).max()) for k in b)


def fd_check(spec, grads):
    P = leaves(spec, requires_grad=False)
    xt, yt = batch(spec)
    worst, where = 0.0, None
    with torch.no_grad():
        for name, T in P.items():
            flat, g = T.view(-1), grads[name].reshape(-1)
            for i in range(flat.numel()):
                v = flat[i].item()
                h = FD_STEP * max(1.0, abs(v))
                flat[i] = v + h
                lp = loss_of(spec, P, xt, yt).item()
                flat[i] = v - h
                lm = loss_of(spec, P, xt, yt).item()
                flat[i] = v
                fd = (lp - lm) / ((v + h) - (v - h))
                err = abs(fd - g[i].item()) / max(1.0, abs(g[i].item()))
                assert err <= FD_TOL, ("finite differences", spec["name"], name, i, fd, g[i].item(), err)
                if err >= worst:
                    worst, where = err, "%s[%d]" % (name, i)
    return worst, where


def draw(spec_def, index):
    name, inputs, layers, loss, samples, _ = spec_def
    spec = ref.draw_spec(random.Random(7000 + index), name, inputs, json.loads(json.dumps(layers)), loss, samples)
    text = ref.dumps(spec)
    spec = json.loads(text)            # every check runs on the parsed text
    info = ref.validate(spec)
    assert info.n_params <= MAX_PARAMS, (name, info.n_params)
    net = ref.NumpyNet(spec)
    net.loss()
    assert net.kink >= ref.KINK_MARGIN and net.pool_gap >= ref.POOL_MARGIN, name
    return spec, text, info, net


def pool_detail(spec, pos, layer):
    """Windows of the max pool at pos, and how many have their maximum elsewhere than the first entry."""
    P = leaves(spec, requires_grad=False)
    xt, _ = batch(spec)
    parts = key(pos)
    assert len(parts) == 1, "pool faults are placed at the top level"
    with torch.no_grad():
        a = xt
        for p, lay in enumerate(spec["layers"][:parts[0] - 1], 1):
            a, _ = layer_forward(lay, a, P, str(p), None)
    n = int(layer["type"][-2])
    k, s = ref.pool_geometry(layer, n)
    total = not_first = 0
    for q, cells in pool_windows(tuple(a.shape[2:]), k, s):
        vals = torch.stack([a[sl(2) + c] for c in cells], dim=-1)
        total += vals.shape[0] * vals.shape[1]
        not_first += int((vals.argmax(dim=-1) != 0).sum())
    return total, not_first


def make_detail(spec, fault, pos, info):
    if fault == "none":
        return {}
    layer = find_layer(spec["layers"], pos)
    t = layer["type"]
    detail = {"position": pos, "layer_type": t}
    if fault in CONV_FAULTS:
        n = 1 if t == "conv1d" else 2
        k, s, p, d = ref.conv_geometry(layer, n)
        assert t in ("conv1d", "conv2d")
        detail.update(kernel=list(k), stride=list(s), padding=list(p), dilation=list(d))
        if fault == "kernel_not_flipped":
            assert pos != "1" and max(k) > 1, "kernel_not_flipped needs a non-first conv with kernel > 1"
        if fault == "backward_padding_wrong":
            assert max(p) > 0
        if fault == "backward_stride_wrong":
            assert max(s) > 1
    elif fault in POOL_FAULTS:
        assert t in ("max_pool1d", "max_pool2d")
        k, s = ref.pool_geometry(layer, int(t[-2]))
        total, not_first = pool_detail(spec, pos, layer)
        assert not_first > 0, "every window's maximum is its first entry"
        detail.update(kernel=list(k), stride=list(s), windows=total, windows_max_not_first=not_first)
    elif fault in NORM_FAULTS:
        assert t in ("layer_norm", "batch_norm")
        detail.update(eps=layer.get("eps", ref.DEFAULT_EPS),
                      group="last axis" if t == "layer_norm" else "samples and positions of a channel")
    elif fault == "residual_identity_missing":
        assert t == "residual"
        before = [n for n, _, _, _ in info.params if key(param_suffix(n)) < key(pos)]
        assert before, "a parameterised layer must come before the block"
        detail.update(block=[sub["type"] for sub in layer["layers"]])
    elif fault == "embedding_not_accumulated":
        assert t == "embedding"
        flat = ref.flatten(spec["data"]["x"])
        repeated = sorted(v for v in set(flat) if flat.count(v) > 1)
        assert repeated and any(len(set(s)) < len(s) for s in spec["data"]["x"])
        detail.update(vocabulary=layer["vocabulary"], repeated_ids=repeated)
    return detail


def describe(fault, detail):
    if fault == "none":
        return "none: plain autograd (a correct claim)"
    where = "layer %s (%s)" % (detail["position"], detail["layer_type"])
    text = {
        "kernel_not_flipped": "the input gradient of %s is the transposed convolution with the kernel reversed "
                              "along every spatial axis; weight and bias gradients correct",
        "backward_padding_wrong": "the backward of %s maps output q, kernel offset k to input position "
                                  "q*stride + k*dilation (-padding forgotten), dropping positions outside the "
                                  "input, for the input and the weight gradient; bias correct",
        "backward_stride_wrong": "the backward of %s maps output q, kernel offset k to q*1 - padding + "
                                 "k*dilation (stride taken as 1) for the input and the weight gradient; bias correct",
        "max_pool_routed_wrong": "the backward of %s sends each window's gradient to the window's first entry "
                                 "(row-major), not to its maximum",
        "max_pool_spread": "the backward of %s spreads g / window size over every entry of the window "
                           "(avg pooling's rule)",
        "norm_statistics_as_constants": "the input gradient of %s is gamma*g/sigma (mean and variance treated "
                                        "as constants); gamma and beta gradients correct",
        "norm_variance_term_missing": "the input gradient of %s is (gamma*g - mean(gamma*g))/sigma (the "
                                      "-xhat*mean(gamma*g*xhat) term dropped); gamma and beta gradients correct",
        "residual_identity_missing": "the backward of the residual block %s passes dL/dy only to the block's "
                                     "output, not along the identity to its input",
        "embedding_not_accumulated": "the weight gradient of %s assigns each occurrence's row instead of "
                                     "accumulating: a repeated id gets the gradient of its last occurrence only",
    }[fault]
    return "%s: %s" % (fault, text % where)


def fault_case(spec, fault, pos, info, good_loss, good):
    """The faulty gradient, checked: returns (bad, measurements)."""
    name = spec["name"]
    loss_bad, bad = gradients(spec, (fault, pos, "function"))
    assert loss_bad == good_loss, (name, fault, "faulty forward changes the loss")
    # the hand-written backward with the correct rule reproduces autograd
    loss_c, with_correct_rule = gradients(spec, ("correct", pos, "function"))
    assert loss_c == good_loss
    machinery = rel_err(with_correct_rule, good)
    assert machinery <= CROSS_TOL, (name, fault, "correct rule vs autograd", machinery)
    # the second formulation
    loss_alt, alt = gradients(spec, (fault, pos, "alt"))
    assert loss_alt == good_loss, (name, fault, "alt forward changes the loss")
    second = rel_err(bad, alt)
    assert second <= CROSS_TOL, (name, fault, "two formulations disagree", second)
    # which tensors change
    changed, own_left = {}, 0.0
    for pname, _, _, _ in info.params:
        g, b = good[pname], bad[pname]
        scale = float(g.abs().max())
        diff = float((b - g).abs().max())
        rel = diff / scale if scale > 0 else (math.inf if diff > 0 else 0.0)
        k = key(param_suffix(pname))
        if k > key(pos):                                     # downstream (or inside the faulty block)
            assert torch.equal(b, g), (name, fault, pname, "downstream tensor changed")
            continue
        if k == key(pos):
            faulty_own = (fault in ("backward_padding_wrong", "backward_stride_wrong") and pname.startswith("W")) \
                or fault == "embedding_not_accumulated"
            if not faulty_own:                               # the fault leaves this one correct
                assert rel_err({pname: b}, {pname: g}) <= CROSS_TOL, (name, fault, pname, "own tensor changed")
                own_left = max(own_left, rel_err({pname: b}, {pname: g}))
                continue
        assert rel > CHANGE_REL, (name, fault, pname, "tensor expected to change did not", rel)
        changed[pname] = rel
    assert changed, (name, fault, "nothing changed")
    max_abs = max(float((bad[k] - good[k]).abs().max()) for k in good)
    return bad, {"changed": changed, "max_abs_change": max_abs, "machinery": machinery, "second": second,
                 "own_left": own_left, "correct_rule": with_correct_rule}


# ---- output -----------------------------------------------------------------------------------------

def as_lists(grads, order):
    return {k: grads[k].tolist() for k in order}


def build():
    """Every file's text, and the rows / measurements for the README."""
    specs, files, spec_rows = {}, {}, []
    for index, spec_def in enumerate(SPECS):
        spec, text, info, net = draw(spec_def, index)
        name = spec["name"]
        loss, good = gradients(spec)
        ref_loss, ref_grads = ref.torch_gradients(spec)
        ref_err = rel_err(good, {k: torch.tensor(v, dtype=DT) for k, v in ref_grads.items()})
        assert ref_err <= REF_TOL and abs(ref_loss - loss) <= REF_TOL * max(1.0, abs(loss)), (name, ref_err)
        fd, fd_at = fd_check(spec, good)
        specs[name] = (spec, info, loss, good)
        files[name + ".spec.json"] = text
        spec_rows.append({"name": name, "spec": spec, "info": info, "description": spec_def[5], "fd": fd,
                          "fd_at": fd_at, "ref": ref_err, "kink": net.kink, "gap": net.pool_gap,
                          "good": good})
    manifest, case_rows = [], []
    for spec_name, fault, pos in CASES:
        spec, info, loss, good = specs[spec_name]
        detail = make_detail(spec, fault, pos, info)
        if fault == "none":
            bad, m = good, {"changed": {}, "max_abs_change": 0.0, "correct_rule": good}
        else:
            bad, m = fault_case(spec, fault, pos, info, loss, good)
        case = "%s.%s" % (spec_name, fault)
        order = list(spec["parameters"])
        correct = case + ".claimed.json" if fault == "none" else case + ".correct.json"
        if fault != "none":
            files[correct] = ref.dumps({"gradients": as_lists(m.pop("correct_rule"), order), "loss": loss,
                                        "producer": PRODUCER, "fault": "none: the same backward, correct rule"})
        m.pop("correct_rule", None)
        claimed = {"gradients": as_lists(bad, order), "loss": loss, "producer": PRODUCER,
                   "fault": describe(fault, detail)}
        files[case + ".claimed.json"] = ref.dumps(claimed)
        manifest.append({"case": case, "spec": spec_name + ".spec.json", "claimed": case + ".claimed.json",
                         "correct": correct,
                         "fault": fault, "expect": "accepted" if fault == "none" else "flagged", "detail": detail,
                         "changed": {k: float("%.3g" % v) for k, v in m["changed"].items()},
                         "max_abs_change": float("%.3g" % m["max_abs_change"])})
        case_rows.append(dict(m, case=case, fault=fault, detail=detail, spec=spec_name))
    names = [c["case"] for c in manifest]
    assert len(set(names)) == len(names)
    for f in FAULTS:   # coverage: every fault at least twice, on different networks
        assert len({c["spec"] for c in manifest if c["fault"] == f}) >= 2, f
    for f in CONV_FAULTS:
        assert {c["detail"]["layer_type"] for c in manifest if c["fault"] == f} >= {"conv1d", "conv2d"}, f
    for f in POOL_FAULTS:
        assert {c["detail"]["layer_type"] for c in manifest if c["fault"] == f} >= {"max_pool1d", "max_pool2d"}, f
    for f in NORM_FAULTS:
        assert {c["detail"]["layer_type"] for c in manifest if c["fault"] == f} >= {"layer_norm", "batch_norm"}, f
    assert sum(c["fault"] == "none" for c in manifest) == 4
    files["manifest.json"] = ref.dumps({
        "producer": PRODUCER,
        "paths": "relative to this directory (src/test/resources/reference/layered-planted/)",
        "expect": "accepted: verify must pass (exit 0); flagged: verify must fail (exit 1)",
        "changed": "per case: the tensors whose claimed gradient differs from the correct one by more than 1e-6 "
                   "of the tensor's largest entry, with max|claimed - correct| / max|correct|",
        "cases": manifest})
    data_digest = digest({k: v for k, v in files.items()})
    files["README.md"] = readme(spec_rows, case_rows, data_digest)
    return files, spec_rows, case_rows


def digest(files):
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name].encode("utf-8") + b"\0")
    return h.hexdigest()


def g2(v):
    return "%.2g" % v


def readme(spec_rows, case_rows, data_digest):
    out = []
    add = out.append
    faulty = [r for r in case_rows if r["fault"] != "none"]
    add("# Planted gradient faults in layered networks (test data for `verify`)")
    add("")
    add("Wrong gradients of layered networks, each what a buggy backward pass of ONE layer computes, and four")
    add("correct ones, for `chainproof verify SPEC --gradients CLAIMED.json`. Produced **independently of the")
    add("Java code** by `src/test/python/make_layered_planted.py` with PyTorch %s in float64 (this file is" % torch.__version__)
    add("written by that script too). The forward pass is always the correct one: a faulty layer is a")
    add("`torch.autograd.Function` whose forward is the PyTorch op and whose backward is written out by hand")
    add("(explicit loops for convolution and pooling) with the wrong rule; every other layer uses autograd.")
    add("")
    add("## Files")
    add("")
    add("| file | content |")
    add("|------|---------|")
    add("| `<spec>.spec.json` | a layered spec in exactly the format of `../layered/` (see `../layered/README.md`) |")
    add("| `<spec>.<fault>.correct.json` | the same layout: the faulty layer's hand-written backward run with the correct rule (check 3), what the planted fault must differ from |")
    add("| `<spec>.<fault>.claimed.json` | `{\"gradients\": {name: ...}, \"loss\": L, \"producer\", \"fault\": \"<fault>: <description>\"}`; gradients in PyTorch shapes, ordered like `parameters`; `loss` is the correct L |")
    add("| `manifest.json` | `{\"cases\": [...]}`; per case `case`, `spec`, `claimed`, `correct` (the claim's fault-free twin; a correct claim's is itself) (paths relative to this directory), `fault`, `expect` (`flagged` / `accepted`), `detail` (`position`, `layer_type`, and the fault's hyper-parameters), `changed` (tensor → max\\|claimed − correct\\| / max\\|correct\\|, for every tensor changed by more than 1e-6 of its largest entry) and `max_abs_change` |")
    add("")
    add("Positions follow the layered contract: the layer at list position p owns W{p}, b{p}, gamma{p}, beta{p},")
    add("E{p}; the k-th layer of the residual block at p is p.k (its parameters W{p}.{k}, …).")
    add("")
    add("## Faults")
    add("")
    add("| fault | layer | the wrong backward rule (correct one in brackets) |")
    add("|-------|-------|-------------------------------------------------|")
    add("| `kernel_not_flipped` | conv1d / conv2d, not first, kernel > 1 | input gradient: transposed convolution with the kernel reversed along every spatial axis, dx[q·s − p + k·d] += g[q]·W[K−1−k] [W[k]]; dW, db correct |")
    add("| `backward_padding_wrong` | conv with padding > 0 | output q and kernel offset k map to input position q·s + k·d [q·s − p + k·d], per axis; positions outside the input dropped; for dx **and** dW; db correct |")
    add("| `backward_stride_wrong` | conv with stride > 1 | q·1 − p + k·d [q·s − p + k·d] for dx and dW; db correct |")
    add("| `max_pool_routed_wrong` | max_pool1d / 2d | each window's g goes to the window's first entry in row-major order [its maximum] |")
    add("| `max_pool_spread` | max_pool1d / 2d | g / (window size) to every entry of the window [all of g to the maximum] |")
    add("| `norm_statistics_as_constants` | layer_norm, batch_norm (training mode) | dx = γ·g/σ [(γg − mean(γg) − x̂·mean(γg·x̂))/σ], σ = √(biased var + eps); dγ, dβ correct |")
    add("| `norm_variance_term_missing` | layer_norm, batch_norm | dx = (γg − mean(γg))/σ: the −x̂·mean(γg·x̂) term dropped; dγ, dβ correct |")
    add("| `residual_identity_missing` | residual y = act(x + F(x)) | ∂L/∂(x + F(x)) reaches F's output only, not x [both]; a parameterised layer sits before the block |")
    add("| `embedding_not_accumulated` | embedding | the dE row of an id is assigned at each occurrence [accumulated]: an id occurring more than once in the batch gets the gradient of its last occurrence (row-major: sample, then position) |")
    add("| `none` | — | plain autograd: a correct claim |")
    add("")
    add("The mean of a norm's group runs over the last axis (layer_norm) or over the samples and positions of")
    add("a channel (batch_norm). Only the faulty layer's backward is wrong: tensors of later layers are bitwise")
    add("the correct ones, tensors of earlier layers change through the wrong input gradient.")
    add("")
    add("## Cases")
    add("")
    add("| case | fault | position | layer | changed tensors (max\\|Δ\\| / max\\|g\\|) | max\\|Δ\\| | expect |")
    add("|------|-------|----------|-------|------------------------------------------|-----------|--------|")
    for r in case_rows:
        d = r["detail"]
        ch = ", ".join("%s %s" % (k, g2(v)) for k, v in r["changed"].items()) or "—"
        extra = ""
        if r["fault"] in CONV_FAULTS:
            extra = " k%s s%s p%s d%s" % tuple(ref.hp(d[x]) for x in ("kernel", "stride", "padding", "dilation"))
        elif r["fault"] in POOL_FAULTS:
            extra = " k%s s%s, %d/%d windows max not first" % (ref.hp(d["kernel"]), ref.hp(d["stride"]),
                                                                d["windows_max_not_first"], d["windows"])
        elif r["fault"] == "embedding_not_accumulated":
            extra = ", repeated ids %s" % ref.hp(d["repeated_ids"])
        add("| `%s` | %s | %s | %s%s | %s | %s | %s |" % (
            r["case"], r["fault"], d.get("position", "—"), d.get("layer_type", "—"), extra, ch,
            g2(r["max_abs_change"]) if r["fault"] != "none" else "0",
            "accepted" if r["fault"] == "none" else "flagged"))
    add("")
    add("## Specs")
    add("")
    add("| spec | input | layers | loss | samples | params | |")
    add("|------|-------|--------|------|---------|--------|---|")
    for r in spec_rows:
        spec = r["spec"]
        inputs = spec["inputs"]
        add("| `%s` | %s | %s | %s | %d | %d | %s |" % (
            r["name"], inputs if isinstance(inputs, int) else ref.shape_text(inputs), ref.arch_text(spec),
            spec["loss"], len(spec["data"]["x"]), r["info"].n_params, r["description"]))
    add("")
    add("Values are drawn by `make_layered_reference.draw_spec` with `random.Random(7000 + index)` (index in")
    add("the table above), the generator of `../layered/`: weights and biases U(−1, 1)/√fan_in, gamma")
    add("U(0.5, 1.5), beta U(−0.5, 0.5), embedding rows U(−1, 1), x U(−2, 2), targets as there; all rounded")
    add("to 4 decimals before computing. A draw is rejected when a relu / leaky_relu pre-activation lies")
    add("within 1e-4 of 0 or a max-pool window's two largest values are within 1e-4 (smallest here: |z| %s,"
        % g2(min(r["kink"] for r in spec_rows if math.isfinite(r["kink"]))))
    add("gap %s), and embedding data is redrawn until a sequence repeats an id."
        % g2(min(r["gap"] for r in spec_rows if math.isfinite(r["gap"]))))
    add("")
    add("## Checks done by the generator (it aborts on any failure)")
    add("")
    worst_fd = max(spec_rows, key=lambda r: r["fd"])
    worst_ref = max(r["ref"] for r in spec_rows)
    worst_mach = max(faulty, key=lambda r: r["machinery"])
    worst_second = max(faulty, key=lambda r: r["second"])
    smallest = min(((k, v, r["case"]) for r in faulty for k, v in r["changed"].items()), key=lambda e: e[1])
    smallest_case = min(faulty, key=lambda r: max(r["changed"].values()))
    add("1. Every spec validates against the layered contract (`make_layered_reference.validate`), has ≤ %d" % MAX_PARAMS)
    add("   parameters and 2–4 samples, and meets the relu / max-pool margins above.")
    add("2. The correct gradients (autograd through this script's own torch forward) agree with central")
    add("   differences (step 1e-6 · max(1, |p|)) to 1e-6, denominator max(1, |g|), for every parameter entry")
    add("   (worst %s, `%s` %s), and with the torch forward of `make_layered_reference`"
        % (g2(worst_fd["fd"]), worst_fd["name"], worst_fd["fd_at"]))
    add("   to 1e-13 (worst %s%s)." % (g2(worst_ref), ": bitwise equal" if worst_ref == 0 else ""))
    add("3. The hand-written backward of each faulty layer, run with the **correct** rule, reproduces autograd")
    add("   to 1e-12 with denominator max(1, |g|) (worst %s," % g2(worst_mach["machinery"]))
    add("   `%s`): only the rule differs." % worst_mach["case"])
    add("4. Each fault is computed a second, independent way, by autograd of a rewritten op that keeps the")
    add("   correct forward value (value.detach() + (alt − alt.detach())): for the input path the conv with the")
    add("   reversed kernel (kernel_not_flipped); the conv of the input zero-padded by 2·padding on the far side")
    add("   only, padding 0 (padding); the first Q outputs of the stride-1 conv (stride); strided slicing of the")
    add("   window corners (routed); avg_pool (spread); the norm with mean and variance / the variance detached")
    add("   (norm faults); a detached skip (residual); the embedding masked to each id's last occurrence")
    add("   (embedding). Both agree to 1e-12 (worst %s," % g2(worst_second["second"]))
    add("   `%s`)." % worst_second["case"])
    add("5. The faulty forward gives exactly the correct loss; every tensor of a later layer (and of the")
    add("   residual block itself for residual_identity_missing) is bitwise the correct one; the faulty layer's")
    add("   own tensors that the rule leaves correct agree to 1e-12 (worst %s); every tensor of an earlier"
        % g2(max(r["own_left"] for r in faulty)))
    add("   layer, the faulty conv's weight (padding, stride) and E (embedding) change by more than 1e-6 of the")
    add("   tensor's largest entry. Smallest such change: %s, %s in" % (g2(smallest[1]), smallest[0]))
    add("   `%s`; the case whose largest change is smallest:" % smallest[2])
    add("   `%s` (%s). Smallest max|Δ| of a fault: %s" % (smallest_case["case"],
        g2(max(smallest_case["changed"].values())), g2(min(r["max_abs_change"] for r in faulty))))
    add("   (`%s`), far above the ~1e-9 error of central differences."
        % min(faulty, key=lambda r: r["max_abs_change"])["case"])
    add("6. Max-pool faults: some window's maximum is not its first entry (counts in the table); embedding")
    add("   faults: some id occurs more than once, within a sequence too. Coverage: every fault on at least two")
    add("   networks, conv faults on conv1d and conv2d, pool faults on max_pool1d and max_pool2d, norm faults")
    add("   on layer_norm and batch_norm.")
    add("7. Determinism: the script runs itself again in a child process with another `PYTHONHASHSEED`; the")
    add("   SHA-256 over every file it writes must be identical, and the written files are read back and")
    add("   compared byte for byte. SHA-256 over the data files (everything but this README): `%s`." % data_digest)
    add("")
    add("## Decisions where the brief left room")
    add("")
    add("* `embedding_not_accumulated`: \"last occurrence\" is over the whole batch in row-major order (sample,")
    add("  then position), the order a loop `for n, for t: dE[id] = g[n, t]` writes in; ids that occur once")
    add("  get their correct row.")
    add("* `backward_padding_wrong`: positions q·s + k·d can only overshoot the input (never go negative);")
    add("  overshooting ones are dropped, so the fault both shifts and loses contributions.")
    add("* `backward_stride_wrong` keeps the −padding; with stride 1 along one axis (a pair stride [2, 1])")
    add("  that axis is unaffected.")
    add("* `kernel_not_flipped` is also placed on strided convs (the transposed convolution keeps stride,")
    add("  padding and dilation; only the kernel is reversed) and inside a residual block (`2.2`).")
    add("* `residual_identity_missing`: the block's activation derivative is still applied; the gradient")
    add("  ∂L/∂(x + F(x)) is what reaches F's output only. Parameters of the block itself are unaffected.")
    add("* The conv padding fault is also placed on a first layer (`conv2d-maxpool`, position 1): there only")
    add("  the weight gradient is wrong, which tests the weight path alone.")
    b1_good = float(next(r for r in spec_rows if r["name"] == "batchnorm-mlp")["good"]["b1"].abs().max())
    b1_rel = next(r for r in case_rows if r["case"] == "batchnorm-mlp.norm_statistics_as_constants")["changed"]["b1"]
    add("* No batch_norm follows a dense / conv directly (without an activation), so no parameter has a")
    add("  mathematically zero gradient (a bias right before a batch_norm would). In `batchnorm-mlp` the")
    add("  correct b1 gradient is small (largest entry %s: the batch mean removes most of it through the" % g2(b1_good))
    add("  tanh) and the statistics-as-constants fault makes it large: hence the relative change of %s." % g2(b1_rel))
    add("* The `none` cases reuse networks of the fault cases; their claim is plain autograd of this script's")
    add("  forward (checked against `make_layered_reference.torch_gradients` to 1e-13; bitwise equal on this")
    add("  torch build).")
    add("")
    add("## Regenerating")
    add("")
    add("From the repository root:")
    add("")
    add("    /usr/bin/python3 src/test/python/make_layered_planted.py")
    add("")
    add("Needs torch and numpy (Debian: python3-torch, python3-numpy) and imports")
    add("`make_layered_reference.py` (spec drawing, validation, JSON layout). Last generated with torch %s,"
        % torch.__version__)
    add("numpy %s, Python %s. Re-running produces byte-identical files (torch single-threaded, CPU float64)."
        % (np.__version__, sys.version.split()[0]))
    return "\n".join(out) + "\n"


def main(argv):
    files, spec_rows, case_rows = build()
    if "--digest" in argv:
        print(digest(files))
        return 0
    for r in case_rows:
        print("%-52s %-30s %-4s changed %s" % (r["case"], r["fault"], r["detail"].get("position", "-"),
                                               ", ".join("%s %.2g" % kv for kv in r["changed"].items()) or "-"))
    print("worst fd %.2g, vs reference forward %.2g, correct rule %.2g, two formulations %.2g"
          % (max(r["fd"] for r in spec_rows), max(r["ref"] for r in spec_rows),
             max(r.get("machinery", 0.0) for r in case_rows), max(r.get("second", 0.0) for r in case_rows)))
    # determinism: a second run in a child process must give the same bytes
    env = dict(os.environ, PYTHONHASHSEED="4242")
    child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--digest"], env=env,
                           capture_output=True, text=True, check=True)
    assert child.stdout.strip() == digest(files), ("not deterministic", child.stdout.strip(), digest(files))
    OUT.mkdir(parents=True, exist_ok=True)
    for path in sorted(OUT.glob("*.json")):
        if path.name not in files and path.name.endswith((".spec.json", ".claimed.json", ".correct.json")):
            path.unlink()
    for name, text in files.items():
        ref.write(OUT / name, text)
    for name, text in files.items():
        assert (OUT / name).read_bytes() == text.encode("utf-8"), name
    print("deterministic (child process digest %s); wrote %d files to %s" % (digest(files)[:16], len(files), OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
