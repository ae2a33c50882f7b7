package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.ReferenceAgreement;
import io.chainproof.graph.Node;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChainRuleDerivation#paths}: the number of paths θ → … → L, counted here independently over the
 * graph's edges, and the sum of the path contributions against PyTorch autograd's gradients
 * ({@code src/test/resources/reference/}).
 */
class ChainPathsTests {

    /** Relative agreement on the saturated chain's tiny gradients (sympy-verified to 60 digits). */
    private static final double TINY_RELATIVE_TOLERANCE = 1e-12;
    /** Enough to list every path of every reference spec (the widest has far fewer). */
    private static final int ALL = 10_000;

    private static final ParameterId W1 = ParameterId.weight(1, 0, 0);

    private static List<Path> referenceSpecs() throws IOException {
        try (Stream<Path> files = Files.list(Networks.REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    private static String referenceName(Path spec) {
        return spec.getFileName().toString().replace(".spec.json", "");
    }

    /**
     * Counts the paths from θ to L over the graph's edges, by dynamic programming: θ reaches z_{l,row},
     * which reaches o_{l,row} (every o_{l,i} if layer l is a softmax); o_{k−1,j} reaches o_{k,i} through
     * w_{ij} for every i (dense layers), every o_{L,i} reaches L. With cross-entropy after a softmax the
     * paths end at z_{L,i} → L (the fused ∂L/∂z = o·Σy − y), so the softmax does not fan out.
     */
    private static long handCount(NetworkSpec spec, ParameterId p) {
        int l = p.layer();
        long[] reach = new long[spec.units(l)];
        boolean fused = spec.loss() == io.chainproof.spec.Loss.CROSS_ENTROPY;
        if (spec.layers().get(l - 1).activation() == Activation.SOFTMAX && !fused) {
            java.util.Arrays.fill(reach, 1);
        } else {
            reach[p.row()] = 1;
        }
        for (int k = l + 1; k <= spec.layerCount(); k++) {
            long[] next = new long[spec.units(k)];
            for (int i = 0; i < next.length; i++) {
                for (int j = 0; j < reach.length; j++) {
                    next[i] += reach[j];
                }
            }
            reach = next;
        }
        long total = 0;
        for (long r : reach) {
            total += r;
        }
        return total;
    }

    @TestFactory
    Stream<DynamicTest> every_path_is_counted_and_their_contributions_sum_to_the_pytorch_gradient() throws IOException {
        List<Path> specs = referenceSpecs();
        assertTrue(specs.size() >= 24, "expected at least 24 reference specs, found " + specs.size());
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (sums of the listed paths)");
        Stream<DynamicTest> each = specs.stream().map(file -> DynamicTest.dynamicTest(referenceName(file), () -> {
            NetworkSpec spec = SpecReader.read(file);
            ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
            boolean saturated = referenceName(file).equals("lecture-chain-saturated");
            Map<String, Double> floors = ReferenceAgreement.floors(spec, Networks.producer(referenceName(file)));
            for (ParameterId p : chain.parameters()) {
                ChainPaths paths = chain.paths(p, ALL);
                long expectedCount = handCount(spec, p);
                assertEquals(expectedCount, paths.count(), p.name() + " path count");
                assertTrue(paths.complete(), p.name() + " should list all " + paths.count() + " paths");
                assertEquals(expectedCount, paths.listed().size(), p.name());
                Set<List<String>> distinct = new HashSet<>();
                int nodes = spec.layerCount() - p.layer() + 3;
                for (ChainPath path : paths.listed()) {
                    assertEquals(nodes, path.nodesText().size(), p.name() + ": " + path.text());
                    assertEquals("L", path.nodesText().get(nodes - 1), p.name());
                    assertEquals(chain.samples().size(), path.sampleValues().size(), p.name());
                    double mean = path.sampleValues().stream().mapToDouble(Double::doubleValue).sum()
                            / path.sampleValues().size();
                    assertEquals(mean, path.value(), 1e-15 * Math.max(1, Math.abs(mean)), p.name() + ": " + path.text());
                    distinct.add(path.nodesText());
                }
                assertEquals(paths.listed().size(), distinct.size(), p.name() + " lists a path twice");
                double reference = Networks.referenceGradient(referenceName(file), p);
                double sum = paths.listedSum();
                if (saturated && reference != 0 && Math.abs(reference) < 1e-100) {
                    assertEquals(reference, sum, TINY_RELATIVE_TOLERANCE * Math.abs(reference), p.name());
                } else {
                    assertTrue(agreement.compare(referenceName(file) + " " + p.name(), sum, reference,
                            floors.get(p.name())),
                            () -> agreement.disagreements().get(agreement.disagreements().size() - 1));
                }
            }
        }));
        Stream<DynamicTest> summary = Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            assertTrue(agreement.entries() > 0 && agreement.worstShare() <= 1, agreement.report());
        }));
        return Stream.concat(each, summary);
    }

    /**
     * Counted by hand from the architectures (inputs → units…): ∏ of the later widths, × n_L into a softmax
     * unless the loss is cross-entropy (softmax-classifier's is: its W2 paths end θ → z₂,₁ → L).
     */
    @ParameterizedTest(name = "{0} {1}: {2} paths")
    @CsvSource({
            "lecture-chain,      W1[0][0], 1",
            "lecture-chain,      b3[0],    1",
            "mlp-2-3-2-1,        W1[0][0], 2",
            "mlp-2-3-2-1,        b1[2],    2",
            "mlp-2-3-2-1,        W2[1][2], 1",
            "mlp-2-3-2-1,        W3[0][1], 1",
            "softmax-classifier, W1[0][0], 3",
            "softmax-classifier, W2[0][0], 1",
            "softmax-classifier, b2[2],    1"})
    void the_path_count_of_a_named_parameter_is_the_hand_counted_one(String name, String parameter, long count) {
        NetworkSpec spec = SpecReader.read(Networks.REFERENCE.resolve(name + ".spec.json"));
        assertEquals(count, ChainRuleDerivation.of(spec).paths(ParameterId.parse(parameter), ALL).count());
    }

    @Test
    void the_lecture_chain_has_one_path_whose_contribution_is_the_gradient() throws IOException {
        ChainPaths paths = ChainRuleDerivation.of(lectureChain()).paths(W1, ALL);
        assertEquals(1, paths.count());
        assertTrue(paths.complete());
        ChainPath path = paths.listed().get(0);
        assertEquals(List.of("w₁", "o₁", "o₂", "o₃", "L"), path.nodesText());
        assertEquals("w₁ → o₁ → o₂ → o₃ → L", path.text());
        assertEquals("w_{1} \\to o_{1} \\to o_{2} \\to o_{3} \\to L", path.latex());
        assertEquals(-5.545216167164804, path.value());
        // by hand: 2(σ(½) − 1) · σ'(½)·1 · σ'(0)·500 · σ'(0)·1
        double s = 1 / (1 + Math.exp(-0.5));
        assertEquals(2 * (s - 1) * s * (1 - s) * 125 * 0.25, path.value(), 1e-15);
        // PyTorch autograd: −5.545216167164803 (one ulp away)
        double pytorch = Networks.referenceGradient("lecture-chain", W1);
        assertEquals(pytorch, path.value(), 2 * Math.ulp(pytorch));
    }

    @Test
    void a_limit_below_the_count_lists_a_prefix_and_keeps_the_count() throws IOException {
        NetworkSpec spec = SpecReader.read(Networks.REFERENCE.resolve("mlp-2-3-2-1.spec.json"));
        ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
        ChainPaths all = chain.paths(W1, ALL);
        ChainPaths one = chain.paths(W1, 1);
        assertEquals(2, all.count());
        assertEquals(2, one.count());
        assertEquals(1, one.listed().size());
        assertFalse(one.complete());
        assertEquals(all.listed().get(0), one.listed().get(0));
        assertEquals(all.listed().get(0).value(), one.listedSum());
    }

    @Test
    void a_limit_below_the_count_of_a_wide_network_lists_exactly_limit_paths() throws IOException {
        Path widest = null;
        long most = 0;
        for (Path file : referenceSpecs()) {
            NetworkSpec spec = SpecReader.read(file);
            long c = handCount(spec, W1);
            if (c > most) {
                most = c;
                widest = file;
            }
        }
        assertTrue(most > 5, "some reference spec should have more than 5 paths from W1[0][0], most is " + most);
        ChainRuleDerivation chain = ChainRuleDerivation.of(SpecReader.read(widest));
        ChainPaths all = chain.paths(W1, ALL);
        ChainPaths five = chain.paths(W1, 5);
        assertEquals(most, five.count(), widest.toString());
        assertEquals(5, five.listed().size());
        assertFalse(five.complete());
        assertEquals(all.listed().subList(0, 5), five.listed());
    }

    @Test
    void a_limit_below_one_is_rejected() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(lectureChain());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chain.paths(W1, 0));
        assertEquals("Path limit <0> must be at least 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> chain.paths(W1, -3));
        assertEquals("Path limit <-3> must be at least 1", e.getMessage());
    }

    @Test
    void an_unknown_parameter_is_rejected() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(lectureChain());
        ChainproofException e = assertThrows(ChainproofException.class,
                () -> chain.paths(ParameterId.weight(4, 0, 0), 1));
        assertEquals("Parameter <W4[0][0]> is not in network <lecture-chain>; it has 3 layers of [1, 1, 1] units "
                + "after 1 inputs — name a parameter such as W1[0][0] or b3[0]", e.getMessage());
        e = assertThrows(ChainproofException.class, () -> chain.paths(ParameterId.weight(2, 0, 1), 1));
        assertEquals("Parameter <W2[0][1]> is not in network <lecture-chain>; it has 3 layers of [1, 1, 1] units "
                + "after 1 inputs — name a parameter such as W1[0][0] or b3[0]", e.getMessage());
    }

    /** z₁ = 0.5·1 − 0.5 = 0, o₁ = σ(0) = ½, z₂ = 500·½ − 250 = 0, o₂ = ½, z₃ = 1·½ + 0 = ½: all exact in binary. */
    @Test
    void the_forward_values_of_the_lecture_chain_are_exact() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(lectureChain());
        assertEquals(1.0, chain.value(0, Node.input(0)));
        assertEquals(0.0, chain.value(0, Node.preActivation(1, 0)));
        assertEquals(0.5, chain.value(0, Node.activation(1, 0)));
        assertEquals(0.0, chain.value(0, Node.preActivation(2, 0)));
        assertEquals(0.5, chain.value(0, Node.activation(2, 0)));
        assertEquals(0.5, chain.value(0, Node.preActivation(3, 0)));
        assertEquals(1 / (1 + Math.exp(-0.5)), chain.value(0, Node.activation(3, 0)), 1e-16);
    }

    @Test
    void a_node_outside_the_network_has_no_value() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(lectureChain());
        ChainproofException e = assertThrows(ChainproofException.class, () -> chain.value(0, Node.activation(4, 0)));
        assertEquals("Node <o4_0> has no forward value in network <lecture-chain>", e.getMessage());
    }

    @Test
    void forward_values_are_per_sample() throws IOException {
        NetworkSpec spec = SpecReader.read(Networks.REFERENCE.resolve("mlp-2-3-2-1.spec.json"));
        ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
        double[][] x = spec.data().x();
        double[][] w = spec.parameters().weight(1);
        double[] b = spec.parameters().bias(1);
        for (int s = 0; s < 3; s++) {
            for (int j = 0; j < 3; j++) {
                double z = w[j][0] * x[s][0] + w[j][1] * x[s][1] + b[j];
                assertEquals(z, chain.value(s, Node.preActivation(1, j)), 1e-15, "sample " + s + " z1," + j);
                assertEquals(Math.tanh(z), chain.value(s, Node.activation(1, j)), 1e-15, "sample " + s + " o1," + j);
            }
        }
    }

    /**
     * A softmax output that rounds to exactly 0: unfused, ∂ℓ/∂a = −y/a is −0/0 = NaN (y = 0) or −1/0 = −∞
     * (y = 1), and the softmax Jacobian's factor a = 0 makes every path sum NaN. The gradient is finite: for
     * softmax with cross-entropy and Σy = 1, ∂L/∂z = o − y (Goodfellow, Bengio, Courville, Deep Learning,
     * §6.2.2.3), backpropagated here by hand. With W2[0][0] = 1000, z₂ = (1000·tanh 1, 0) = (761.6, 0), so
     * o₂ = (1, e^{−761.6}) = (1, 0) in double precision.
     */
    @ParameterizedTest(name = "targets ({0}, {1})")
    @CsvSource({"1, 0", "0, 1"})
    void a_saturated_softmax_output_gives_finite_path_sums(double y0, double y1) {
        double[][] w1 = {{1.0, 0.5}, {0.3, -0.2}};
        double[][] w2 = {{1000.0, 0.0}, {0.0, 0.0}};
        double[] x = {1.0, 0.0};
        double[] y = {y0, y1};
        NetworkSpec spec = new NetworkSpec("saturated-softmax", "<test>", 2,
                List.of(new io.chainproof.spec.LayerSpec(2, Activation.TANH), new io.chainproof.spec.LayerSpec(2, Activation.SOFTMAX)),
                io.chainproof.spec.Loss.CROSS_ENTROPY,
                new io.chainproof.spec.Parameters(List.of(w1, w2), List.of(new double[2], new double[2])),
                new io.chainproof.spec.Data(new double[][] {x}, new double[][] {y}));
        // hand backprop: a₁ = tanh(W1·x), z₂ = W2·a₁, o = softmax(z₂) with the largest z subtracted, δ₂ = o − y
        double[] a1 = new double[2];
        for (int k = 0; k < 2; k++) {
            a1[k] = Math.tanh(w1[k][0] * x[0] + w1[k][1] * x[1]);
        }
        double[] z2 = {w2[0][0] * a1[0] + w2[0][1] * a1[1], w2[1][0] * a1[0] + w2[1][1] * a1[1]};
        double max = Math.max(z2[0], z2[1]);
        double e0 = Math.exp(z2[0] - max);
        double e1 = Math.exp(z2[1] - max);
        double[] delta2 = {e0 / (e0 + e1) - y[0], e1 / (e0 + e1) - y[1]};
        double[] delta1 = new double[2];
        for (int k = 0; k < 2; k++) {
            delta1[k] = (w2[0][k] * delta2[0] + w2[1][k] * delta2[1]) * (1 - a1[k] * a1[k]);
        }
        java.util.Map<ParameterId, Double> expected = new java.util.LinkedHashMap<>();
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
                expected.put(ParameterId.weight(1, j, k), delta1[j] * x[k]);
                expected.put(ParameterId.weight(2, j, k), delta2[j] * a1[k]);
            }
            expected.put(ParameterId.bias(1, j), delta1[j]);
            expected.put(ParameterId.bias(2, j), delta2[j]);
        }
        ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
        // the hand pass is float64 with the textbook 1 − a²: per entry, 1e−12·|g| + both passes' rounding bounds
        Map<String, Double> floors = ReferenceAgreement.floors(spec, ReferenceAgreement.Arithmetic.TEXTBOOK);
        ReferenceAgreement agreement = new ReferenceAgreement("a hand-written float64 backward pass");
        expected.forEach((p, g) -> {
            double sum = chain.paths(p, ALL).listedSum();
            agreement.compare(p.name(), sum, g, floors.get(p.name()));
        });
        System.out.println("targets (" + y0 + ", " + y1 + "): " + agreement.report());
        assertEquals(expected.size(), agreement.entries());
        assertEquals(List.of(), agreement.disagreements());
    }

    private static NetworkSpec lectureChain() {
        return SpecReader.read(Networks.REFERENCE.resolve("lecture-chain.spec.json"));
    }
}
