package io.chainproof.proofs;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static io.chainproof.proofs.LemmaAssertions.assertAtMost;

/**
 * The checks of {@code proofs/pascanu-rnn-condition.md} on an explicit recurrence h_t = φ(W h_{t−1} + U x_t + b)
 * written here (n = 4 or 5, ‖W‖₂ = c exactly, random U, b, h_0, x_t): the Jacobian product ∂h_t/∂h_0 = D_t W ⋯ D_1 W
 * by Commons Math matrices, its spectral norm by SVD. The implementation under test is the bound's γ (with φ and φ').
 */
public final class PascanuLemma {

    /** The spectral norms ‖W‖₂ of the recurrences checked. */
    static final double[] NORMS = {0.3, 0.9, 1.0, 2.0, 4.5, 8.0};

    private PascanuLemma() {
    }

    /**
     * (1) with k = 0: ‖∂h_t/∂h_0‖₂ ≤ (γc)^t for t = 1 … 30, on 10 recurrences for each c of {@link #NORMS}.
     *
     * @param phi      φ
     * @param phiPrime φ'
     * @param gamma    the γ under test
     * @param random   the source of recurrences
     */
    public static void assertProductWithinGammaTimesNormToTheT(DoubleUnaryOperator phi, DoubleUnaryOperator phiPrime,
                                                               double gamma, Random random) {
        for (double c : NORMS) {
            for (int trial = 0; trial < 10; trial++) {
                double[] r = jacobianProductRatio(random, 4, 30, c, phi, phiPrime, gamma);
                assertAtMost(r[0], 1.0, "max_t ‖∂h_t/∂h_0‖₂/(γc)^t with γ = " + gamma + ", c = " + c);
            }
        }
    }

    /**
     * The sufficient condition for vanishing: with ‖W‖₂ = c &lt; 1/γ, ‖∂h_100/∂h_0‖₂ ≤ (γc)^100.
     *
     * @param phi      φ
     * @param phiPrime φ'
     * @param gamma    the γ under test
     * @param c        ‖W‖₂, below 1/γ
     * @param random   the source of the recurrence
     */
    public static void assertVanishingBelowOneOverGamma(DoubleUnaryOperator phi, DoubleUnaryOperator phiPrime,
                                                        double gamma, double c, Random random) {
        double[] r = jacobianProductRatio(random, 5, 100, c, phi, phiPrime, gamma);
        assertAtMost(r[1], Math.pow(gamma * c, 100), "‖∂h_100/∂h_0‖₂ with γ = " + gamma + ", ‖W‖₂ = " + c);
    }

    /** max over t of ‖∂h_t/∂h_0‖₂ / (γc)^t, and the last norm. */
    static double[] jacobianProductRatio(Random random, int n, int steps, double c, DoubleUnaryOperator phi,
                                         DoubleUnaryOperator phiPrime, double gamma) {
        RealMatrix w = randomMatrix(random, n, n);
        w = w.scalarMultiply(c / new SingularValueDecomposition(w).getNorm());
        RealMatrix u = randomMatrix(random, n, 2);
        double[] bias = gaussian(random, n);
        double[] h = gaussian(random, n);
        RealMatrix product = MatrixUtils.createRealIdentityMatrix(n);
        double worst = 0;
        double last = 1;
        for (int t = 1; t <= steps; t++) {
            double[] a = w.operate(h);
            double[] ux = u.operate(gaussian(random, 2));
            RealMatrix jacobian = MatrixUtils.createRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                a[i] += ux[i] + bias[i];
                double d = phiPrime.applyAsDouble(a[i]);
                for (int j = 0; j < n; j++) {
                    jacobian.setEntry(i, j, d * w.getEntry(i, j));
                }
                h[i] = phi.applyAsDouble(a[i]);
            }
            product = jacobian.multiply(product); // ∂h_t/∂h_0 = J_t … J_1
            last = new SingularValueDecomposition(product).getNorm();
            worst = Math.max(worst, last / Math.pow(gamma * c, t));
        }
        return new double[]{worst, last};
    }

    static RealMatrix randomMatrix(Random random, int rows, int columns) {
        RealMatrix m = MatrixUtils.createRealMatrix(rows, columns);
        for (int i = 0; i < rows; i++) {
            m.setRow(i, gaussian(random, columns));
        }
        return m;
    }

    static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
