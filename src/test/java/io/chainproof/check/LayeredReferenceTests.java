package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.ReferenceAgreement;
import io.chainproof.ReferenceData;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.numeric.GraphCompiler;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layered models — convolutions, pooling, layer and batch norm, residual blocks, embeddings, dense layers — against
 * PyTorch float64 autograd: 48 specs checked in under {@code src/test/resources/reference/layered/} by
 * {@code src/test/python/make_layered_reference.py}, which also checks its own values by central differences and by
 * an independent numpy forward pass; and 18 with rnn, lstm, gru and attention layers (alone, after an embedding or
 * a dense layer, in residual blocks — a causal transformer block among them —, stacked, over 30 steps) under
 * {@code reference/layered-sequence/} by {@code make_sequence_reference.py}, from the code PyTorch's own modules
 * run, checked by central differences. Each way chainproof differentiates must agree per entry to
 * {@code 1e−12·|ref| + floor} ({@link ReferenceAgreement}): for the two reverse walks the floor is the two
 * arithmetics' rounding bounds; for the complex step and forward AD it is the error bound the oracle reports for the
 * entry plus PyTorch's rounding bound (a float64 backward pass with the textbook local derivatives) — so the biases
 * just before a batch norm, whose true gradient is 0 and whose PyTorch value is rounding noise of about 1e−16, are
 * judged by their floors alone. The last dynamic test prints the worst per-entry relative error of each. Then {@code verify} with the complex step
 * must accept PyTorch's gradient as correct (no false alarm on a correct library), and reject it with one entry
 * moved by 1e−6 of the largest.
 */
class LayeredReferenceTests {

    private static final Path DIR = Path.of("src/test/resources/reference/layered");
    /** Sequence layers (rnn, lstm, gru, attention) against PyTorch's own code: {@code make_sequence_reference.py}. */
    private static final Path SEQUENCE = Path.of("src/test/resources/reference/layered-sequence");

    static List<Path> specs() throws IOException {
        List<Path> all = new ArrayList<>(ReferenceData.specs(DIR));
        all.addAll(ReferenceData.specs(SEQUENCE));
        return all;
    }

    record Way(String name, IntToDoubleFunction partial) {
    }

    @TestFactory
    @Tag("proof:layered-jacobian-bounds")
    Stream<DynamicTest> every_way_of_differentiating_matches_pytorch() throws IOException {
        List<Path> specs = specs();
        assertTrue(specs.size() >= 66, "the reference sets have 48 + 18 specs, found " + specs.size());
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (reverse walk and compiled "
                + "reverse walk)");
        ReferenceAgreement oracles = new ReferenceAgreement("PyTorch float64 autograd (complex step and forward AD, "
                + "floor: the oracle's error bound + PyTorch's rounding bound)");
        Stream<DynamicTest> each = specs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            LayeredSpec spec = assertInstanceOf(LayeredSpec.class, SpecReader.readAny(p));
            Model model = Models.of(spec);
            JsonNode expected = ReferenceData.expected(p);
            double[] point = model.point();
            GraphFunction f = new GraphFunction(model);
            double loss = f.loss(point);
            double refLoss = expected.get("loss").doubleValue();
            assertTrue(Math.abs(loss - refLoss) <= 1e-12 * Math.abs(refLoss), p + ": loss " + loss + " vs " + refLoss);
            double[] walk = f.gradient(point);
            double[] compiled = GraphCompiler.compile(model).gradient(point);
            ComplexStep.Result[] step = f.complexStep(point);
            ComplexStep.Result[] ad = new ComplexStep.Result[point.length];
            for (int i = 0; i < point.length; i++) {
                ad[i] = f.forwardAD(point, i);
            }
            List<Way> ways = new ArrayList<>();
            ways.add(new Way("reverse walk", i -> walk[i]));
            ways.add(new Way("compiled reverse walk", i -> compiled[i]));
            ways.add(new Way("complex step", i -> step[i].estimate().value()));
            ways.add(new Way("forward AD", i -> ad[i].estimate().value()));
            double[] reference = ReferenceData.flatten(model, expected.get("gradients"));
            double[] floors = ReferenceAgreement.floors(model, expected.get("producer").asText());
            double[] pytorchBound = BackpropBound.judged(model, BackpropBound.FLOAT64);
            int before = agreement.disagreements().size();
            int oraclesBefore = oracles.disagreements().size();
            for (Way way : ways) {
                for (int i = 0; i < reference.length; i++) {
                    String where = p.getFileName() + ", " + way.name() + ", " + model.parameterNames().get(i);
                    double ours = way.partial().applyAsDouble(i);
                    if (way.name().endsWith("reverse walk")) {
                        agreement.compare(where, ours, reference[i], floors[i]);
                    } else {
                        ComplexStep.Result r = way.name().equals("complex step") ? step[i] : ad[i];
                        oracles.compare(where, ours, reference[i], r.estimate().errorEstimate() + pytorchBound[i]);
                    }
                }
            }
            List<String> wrong = agreement.disagreements();
            assertEquals(List.of(), wrong.subList(before, wrong.size()), "reverse-walk entries that disagree with PyTorch");
            List<String> wrongOracles = oracles.disagreements();
            assertEquals(List.of(), wrongOracles.subList(oraclesBefore, wrongOracles.size()),
                    "complex-step and forward-AD entries that disagree with PyTorch");
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            System.out.println(oracles.report());
            assertTrue(agreement.entries() > 0 && oracles.entries() > 0, "no entry was compared");
            assertTrue(agreement.worstShare() <= 1, agreement.report());
            assertTrue(oracles.worstShare() <= 1, oracles.report());
        })));
    }

    @TestFactory
    Stream<DynamicTest> verify_accepts_pytorchs_gradients_and_rejects_a_planted_error() throws IOException {
        return specs().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            double[] claimed = ReferenceData.flatten(model, ReferenceData.expected(p).get("gradients"));
            GraphFunction f = new GraphFunction(model);
            VerificationReport correct = new GradientVerifier().verifyExhaustively(f, claimed);
            assertTrue(correct.passed(), p + ": PyTorch's gradients flagged: " + correct.failures());
            int largest = 0;
            for (int i = 0; i < claimed.length; i++) {
                if (Math.abs(claimed[i]) > Math.abs(claimed[largest])) {
                    largest = i;
                }
            }
            double[] wrong = claimed.clone();
            wrong[largest] += 1e-6 * Math.abs(claimed[largest]);
            VerificationReport planted = new GradientVerifier().verifyExhaustively(f, wrong);
            assertTrue(!planted.passed() && planted.failures().size() == 1,
                    p + ": a 1e-6 error in " + model.parameterAt(largest) + " was not the one failure: "
                            + planted.failures());
        }));
    }
}
