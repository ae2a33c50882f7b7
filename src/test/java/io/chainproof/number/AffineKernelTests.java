package io.chainproof.number;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The affine map on primitives ({@code ComplexStepNumber.FIELD} and {@code VarianceDualNumber.FIELD} override
 * {@link RealField#affine}, {@link RealField#affineBackward} and {@link RealField#affineWeightGradient}) gives bit for
 * bit the numbers of the generic loops over objects — on random numbers with rounding history, tangents, kinks, zeros and every shape of call.
 */
class AffineKernelTests {

    private static <T extends Real<T>> RealField<T> generic(RealField<T> field) {
        return new RealField<>() {
            @Override
            public T constant(double value) {
                return field.constant(value);
            }

            @Override
            public T[] array(int length) {
                return field.array(length);
            }
        };
    }

    private static ComplexStepNumber complex(SplittableRandom r) {
        double re = r.nextInt(8) == 0 ? 0 : r.nextDouble(-3, 3);
        return switch (r.nextInt(3)) {
            case 0 -> ComplexStepNumber.FIELD.constant(re);
            case 1 -> ComplexStepNumber.seed(re, r.nextDouble(-1, 1));
            default -> new ComplexStepNumber(re, r.nextDouble(-1e-20, 1e-20), r.nextDouble(0, 1e-20),
                    Math.abs(re) + r.nextDouble(), r.nextInt(50), r.nextInt(10) == 0);
        };
    }

    private static VarianceDualNumber dual(SplittableRandom r) {
        double v = r.nextInt(8) == 0 ? 0 : r.nextDouble(-3, 3);
        return switch (r.nextInt(3)) {
            case 0 -> VarianceDualNumber.FIELD.constant(v);
            case 1 -> new VarianceDualNumber(v, r.nextDouble(-1, 1), 0, 0);
            default -> new VarianceDualNumber(v, r.nextDouble(-1, 1), r.nextDouble(0, 1e-15), r.nextDouble(0, 1e-15));
        };
    }

    private static <T extends Real<T>> void agree(RealField<T> fast, Function<SplittableRandom, T> draw) {
        RealField<T> slow = generic(fast);
        SplittableRandom r = new SplittableRandom(2026);
        for (int trial = 0; trial < 303; trial++) {
            // the last trials are layers large enough (≥ 65,536 weights) to split between the cores
            boolean large = trial >= 300;
            int rows = 1 + r.nextInt(large ? 2 : 3);
            int in = large ? 300 + r.nextInt(20) : 1 + r.nextInt(6);
            int out = large ? 256 : 1 + r.nextInt(5);
            T[] a = fill(fast, rows * in, draw, r);
            T[] w = fill(fast, out * in, draw, r);
            T[] b = r.nextBoolean() ? fill(fast, out, draw, r) : null;
            assertArrayEquals(slow.affine(a, w, b, rows, in, out), fast.affine(a, w, b, rows, in, out));
            T[] g = fill(fast, rows * out, draw, r);
            T[] ga = r.nextInt(4) == 0 ? null : fill(fast, rows * in, draw, r);
            T[] gw = r.nextInt(4) == 0 ? null : fill(fast, out * in, draw, r);
            T[] gb = r.nextInt(4) == 0 ? null : fill(fast, out, draw, r);
            T[] ga2 = ga == null ? null : ga.clone();
            T[] gw2 = gw == null ? null : gw.clone();
            T[] gb2 = gb == null ? null : gb.clone();
            slow.affineBackward(a, w, g, ga, gw, gb, rows, in, out);
            fast.affineBackward(a, w, g, ga2, gw2, gb2, rows, in, out);
            assertArrayEquals(ga, ga2);
            assertArrayEquals(gw, gw2);
            assertArrayEquals(gb, gb2);
            // one weight's gradient by itself is what the generic backward pass accumulates into a zeroed gradient
            T[] zeroed = slow.array(out * in);
            java.util.Arrays.fill(zeroed, slow.constant(0));
            slow.affineBackward(a, w, g, null, zeroed, null, rows, in, out);
            for (int e = 0; e < out * in; e++) {
                assertEquals(zeroed[e], fast.affineWeightGradient(a, g, rows, in, out, e / in, e % in));
                assertEquals(zeroed[e], slow.affineWeightGradient(a, g, rows, in, out, e / in, e % in));
            }
        }
    }

    private static <T extends Real<T>> T[] fill(RealField<T> field, int n, Function<SplittableRandom, T> draw,
                                                SplittableRandom r) {
        T[] x = field.array(n);
        for (int i = 0; i < n; i++) {
            x[i] = draw.apply(r);
        }
        return x;
    }

    @Test
    void complex_step_numbers_agree_bit_for_bit() {
        agree(ComplexStepNumber.FIELD, AffineKernelTests::complex);
    }

    @Test
    void variance_dual_numbers_agree_bit_for_bit() {
        agree(VarianceDualNumber.FIELD, AffineKernelTests::dual);
    }
}
