/**
 * The operations a model is built from, one file each: {@link io.chainproof.ops.Op} is the contract — a fixed
 * output shape, the forward rule written once over {@link io.chainproof.number.Real} (so the same definition is
 * evaluated, complex-stepped, differentiated in forward mode and read as a symbolic expression), and the
 * backward rule (a vector–Jacobian product) assembled from local derivatives that the symbolic engine derives
 * from that definition ({@link io.chainproof.ops.LocalRules}). Elementwise activations share
 * {@link io.chainproof.ops.ElementwiseOp}; {@link io.chainproof.ops.Activations} maps the spec's activation names
 * to them. Nothing here starts Symja: the rules are asked for through {@code LocalRules}.
 */
package io.chainproof.ops;
