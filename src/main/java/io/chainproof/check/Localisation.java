package io.chainproof.check;

import java.util.Objects;

/**
 * Where a wrong gradient most likely went wrong: the layer and the chain-rule factor, found by
 * comparing the claimed gradients with the quantities of a correct backward pass (see {@link Localiser}).
 *
 * @param layer       the layer whose backward step is wrong (1-based); for faults that scale every layer,
 *                    the last layer; 0 for a model without layers (an RNN's tensors, a formula), whose
 *                    explanation names the tensors
 * @param fault       the recognised pattern
 * @param factor      for {@link Fault#SCALED} and {@link Fault#MEAN_OVER_SAMPLES_MISSING}: claimed / true; for
 *                    {@link Fault#TRUNCATED_BPTT} the number of steps k kept; else 1
 * @param explanation the finding in plain words
 */
public record Localisation(int layer, Fault fault, double factor, String explanation) {

    /** Recognised backprop faults. */
    public enum Fault {
        /** ∂L/∂z_l = ∂L/∂o_l: the activation derivative φ'(z_l) is missing. */
        MISSING_ACTIVATION_DERIVATIVE,
        /** φ(z_l) used where φ'(z_l) belongs. */
        ACTIVATION_INSTEAD_OF_DERIVATIVE,
        /** φ'(o_l) (at the output) instead of φ'(z_l) (at the pre-activation). */
        DERIVATIVE_AT_OUTPUT,
        /** The layer's weight or bias gradients have the wrong sign. */
        SIGN_FLIPPED,
        /** Every gradient is N times too large: summed over the N samples instead of averaged. */
        MEAN_OVER_SAMPLES_MISSING,
        /** Every gradient off by the same constant factor (e.g. a loss gradient halved). */
        SCALED,
        /** The weight gradient uses the previous layer's pre-activation z_{l−1} instead of its activation. */
        PRE_ACTIVATION_INSTEAD_OF_ACTIVATION,
        /** The bias gradient comes from one sample instead of the mean over all. */
        BIAS_FROM_ONE_SAMPLE,
        /** Backpropagation through time stopped after the last k steps of every loss term (factor = k). */
        TRUNCATED_BPTT,
        /** A square weight's gradient is the transpose of the true one (an indexing error). */
        TRANSPOSED,
        /** The gradient passed back to an affine map's input uses W where Wᵀ belongs. */
        INPUT_GRADIENT_NOT_TRANSPOSED,
        /** A convolution's input gradient uses the kernel in the wrong orientation (not flipped). */
        KERNEL_NOT_FLIPPED,
        /** A convolution's backward pass ignores its padding. */
        BACKWARD_PADDING_WRONG,
        /** A convolution's backward pass uses stride 1 where the forward pass did not. */
        BACKWARD_STRIDE_WRONG,
        /** Max pooling's gradient goes to the first entry of each window instead of its maximum. */
        MAX_POOL_ROUTED_WRONG,
        /** Max pooling's gradient is spread over each window, as for an average. */
        MAX_POOL_SPREAD,
        /** A layer or batch norm's backward pass treats the mean and variance as constants. */
        NORM_STATISTICS_AS_CONSTANTS,
        /** A layer or batch norm's backward pass leaves out the term through the variance. */
        NORM_VARIANCE_TERM_MISSING,
        /** A residual block's backward pass is missing its identity path. */
        RESIDUAL_IDENTITY_MISSING,
        /** An embedding's gradient keeps only the last occurrence of a repeated id. */
        EMBEDDING_NOT_ACCUMULATED,
        /** Attention's backward pass leaves out the 1/√d scale of the scores. */
        ATTENTION_SCALE_MISSING,
        /** A causal mask applied in attention's forward pass but not in its backward pass. */
        CAUSAL_MASK_FORWARD_ONLY,
        /** Attention's backward pass takes the softmax's vector–Jacobian product with the weights transposed. */
        SOFTMAX_JACOBIAN_TRANSPOSED,
        /** Attention's backward pass takes each head's gradient from another head's columns. */
        HEADS_CONCATENATED_WRONG,
        /** A gated recurrent layer's gradients are those of its weights read with the gates in another order. */
        GATES_PERMUTED,
        /** An LSTM's backpropagation through time leaves out the path through the cell state, ∂c_t/∂c_{t−1} = f_t. */
        FORGET_PATH_MISSING,
        /** An LSTM passes the gradient of h back as that of c, and c's as h's, between steps. */
        HIDDEN_CELL_GRADIENTS_SWAPPED,
        /** A GRU's gradients are those of the cell that applies the reset gate before W_hn, not after. */
        GRU_RESET_BEFORE_MATMUL,
        /**
         * A wrong constant: one activation's derivative (or one branch of it, e.g. leaky_relu's slope) or one layer's
         * parameter gradients off by a constant factor (factor = that constant's ratio to the right one).
         */
        WRONG_CONSTANT,
        /** Every wrong entry is within the rounding of a correct float32 backward pass: float32 gradients. */
        FLOAT32_ROUNDING,
        /** A few entries are wrong and the rest of the layer is right. */
        ISOLATED_ENTRIES,
        /** Wrong, but no known pattern fits. */
        UNKNOWN
    }

    /**
     * Validates the components.
     *
     * @param layer the layer whose backward step is wrong (1-based); for faults that scale every layer, the last
     *     layer
     * @param fault the recognised pattern
     * @param factor for {@link Fault#SCALED} and {@link Fault#MEAN_OVER_SAMPLES_MISSING}: claimed / true; else 1
     * @param explanation the finding in plain words
     */
    public Localisation {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(explanation, "explanation");
    }
}
