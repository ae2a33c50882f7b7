package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.ReferenceAgreement;
import io.chainproof.ReferenceData;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Layered models — convolutions, pooling, layer and batch norm, residual blocks, embeddings, dense layers — against
 * PyTorch float64 autograd: 48 specs checked in under {@code src/test/resources/reference/layered/} by
 * {@code src/test/python/make_layered_reference.py}, which also checks its own values by central differences and by
 * an independent numpy forward pass; and 18 with rnn, lstm, gru and attention layers (alone, after an embedding or
 * a dense layer, in residual blocks — a causal transformer block among them —, stacked, over 30 steps) under
 * {@code reference/layered-sequence/} by {@code make_sequence_reference.py}, from the code PyTorch's own modules
 * run, checked by central differences. Each way chainproof differentiates must agree per entry:
 * {@code |ours − ref| ≤ 1e−9·|ref| + 1e−12·max_T|ref| + 1e−15} — relative, with a per-tensor floor for entries that
 * are small differences of large terms, and an absolute 1e−15 for the biases just before a batch norm, whose true
 * gradient is 0 and whose PyTorch value is rounding noise of about 1e−16. The two reverse walks must also agree to
 * {@code 1e−12·|ref| + floor}, the floor from the two arithmetics' rounding bounds ({@link ReferenceAgreement}); the
 * last dynamic test prints their worst per-entry relative error. Then {@code verify} with the complex step
 * must accept PyTorch's gradient as correct (no false alarm on a correct library), and reject it with one entry
 * moved by 1e−6 of the largest.
 */
class LayeredReferenceTests {

    static final double RELATIVE = 1e-9;
    static final double TENSOR_FLOOR = 1e-12;
    static final double ABSOLUTE = 1e-15;

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
            List<Way> ways = new ArrayList<>();
            ways.add(new Way("reverse walk", i -> walk[i]));
            ways.add(new Way("compiled reverse walk", i -> compiled[i]));
            ways.add(new Way("complex step", i -> step[i].estimate().value()));
            ways.add(new Way("forward AD", i -> f.forwardAD(point, i).estimate().value()));
            double[] reference = ReferenceData.flatten(model, expected.get("gradients"));
            double[] floors = ReferenceAgreement.floors(model, expected.get("producer").asText());
            int before = agreement.disagreements().size();
            for (Way way : ways) {
                for (Parameter param : model.parameters()) {
                    double tensorMax = 0;
                    for (int i = 0; i < param.size(); i++) {
                        tensorMax = Math.max(tensorMax, Math.abs(reference[param.offset() + i]));
                    }
                    for (int i = param.offset(); i < param.offset() + param.size(); i++) {
                        double ours = way.partial().applyAsDouble(i);
                        double allowed = RELATIVE * Math.abs(reference[i]) + TENSOR_FLOOR * tensorMax + ABSOLUTE;
                        if (way.name().endsWith("reverse walk")) {
                            agreement.compare(p.getFileName() + ", " + way.name() + ", " + model.parameterNames().get(i),
                                    ours, reference[i], floors[i]);
                        }
                        if (!(Math.abs(ours - reference[i]) <= allowed)) {
                            fail(p.getFileName() + ", " + way.name() + ": " + model.parameterAt(i) + " = " + ours
                                    + ", PyTorch " + reference[i] + ", |difference| " + Math.abs(ours - reference[i])
                                    + " > " + allowed);
                        }
                    }
                }
            }
            List<String> wrong = agreement.disagreements();
            assertEquals(List.of(), wrong.subList(before, wrong.size()), "reverse-walk entries that disagree with PyTorch");
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            assertTrue(agreement.entries() > 0, "no entry was compared");
            assertTrue(agreement.worstShare() <= 1, agreement.report());
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
