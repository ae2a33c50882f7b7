package io.chainproof.number;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.expr.Expr;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running error bounds of {@link ComplexStepNumber} and {@link DualNumber} against derivatives computed to 30
 * digits by mpmath and sympy ({@code src/test/resources/reference/number/}, made by
 * {@code src/test/python/make_number_reference.py}): the bound must contain the actual error, and must not be so
 * loose that it certifies nothing.
 *
 * <table>
 *   <caption>Measured (complex step; dual numbers alike)</caption>
 *   <tr><th>case</th><th>|error| / |f'|</th><th>bound / |error|</th></tr>
 *   <tr><td>σ(500σ(w) − 250), w = 0.01 (z = 1.25)</td><td>1.7e−14</td><td>62</td></tr>
 *   <tr><td>σ(500σ(w) − 250), w = 1 (z = 115.5)</td><td>3.3e−14</td><td>77</td></tr>
 *   <tr><td>σ(500σ(w) − 250), w = 3 (z = 226.3)</td><td>9.7e−14</td><td>32</td></tr>
 *   <tr><td>e^w − w at 1e−8 (the tangent cancels)</td><td>1.7e−8</td><td>7.9</td></tr>
 *   <tr><td>(500σ(w) − 250)·w at 8e−6 (a factor of 1e−3 out of terms of 250)</td><td>9.2e−12</td><td>73</td></tr>
 *   <tr><td>(1 + w)/(500σ(w) − 250) at 8e−6 (the divisor so)</td><td>3.7e−11</td><td>86</td></tr>
 *   <tr><td>8 steps of tanh(1.5h + 0.1) (depth 184)</td><td>1.3e−15</td><td>778 (dual: 866)</td></tr>
 *   <tr><td>every other case</td><td>≤ 5.3e−15</td><td>≤ 83 (floored at u·|f'|)</td></tr>
 * </table>
 * Before the bound charged the real part's rounding to the slopes and products, the z = 115.5 chain had a bound
 * of 1.2e−15 relative against its actual 3.3e−14 error — off by a factor 27 — and w/1e200 a bound of 2e−288 for
 * a derivative of 1e−200 (c² overflowed in the quotient's bound). The two cancelled-factor cases fail if a product
 * or a quotient forgets its operands' real-part error.
 */
class ComplexStepReferenceTests {

    static final Path REFERENCE = Path.of("src/test/resources/reference/number/derivatives.json");

    /**
     * How loose a bound may be: {@code bound ≤ MAX_LOOSENESS·max(|error|, u·|f'|)}. The floor u·|f'| (half an ulp
     * of the reference) keeps a derivative that happens to come out exact from making any bound "infinitely
     * loose". Measured worst: the 8-step tanh recurrence, 778 (complex step) and 866 (dual) — its depth of 184
     * charges every tanh slope the 20 roundings of sech² at full u, which real roundings never all reach.
     */
    static final double MAX_LOOSENESS = 1e3;
    static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;

    record Case(String name, String formula, double w, BigDecimal value, BigDecimal derivative) {
        @Override
        public String toString() {
            return name + " (" + formula + " at w = " + w + ")";
        }
    }

    static List<Case> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(REFERENCE.toFile());
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            cases.add(new Case(c.get("name").asText(), c.get("formula").asText(), Double.parseDouble(c.get("w").asText()),
                    new BigDecimal(c.get("value").asText()), new BigDecimal(c.get("derivative").asText())));
        }
        return cases;
    }

    /** The expressions of the reference file, by name, written as the script writes them. */
    static final Map<String, OneParameterRule> RULES = Map.ofEntries(
            Map.entry("saturated-chain-at-z-1.25", ComplexStepReferenceTests.saturatedChain()),
            Map.entry("saturated-chain-at-z-115", ComplexStepReferenceTests.saturatedChain()),
            Map.entry("saturated-chain-at-z-226", ComplexStepReferenceTests.saturatedChain()),
            Map.entry("tanh-at-30", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.tanh();
                }
            }),
            Map.entry("tanh-of-affine-at-30", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.multiply(1.5).add(0.3).tanh();
                }
            }),
            Map.entry("cancelling-sum", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.exp().subtract(w);
                }
            }),
            Map.entry("sigmoid-tanh-network", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    T first = w.multiply(1.3).add(-0.4).sigmoid().multiply(0.7);
                    T second = w.multiply(-0.6).add(0.9).sigmoid().multiply(1.1);
                    return first.subtract(second).add(0.25).tanh();
                }
            }),
            Map.entry("erf-softplus-sech", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.multiply(0.5).erf().multiply(w.add(-2).softplus()).divide(w.call(Expr.Fn.SECH).add(1));
                }
            }),
            Map.entry("powers", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.pow(2).add(1).pow(3.7).divide(w).add(w.sqrt());
                }
            }),
            Map.entry("sigmoid-prime-saturated", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.call(Expr.Fn.SIGMOID_PRIME);
                }
            }),
            Map.entry("log-of-softplus", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.negate().softplus().log();
                }
            }),
            Map.entry("quotient-by-huge", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.divide(w.field().constant(1e200));
                }
            }),
            Map.entry("product-with-a-cancelled-factor", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.sigmoid().multiply(500).add(-250).multiply(w);
                }
            }),
            Map.entry("quotient-by-a-cancelled-divisor", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.add(1).divide(w.sigmoid().multiply(500).add(-250));
                }
            }),
            Map.entry("symbolic-exponent", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    return w.pow(w);
                }
            }),
            Map.entry("tanh-recurrence", new OneParameterRule() {
                public <T extends Real<T>> T apply(T w) {
                    T h = w;
                    for (int i = 0; i < 8; i++) {
                        h = h.multiply(1.5).add(0.1).tanh();
                    }
                    return h;
                }
            }));

    static OneParameterRule saturatedChain() {
        return new OneParameterRule() {
            public <T extends Real<T>> T apply(T w) {
                return w.sigmoid().multiply(500).add(-250).sigmoid();
            }
        };
    }

    /** |computed − reference|, exactly. */
    static double error(double computed, BigDecimal reference) {
        return new BigDecimal(computed).subtract(reference).abs().doubleValue();
    }

    @Test
    void every_reference_case_has_a_rule_and_every_rule_a_case() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        cases().forEach(c -> names.add(c.name()));
        assertEquals(new TreeSet<>(RULES.keySet()), names);
    }

    @TestFactory
    Stream<DynamicTest> the_complex_step_error_is_within_its_bound() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ComplexStepNumber z = RULES.get(c.name()).complexStep(c.w());
            double error = error(z.derivative(), c.derivative());
            assertTrue(error <= z.errorBound(), c + ": complex step ==> expected: |" + z.derivative() + " − "
                    + c.derivative().round(MathContext.DECIMAL64) + "| = " + error + " ≤ bound " + z.errorBound());
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_dual_number_error_is_within_its_bound() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            DualNumber d = RULES.get(c.name()).dual(c.w());
            double error = error(d.tangent(), c.derivative());
            assertTrue(error <= d.errorBound(), c + ": dual tangent ==> expected: |" + d.tangent() + " − "
                    + c.derivative().round(MathContext.DECIMAL64) + "| = " + error + " ≤ bound " + d.errorBound());
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_value_error_is_within_gamma_depth_times_scale() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ComplexStepNumber z = RULES.get(c.name()).complexStep(c.w());
            double bound = RunningError.gamma(z.depth()) * z.scale();
            double error = error(z.re(), c.value());
            assertTrue(error <= bound, c + ": real part ==> expected: |" + z.re() + " − "
                    + c.value().round(MathContext.DECIMAL64) + "| = " + error + " ≤ γ·scale " + bound);
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_bounds_are_not_absurdly_loose() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            double floor = UNIT_ROUNDOFF * c.derivative().abs().doubleValue();
            ComplexStepNumber z = RULES.get(c.name()).complexStep(c.w());
            DualNumber d = RULES.get(c.name()).dual(c.w());
            double complexRatio = z.errorBound() / Math.max(error(z.derivative(), c.derivative()), floor);
            double dualRatio = d.errorBound() / Math.max(error(d.tangent(), c.derivative()), floor);
            assertTrue(complexRatio <= MAX_LOOSENESS, c + ": complex-step bound / error = " + complexRatio);
            assertTrue(dualRatio <= MAX_LOOSENESS, c + ": dual bound / error = " + dualRatio);
        }));
    }

    @Test
    void the_saturated_chain_needs_the_real_parts_rounding_in_its_bound() throws IOException {
        Case c = cases().stream().filter(k -> k.name().equals("saturated-chain-at-z-115")).findFirst().orElseThrow();
        ComplexStepNumber z = RULES.get(c.name()).complexStep(c.w());
        double relativeError = error(z.derivative(), c.derivative()) / c.derivative().doubleValue();
        // the imaginary parts alone (γ_depth·|f'|) do not cover the error: z = 500σ(1) − 250 is rounded by 3e−14
        assertTrue(relativeError > RunningError.gamma(z.depth()), "relative error " + relativeError);
        assertTrue(z.errorBound() >= relativeError * c.derivative().doubleValue());
    }
}
