package io.chainproof.testing;

import io.chainproof.check.Estimate;
import io.chainproof.check.Localisation;
import io.chainproof.check.Oracle;
import io.chainproof.check.Verdict;
import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import org.opentest4j.AssertionFailedError;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Builds the failures of {@link GradientAssertions} in JUnit's shape,
 * {@code <message> ==> <reason>, expected: <x> but was: <y>} (no {@code <message> ==> } when the message is null
 * or blank), with expected and actual attached to the {@link AssertionFailedError}.
 */
final class Failures {


    private Failures() {
    }

    static AssertionFailedError failure(Supplier<String> message, String reason, Object expected, Object actual) {
        String m = message.get();
        String prefix = m == null || m.isBlank() ? "" : m.strip() + " ==> ";
        return new AssertionFailedError(prefix + reason + ", expected: <" + expected + "> but was: <" + actual + ">",
                expected, actual);
    }

    /** {@code |claimed − true| = 2.50e−1 > allowed 7.50e−9 (the complex step)}, or the non-finite value. */
    static String error(double claimed, Estimate oracle, Oracle decidedBy, Verdict verdict) {
        if (verdict instanceof Verdict.Disagrees d) {
            return "|claimed − true| = " + approx(d.error()) + " > allowed " + approx(d.allowed()) + " ("
                    + decidedBy.description() + ")";
        }
        if (verdict instanceof Verdict.NonFinite n) {
            return n.what() + " (" + decidedBy.description() + " gives " + oracle.value() + ")";
        }
        return verdict.label();
    }

    /**
     * The likely bug in lecture notation, e.g. {@code W2[0][1]: missing σ'(z₂) factor?}, from the localisation
     * of the whole report.
     */
    static String hint(NetworkSpec spec, ParameterId first, Localisation l) {
        int k = l.layer();
        String z = "z" + sub(k);
        // layer 0: a finding about every layer (float32 rounding), which names no activation
        String phi = k >= 1 && k <= spec.layers().size() ? phi(spec.layers().get(k - 1).activation()) : "φ";
        String what = switch (l.fault()) {
            case MISSING_ACTIVATION_DERIVATIVE -> "missing " + phi + "'(" + z + ") factor?";
            case ACTIVATION_INSTEAD_OF_DERIVATIVE -> phi + "(" + z + ") used in place of " + phi + "'(" + z + ")?";
            case DERIVATIVE_AT_OUTPUT -> phi + "'(o" + sub(k) + ") used in place of " + phi + "'(" + z + ")?";
            case SIGN_FLIPPED -> "sign flipped in layer " + k + "?";
            case MEAN_OVER_SAMPLES_MISSING -> "summed over the samples instead of averaged (claimed/true = "
                    + approx(l.factor()) + ")?";
            case SCALED -> "every gradient off by the factor " + approx(l.factor()) + "?";
            case PRE_ACTIVATION_INSTEAD_OF_ACTIVATION -> "z" + sub(k - 1) + " used in place of o" + sub(k - 1)
                    + " in ∂L/∂W" + sub(k) + "?";
            case BIAS_FROM_ONE_SAMPLE -> "bias gradient of layer " + k + " from one sample instead of the mean?";
            case ISOLATED_ENTRIES -> "a few wrong entries in layer " + k + ", the rest right?";
            case TRUNCATED_BPTT, TRANSPOSED, INPUT_GRADIENT_NOT_TRANSPOSED, KERNEL_NOT_FLIPPED, BACKWARD_PADDING_WRONG,
                 BACKWARD_STRIDE_WRONG, MAX_POOL_ROUTED_WRONG, MAX_POOL_SPREAD, NORM_STATISTICS_AS_CONSTANTS,
                 NORM_VARIANCE_TERM_MISSING, RESIDUAL_IDENTITY_MISSING, EMBEDDING_NOT_ACCUMULATED, ATTENTION_SCALE_MISSING,
                 CAUSAL_MASK_FORWARD_ONLY, SOFTMAX_JACOBIAN_TRANSPOSED, HEADS_CONCATENATED_WRONG, GATES_PERMUTED,
                 FORGET_PATH_MISSING, HIDDEN_CELL_GRADIENTS_SWAPPED, GRU_RESET_BEFORE_MATMUL, FLOAT32_ROUNDING, WRONG_CONSTANT -> l.explanation();
            case UNKNOWN -> "no known backprop fault fits; " + l.explanation();
        };
        return first.name() + ": " + what;
    }

    private static String phi(Activation activation) {
        return activation.op(1, 1).symbol();
    }

    static String sub(int n) {
        return Notation.subscript(n);
    }

    /** Three significant digits: {@code 3.17e−9}, {@code 125}, {@code 0.25}. */
    static String approx(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
                    .replace('-', '−');
        }
        String s = String.format(Locale.ROOT, "%.2e", v);
        int e = s.indexOf('e');
        return (s.substring(0, e) + "e" + Integer.parseInt(s.substring(e + 1))).replace('-', '−');
    }
}
