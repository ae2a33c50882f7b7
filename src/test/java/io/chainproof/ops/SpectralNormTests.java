package io.chainproof.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ‖A‖₂ of matrices with entries near the largest double: Commons Math's decomposition alone gave NaN (an internal
 * error, exit 3, in {@code bound} of a CNN with one weight of −1.8e308; found by CommandLineFuzzTests, seed 6).
 */
class SpectralNormTests {

    @Test
    void a_diagonal_matrix_has_its_largest_entry_as_norm_even_near_the_largest_double() {
        assertEquals(Double.MAX_VALUE, SpectralNorm.of(new double[][] {{-Double.MAX_VALUE, 0}, {0, 1}}));
        assertEquals(1e308, SpectralNorm.of(new double[][] {{0.25, 0, 0}, {0, -1e308, 0}}));
    }

    @Test
    void a_rank_one_matrix_has_the_norms_of_its_factors_as_norm() {
        // [[3, 0], [4, 0]] = (3, 4)ᵀ·(1, 0): ‖A‖₂ = 5·1; scaled by 1e307, 5e307 (each to a few roundings)
        assertEquals(5.0, SpectralNorm.of(new double[][] {{3, 0}, {4, 0}}), 4 * Math.ulp(5.0));
        assertEquals(5e307, SpectralNorm.of(new double[][] {{3e307, 0}, {4e307, 0}}), 4 * Math.ulp(5e307));
    }

    @Test
    void a_norm_beyond_the_largest_double_is_infinite_not_nan() {
        // σ_max of the all-ones 2×2 matrix is 2: 2 · 1.5e308 overflows
        assertEquals(Double.POSITIVE_INFINITY, SpectralNorm.of(new double[][] {{1.5e308, 1.5e308}, {1.5e308, 1.5e308}}));
    }

    @Test
    void zero_and_non_finite_entries_pass_through() {
        assertEquals(0.0, SpectralNorm.of(new double[][] {{0, 0}}));
        assertEquals(Double.POSITIVE_INFINITY, SpectralNorm.of(new double[][] {{1, Double.NEGATIVE_INFINITY}}));
        assertEquals(Double.NaN, SpectralNorm.of(new double[][] {{1, Double.NaN}}));
    }
}
