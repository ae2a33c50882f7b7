package io.chainproof.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks of {@code proofs/saturation-bound.md}, in the log domain, so that no point is decided by underflow:
 * σ'(z) is below the smallest double beyond |z| ≈ 745, where a check in doubles compares 0 with 0, but
 * log σ'(z) = −|z| − 2·log1p(e^{−|z|}) is a double of modest size for every finite z. Each check takes the
 * implementation under test as arguments — log σ' and the log of the bound — so that the same body runs on the
 * proof's forms ({@link LemmaTests}) and on broken ones ({@link LemmaSensitivityTests}).
 *
 * <p>The outside reference is {@code src/test/resources/reference/saturation/sigmoid-derivative.mpmath.json}: log σ'(z)
 * from mpmath at 50 digits, for |z| up to 5·10⁵ ({@code src/test/python/make_saturation_reference.py}).
 */
public final class SaturationLemma {

    /** The mpmath reference data. */
    public static final Path REFERENCE = Path.of("src/test/resources/reference/saturation/sigmoid-derivative.mpmath.json");
    /** ln 4: log(1/4) = −ln 4 is the bound's constant part. */
    private static final double LN4 = Math.log(4);
    /** Slack of a comparison of logs, in ulps of the larger: the logs are computed with a few roundings. */
    private static final int LOG_ULPS = 4;

    private SaturationLemma() {
    }

    /** The proof's symmetric form in the log domain: log σ'(z) = −|z| − 2·log1p(e^{−|z|}). */
    public static double logSigmoidPrime(double z) {
        double a = Math.abs(z);
        return -a - 2 * Math.log1p(Math.exp(-a));
    }

    /** The right side of (1) in the log domain: log min(1/4, e^{−|z|}) = min(−ln 4, −|z|). */
    public static double logBound(double z) {
        return Math.min(-LN4, -Math.abs(z));
    }

    /** z ↦ log σ'(z) from the mpmath data, read once; z must be one of its points. */
    public static DoubleUnaryOperator mpmathLogSigmoidPrime() {
        Map<Double, Double> values = reference();
        return z -> {
            Double v = values.get(z);
            if (v == null) {
                throw new IllegalArgumentException("z <" + z + "> is not a point of " + REFERENCE + "; its points: "
                        + values.keySet());
            }
            return v;
        };
    }

    /** The points z of the mpmath data, ascending. */
    public static double[] mpmathPoints() {
        return reference().keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** z ↦ the nearest double of σ'(z) from the mpmath data (0 below the smallest subnormal). */
    public static Map<Double, Double> mpmathSigmoidPrime() {
        Map<Double, Double> out = new TreeMap<>();
        for (JsonNode p : json().get("points")) {
            out.put(p.get("z").doubleValue(), p.get("sigmoid_prime").doubleValue());
        }
        return out;
    }

    /**
     * (1) at every z of {@code zs}, in the log domain: log σ'(z) ≤ log min(1/4, e^{−|z|}), and the bound is as tight
     * as the proof's form says — attained at z = 0, within 2 log1p(e^{−|z|}) ≤ 2e^{−|z|} where e^{−|z|} ≤ 1/4, and
     * within 2 log cosh(z/2) ≤ z²/4 where 1/4 is the smaller. A bound with the exponent off by one fails the first
     * (−|z| − 1) or the second (−|z| + 1) at every large z.
     *
     * @param zs              the points
     * @param logSigmoidPrime log σ' under test
     * @param logBound        the log of the bound under test
     */
    public static void assertBoundInTheLogDomain(double[] zs, DoubleUnaryOperator logSigmoidPrime,
                                                 DoubleUnaryOperator logBound) {
        for (double z : zs) {
            double value = logSigmoidPrime.applyAsDouble(z);
            double bound = logBound.applyAsDouble(z);
            double slack = LOG_ULPS * Math.ulp(Math.max(Math.abs(value), Math.abs(bound)));
            if (!(value <= bound + slack)) {
                fail("log σ'(" + z + ") ≤ log min(1/4, e^{−|z|}) ==> expected: <" + value + "> ≤ <" + bound + ">");
            }
            double gap = Math.abs(z) >= LN4 ? 2 * Math.exp(-Math.abs(z)) : z * z / 4;
            if (!(bound - value <= gap + slack)) {
                fail("the bound at z = " + z + " is looser than the proof's form allows ==> expected: log bound − "
                        + "log σ' = <" + (bound - value) + "> ≤ <" + gap + ">");
            }
        }
    }

    /**
     * (2) for a ≠ 0 on the weights w = 100·2^k, k = 0, 1, …, up to 10⁶, in the log domain: the local factor
     * log(|w|σ'(wa + b)) is at most log|w| + the log bound at wa + b, strictly decreasing from the first w with
     * |w||a| &gt; 2(1 + |b|) on, and below log 10⁻³⁰⁰ at the end.
     *
     * @param a               the input of the unit, not 0
     * @param b               its bias
     * @param logSigmoidPrime log σ' under test
     * @param logBound        the log of the bound under test
     */
    public static void assertWeightedFactorVanishes(double a, double b, DoubleUnaryOperator logSigmoidPrime,
                                                    DoubleUnaryOperator logBound) {
        double previous = Double.POSITIVE_INFINITY;
        double w = 100;
        for (; w <= 1e6; w *= 2) {
            double z = w * a + b;
            double factor = Math.log(w) + logSigmoidPrime.applyAsDouble(z);
            double bound = Math.log(w) + logBound.applyAsDouble(z);
            double slack = LOG_ULPS * Math.ulp(Math.max(Math.abs(factor), Math.abs(bound)));
            if (!(factor <= bound + slack)) {
                fail("log(|w|σ'(wa + b)) at w = " + w + " ==> expected: <" + factor + "> ≤ <" + bound + ">");
            }
            if (w * Math.abs(a) > 2 * (1 + Math.abs(b))) {
                // d/dw log(wσ'(wa + b)) = 1/w − |a|·tanh(|wa + b|/2) < 0 there: |wa + b| ≥ 2, tanh(1) > 1/2
                if (!(factor < previous)) {
                    fail("log(|w|σ'(wa + b)) is not decreasing at w = " + w + " ==> expected: <" + factor + "> < <"
                            + previous + ">");
                }
                previous = factor;
            }
        }
        assertTrue(previous < Math.log(1e-300), "log(|w|σ'(wa + b)) at w = " + w / 2 + " ==> expected: <" + previous
                + "> < <" + Math.log(1e-300) + ">");
    }

    private static Map<Double, Double> reference() {
        Map<Double, Double> out = new TreeMap<>();
        for (JsonNode p : json().get("points")) {
            out.put(p.get("z").doubleValue(), p.get("log_sigmoid_prime").doubleValue());
        }
        return out;
    }

    private static JsonNode json() {
        try {
            return new ObjectMapper().readTree(REFERENCE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
