package io.chainproof.bounds;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Sweep} on the lecture's 3-layer sigmoid chain (W1 = 0.5, b1 = −0.5, W2 = 500, b2 = −250, x = 1). */
class SweepTests {

    /** Relative tolerance for "the bound is attained": both sides come from the same few roundings. */
    private static final double ATTAINED = 1e-12;

    private static final NetworkSpec LECTURE = SpecReader.read(Path.of("examples/lecture-chain.json"));

    @Nested
    class KeepingTheBias {

        private final SweepResult sweep = Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP);

        @Test
        void scales_are_log_spaced_from_from_to_to() {
            assertEquals(60, sweep.points().size());
            assertEquals(0.01, sweep.first().scale());
            assertEquals(1000.0, sweep.last().scale());
            double ratio = sweep.points().get(1).scale() / sweep.first().scale();
            assertEquals(Math.pow(1e5, 1.0 / 59), ratio, 1e-12);
        }

        @Test
        void the_spectral_norm_of_the_swept_layer_is_the_scale_times_500() {
            for (SweepPoint p : sweep.points()) {
                assertEquals(500 * p.scale(), p.spectralNorm(), 1e-9 * p.spectralNorm(), "at scale " + p.scale());
            }
        }

        @Test
        void ends_vanishing_at_large_scale_while_the_gamma_bound_grows() {
            LayerBound first = sweep.first().layer(1);
            LayerBound last = sweep.last().layer(1);
            assertAll(
                    () -> assertEquals(Regime.VANISHING, sweep.last().regime()),
                    () -> assertTrue(last.gammaBound() > 1e4 * first.gammaBound(),
                            "γ bound " + first.gammaBound() + " -> " + last.gammaBound()),
                    () -> assertTrue(last.actual() < 1e-100, "actual at scale 1000: " + last.actual()));
        }

        @Test
        void the_gamma_factor_of_layer_1_grows_in_proportion_to_the_scale() {
            for (int i = 1; i < sweep.points().size(); i++) {
                SweepPoint a = sweep.points().get(i - 1);
                SweepPoint b = sweep.points().get(i);
                assertEquals(b.scale() / a.scale(), b.layer(1).gammaFactor() / a.layer(1).gammaFactor(), 1e-9,
                        "between scales " + a.scale() + " and " + b.scale());
            }
        }

        @Test
        void every_point_respects_both_bounds() {
            for (SweepPoint p : sweep.points()) {
                for (LayerBound b : p.layers()) {
                    assertTrue(b.actual() <= b.dataBound() * (1 + ATTAINED) && b.dataBound() <= b.gammaBound()
                            * (1 + ATTAINED), "layer " + b.layer() + " at scale " + p.scale() + ": " + b);
                }
            }
        }
    }

    @Nested
    class ZeroingThePreactivation {

        private final SweepResult sweep = Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.ZERO_PREACTIVATION);

        /**
         * {@code dataBound_l / γBound_l = ∏_{k=l}^{L} m_k/γ_k} for one sample, so dividing layer 2's ratio by layer
         * 3's leaves {@code m_2/γ_2 = 4·σ'(z_2)}, which is 1 exactly when z_2 = 0. Layer 2's data bound itself is not
         * its γ bound: layer 3 keeps b_3 = 0, so z_3 = a_2 = 1/2 and m_3 = σ'(1/2) < 1/4.
         */
        @Test
        void layer_2s_local_factor_attains_gamma_at_every_scale() {
            for (SweepPoint p : sweep.points()) {
                double ratio2 = p.layer(2).dataBound() / p.layer(2).gammaBound();
                double ratio3 = p.layer(3).dataBound() / p.layer(3).gammaBound();
                assertEquals(1.0, ratio2 / ratio3, ATTAINED, "m_2/γ_2 at scale " + p.scale());
            }
        }

        @Test
        void layer_2s_data_bound_is_below_its_gamma_bound_by_layer_3s_factor() {
            SweepPoint p = sweep.last();
            double sigmoid = 1 / (1 + Math.exp(-0.5));
            double m3 = sigmoid * (1 - sigmoid);
            assertEquals(4 * m3, p.layer(2).dataBound() / p.layer(2).gammaBound(), ATTAINED);
        }

        @Test
        void the_actual_gradient_explodes_with_the_gamma_bound() {
            assertAll(
                    () -> assertEquals(Regime.EXPLODING, sweep.last().regime()),
                    () -> assertTrue(sweep.last().layer(1).actual() > 1e4 * sweep.first().layer(1).actual(),
                            sweep.first().layer(1).actual() + " -> " + sweep.last().layer(1).actual()));
        }

        @Test
        void the_actual_gradient_of_layer_1_equals_its_data_bound_in_a_scalar_chain() {
            for (SweepPoint p : sweep.points()) {
                assertEquals(p.layer(1).dataBound(), p.layer(1).actual(), ATTAINED * p.layer(1).dataBound(),
                        "at scale " + p.scale());
            }
        }
    }

    @Test
    void every_point_equals_growth_bounds_of_the_scaled_spec() {
        NetworkSpec mlp = SpecReader.read(Path.of("examples/mlp-2-3-2-1.json"));
        SweepResult sweep = Sweep.run(mlp, 2, 0.1, 10, 3, Sweep.BiasMode.ZERO_PREACTIVATION);
        for (SweepPoint p : sweep.points()) {
            java.util.List<double[][]> weights = new java.util.ArrayList<>(mlp.parameters().weights());
            java.util.List<double[]> biases = new java.util.ArrayList<>(mlp.parameters().biases());
            double[][] w = mlp.parameters().weight(2);
            for (double[] row : w) {
                for (int i = 0; i < row.length; i++) {
                    row[i] *= p.scale();
                }
            }
            weights.set(1, w);
            NetworkSpec scaled = mlp.withParameters(new io.chainproof.spec.Parameters(weights, biases));
            double[] z = ForwardPass.of(scaled, mlp.data().x()[0], mlp.data().y()[0]).preActivation(2);
            double[] b = mlp.parameters().bias(2);
            for (int j = 0; j < b.length; j++) {
                b[j] -= z[j];
            }
            biases.set(1, b);
            NetworkSpec zeroed = mlp.withParameters(new io.chainproof.spec.Parameters(weights, biases));
            assertEquals(GrowthBounds.of(zeroed).layers(), p.layers(), "at scale " + p.scale());
            double[] zero = ForwardPass.of(zeroed, mlp.data().x()[0], mlp.data().y()[0]).preActivation(2);
            for (double v : zero) {
                assertEquals(0.0, v, 1e-15, "z_2 of the first sample at scale " + p.scale());
            }
        }
    }

    @Test
    void scale_1_with_the_bias_kept_is_the_spec_itself() {
        SweepResult one = Sweep.run(LECTURE, 2, 1, 1, 2, Sweep.BiasMode.KEEP);
        assertEquals(GrowthBounds.of(LECTURE).layers(), one.first().layers());
    }

    @Test
    void a_layer_outside_the_network_names_the_option() {
        SpecException e = assertThrows(SpecException.class,
                () -> Sweep.run(LECTURE, 9, 0.01, 1000, 60, Sweep.BiasMode.KEEP));
        assertEquals("examples/lecture-chain.json: --layer: <9> is not a layer of lecture-chain; use 1 to 3",
                e.getMessage());
    }

    @Test
    void a_non_positive_from_names_the_option() {
        SpecException e = assertThrows(SpecException.class,
                () -> Sweep.run(LECTURE, 2, 0, 1000, 60, Sweep.BiasMode.KEEP));
        assertEquals("examples/lecture-chain.json: --from: <0.0> must be a finite scale > 0; "
                + "give a positive scale such as 0.01", e.getMessage());
    }

    @Test
    void a_to_below_from_and_too_few_points_name_their_options() {
        assertAll(
                () -> assertEquals("examples/lecture-chain.json: --to: <0.001> must be a finite scale ≥ --from "
                                + "(0.01); give a scale of at least 0.01",
                        assertThrows(SpecException.class, () -> Sweep.run(LECTURE, 2, 0.01, 0.001, 60,
                                Sweep.BiasMode.KEEP)).getMessage()),
                () -> assertEquals("examples/lecture-chain.json: --points: <1> must be at least 2; "
                                + "give 2 or more points, such as 60",
                        assertThrows(SpecException.class, () -> Sweep.run(LECTURE, 2, 0.01, 1000, 1,
                                Sweep.BiasMode.KEEP)).getMessage()));
    }

    @Test
    void the_csv_has_a_header_and_one_round_trip_row_per_point() {
        SweepResult sweep = Sweep.run(LECTURE, 2, 0.01, 1000, 7, Sweep.BiasMode.KEEP);
        String[] lines = SweepCsv.of(sweep).split("\n");
        assertEquals(8, lines.length);
        assertEquals("scale,spectral_norm_W2,actual_1,gamma_bound_1,data_bound_1,regime_1,actual_2,gamma_bound_2,"
                + "data_bound_2,regime_2,actual_3,gamma_bound_3,data_bound_3,regime_3,regime", lines[0]);
        for (int i = 0; i < 7; i++) {
            String[] cells = lines[i + 1].split(",");
            SweepPoint p = sweep.points().get(i);
            assertEquals(p.scale(), Double.parseDouble(cells[0]));
            assertEquals(p.layer(1).actual(), Double.parseDouble(cells[2]));
            assertEquals(p.layer(2).gammaBound(), Double.parseDouble(cells[7]));
            assertEquals(p.regime().label(), cells[14]);
        }
    }
}
