package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.ReferenceAgreement;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second-order check against PyTorch's double backward ({@code src/test/resources/reference/hvp/}, made by
 * {@code make_hvp_reference.py}): on 13 models — an MLP, dense, convolution, pooling, layer and batch norm, residual
 * and embedding layers, an lstm, a gru, an rnn, causal attention and a transformer block — the complex step through
 * the reverse walk and forward over reverse agree with each other within their rounding bounds, and both accept
 * PyTorch's H·v; the complex step's H·v equals PyTorch's entry by entry and relative to the entry,
 * <pre>
 *   |ours − ref| ≤ 1e−12·|ref| + floor,   floor = the complex step's own rounding bound for the entry
 * </pre>
 * ({@link ReferenceAgreement}). PyTorch's double backward has no rounding bound of ours, so unlike the first-order
 * references the floor holds chainproof's bound alone and PyTorch's rounding must fit in the relative term; the last
 * dynamic test prints the worst per-entry relative error, the largest share of the allowed used and the largest
 * floor relative to its entry (where the floor, not 1e−12, decides). A hand-written backward pass that is right to
 * first order but treats σ'(z) or tanh'(z) as a constant (its double backward misses the σ'' or tanh'' term) is
 * caught by both oracles, and only in the layers the missing term reaches.
 */
class HessianVectorTests {

    private static final Path DIR = Path.of("src/test/resources/reference/hvp");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** H·v entries of the 13 correct cases, all compared with PyTorch. */
    private static final int ENTRIES = 990;

    private record Case(Spec spec, Model model, double[] vector, double[] hvp, String fault, String name) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases")) {
            Spec spec = SpecReader.readAny(Path.of(c.get("spec").asText()));
            Model model = Models.of(spec);
            LossFunction f = LossFunctions.of(spec);
            Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            Path file = DIR.resolve(c.get("hvp").asText());
            out.add(new Case(spec, model, GradientFileReader.readSection(file, f.name(), template, Map.of(), "vector"),
                    GradientFileReader.readSection(file, f.name(), template, Map.of(), "hvp"),
                    c.has("fault") ? c.get("fault").asText() : null, c.get("hvp").asText()));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> pytorchs_double_backward_passes_and_a_missing_second_derivative_is_caught() throws IOException {
        List<Case> all = cases();
        assertTrue(all.size() >= 15, "13 models and 2 planted faults, found " + all.size());
        assertEquals(2, all.stream().filter(c -> c.fault() != null).count());
        return all.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            for (Oracle oracle : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD)) {
                VerificationReport r = new HessianVectorVerifier().withOracle(oracle).verify(c.model(), c.vector(), c.hvp());
                if (c.fault() == null) {
                    assertTrue(r.passed(), oracle + ": " + r.failures());
                } else {
                    assertFalse(r.passed(), oracle + ": the missing " + c.fault() + "'' went unnoticed");
                    // the term is missing where σ'(z₂) or tanh'(z₁) is differentiated: never in the last layer
                    assertTrue(r.failures().stream().noneMatch(f -> f.parameter().startsWith("W3")
                            || f.parameter().startsWith("b3")), oracle + ": " + r.failures());
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_two_oracles_agree_with_each_other_and_with_pytorch() throws IOException {
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 double backward");
        double[] loosestFloor = new double[1];
        String[] loosestAt = {"-"};
        int[] floorDecides = new int[1];
        Stream<DynamicTest> each = cases().stream().filter(c -> c.fault() == null).map(c -> DynamicTest.dynamicTest(
                c.name(), () -> {
                    Estimate[] cs = new HessianVectorVerifier().hessianVector(c.model(), c.vector());
                    Estimate[] fr = new HessianVectorVerifier().withOracle(Oracle.FORWARD_AD)
                            .hessianVector(c.model(), c.vector());
                    List<String> names = c.model().parameterNames();
                    int before = agreement.disagreements().size();
                    for (int i = 0; i < names.size(); i++) {
                        String where = c.name() + " " + names.get(i);
                        assertTrue(Math.abs(cs[i].value() - fr[i].value())
                                <= cs[i].errorEstimate() + fr[i].errorEstimate(), where + ": complex step " + cs[i]
                                + ", forward over reverse " + fr[i]);
                        double floor = cs[i].errorEstimate();
                        agreement.compare(where, cs[i].value(), c.hvp()[i], floor);
                        double ref = Math.abs(c.hvp()[i]);
                        floorDecides[0] += floor > 1e-9 * ref ? 1 : 0;
                        if (ref > floor && floor / ref > loosestFloor[0]) {
                            loosestFloor[0] = floor / ref;
                            loosestAt[0] = where;
                        }
                    }
                    List<String> wrong = agreement.disagreements();
                    assertEquals(List.of(), wrong.subList(before, wrong.size()), "entries that disagree with PyTorch");
                }));
        Stream<DynamicTest> summary = Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            String floors = String.format("; largest floor/|ref| (the complex step's own bound) %.2e at %s; "
                    + "%d entries with a floor above 1e-9·|ref|", loosestFloor[0], loosestAt[0], floorDecides[0]);
            System.out.println(agreement.report() + floors);
            assertEquals(ENTRIES, agreement.entries(), "entries compared");
            assertTrue(agreement.worstShare() <= 1, agreement.report() + floors);
        }));
        return Stream.concat(each, summary);
    }

    @Test
    void central_differences_are_refused_and_lengths_must_fit() throws IOException {
        Case c = cases().get(0);
        assertThrows(IllegalArgumentException.class,
                () -> new HessianVectorVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE));
        assertThrows(IllegalArgumentException.class,
                () -> new HessianVectorVerifier().verify(c.model(), new double[1], c.hvp()));
        assertThrows(IllegalArgumentException.class,
                () -> new HessianVectorVerifier().verify(c.model(), c.vector(), new double[1]));
        assertTrue(GradientChecker.checkHessianVector(c.spec(), c.vector(), c.hvp()).passed());
    }
}
