package io.chainproof.proofs;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

import static io.chainproof.proofs.LemmaAssertions.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of {@code proofs/lecture-example.md}: both lecture chains (x = y = 1, loss (a_3 − y)², w = (0.5, 500, 1))
 * worked through with the implementation under test — σ, σ' and the network's ∂L/∂w_1 — and compared with the outside
 * references: PyTorch's float64 autograd for the first chain and the SymPy-verified (60 digits) value for the
 * saturated one, read from {@code src/test/resources/reference/lecture-chain*.expected.json}.
 */
public final class LectureExampleLemma {

    /** The outside references. */
    static final Path CHAIN = Path.of("src/test/resources/reference/lecture-chain.expected.json");
    static final Path SATURATED = Path.of("src/test/resources/reference/lecture-chain-saturated.expected.json");
    /** Agreement of the worked closed form and the network with the references. */
    static final double REL = 1e-12;
    /** Agreement with the saturated reference, whose z_2 ≈ 311 carries a rounding of 3e−14 into e^{−z_2}. */
    static final double SATURATED_REL = 1e-10;

    private LectureExampleLemma() {
    }

    /**
     * Chain 1 (b = (−0.5, −250, 0)): z_1 = z_2 = 0, z_3 = 1/2, the local factor σ'(z_2)·500 is exactly 125, and the
     * closed form (1) of chain-bound.md and the network's gradient equal PyTorch's ∂L/∂w_1.
     *
     * @param sigma        σ under test
     * @param sigmaPrime   σ' under test
     * @param networkValue the network's ∂L/∂w_1 of {@code examples/lecture-chain.json}
     */
    public static void assertChainAttainsTheFactor125(DoubleUnaryOperator sigma, DoubleUnaryOperator sigmaPrime,
                                                      double networkValue) {
        double z1 = 0.5 * 1.0 - 0.5;
        double z2 = 500.0 * sigma.applyAsDouble(z1) - 250.0;
        double z3 = 1.0 * sigma.applyAsDouble(z2) + 0.0;
        double a3 = sigma.applyAsDouble(z3);
        assertEquals(0.0, z1, "z_1");
        assertEquals(0.0, z2, "z_2");
        assertEquals(0.5, z3, "z_3");
        assertEquals(125.0, sigmaPrime.applyAsDouble(z2) * 500.0, "local factor σ'(z_2)·w_2");
        double closed = 2 * (a3 - 1.0) * sigmaPrime.applyAsDouble(z3) * 1.0 * sigmaPrime.applyAsDouble(z2) * 500.0
                * sigmaPrime.applyAsDouble(z1) * 1.0;
        double torch = firstWeightGradient(CHAIN);
        assertRelative(torch, closed, REL, "closed form vs PyTorch's ∂L/∂w_1");
        assertRelative(torch, networkValue, REL, "network's ∂L/∂w_1 vs PyTorch's");
    }

    /**
     * Chain 2 (b = 0): z_2 = 500σ(1/2) ≈ 311.2296656, σ(z_2) rounds to 1, σ'(z_2) ≈ 6.833978763854965·10⁻¹³⁶, the
     * local factor ≈ 3.417·10⁻¹³³ — far below 125 — and the closed form and the network's gradient equal the
     * SymPy-verified ∂L/∂w_1 ≈ −8.492115980240334·10⁻¹³⁵.
     *
     * @param sigma        σ under test
     * @param sigmaPrime   σ' under test
     * @param networkValue the network's ∂L/∂w_1 of {@code examples/lecture-chain-saturated.json}
     */
    public static void assertSaturatedChainVanishes(DoubleUnaryOperator sigma, DoubleUnaryOperator sigmaPrime,
                                                    double networkValue) {
        double z1 = 0.5;
        double z2 = 500.0 * sigma.applyAsDouble(z1);
        double a2 = sigma.applyAsDouble(z2);
        double z3 = a2;
        double a3 = sigma.applyAsDouble(z3);
        assertRelative(311.2296656, z2, 1e-9, "z_2 = 500σ(0.5)");
        assertEquals(1.0, a2, "σ(z_2) rounds to 1 in double precision");
        double saturated = sigmaPrime.applyAsDouble(z2);
        assertRelative(6.833978763854965e-136, saturated, 1e-9, "σ'(z_2)");
        assertRelative(3.4169893819274826e-133, 500.0 * saturated, 1e-9, "local factor σ'(z_2)·w_2");
        assertTrue(500.0 * saturated < 125.0 * 1e-130, "far below the bound 125 attained at z = 0");
        double closed = 2 * (a3 - 1.0) * sigmaPrime.applyAsDouble(z3) * 1.0 * saturated * 500.0
                * sigmaPrime.applyAsDouble(z1) * 1.0;
        double sympy = firstWeightGradient(SATURATED);
        assertRelative(sympy, closed, SATURATED_REL, "closed form vs the SymPy-verified ∂L/∂w_1");
        assertRelative(sympy, networkValue, SATURATED_REL, "network's ∂L/∂w_1 vs the SymPy-verified one");
        assertRelative(closed, networkValue, REL, "network's ∂L/∂w_1 vs the closed form");
    }

    private static double firstWeightGradient(Path expected) {
        try {
            return new ObjectMapper().readTree(expected.toFile()).get("gradients").get("W1").get(0).get(0).doubleValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
