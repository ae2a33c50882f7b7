package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.ops.ElementwiseOp;
import io.chainproof.ops.LocalRules;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kept derivations ({@link DerivedRules}, {@code src/main/resources/io/chainproof/symbolic/derived-rules.json})
 * are Symja's: every activation, loss, the softmax Jacobian, the affine partials, every op derivative and derivative
 * bound γ that the bundled models (examples and reference specs) ask for, re-derived by Symja now and compared with
 * the file, byte for byte. After a deliberate change to an op definition or to Symja, regenerate it with
 * <pre>
 *   mvn -B -q test -Dtest=DerivedRulesTests -Dchainproof.updateDerived=true
 * </pre>
 * and review the diff.
 */
class DerivedRulesTests {

    private static final Path FILE = Path.of("src/main/resources/io/chainproof/symbolic/" + DerivedRules.RESOURCE);
    private static final boolean UPDATE = Boolean.getBoolean("chainproof.updateDerived");

    @Test
    void the_kept_derivations_are_what_symja_derives_now() throws IOException {
        String fresh = derive().write();
        if (UPDATE) {
            Files.writeString(FILE, fresh, StandardCharsets.UTF_8);
        }
        if (!Files.exists(FILE)) {
            fail(FILE + " is missing; generate it with mvn -B -q test -Dtest=DerivedRulesTests "
                    + "-Dchainproof.updateDerived=true");
        }
        assertEquals(fresh, Files.readString(FILE, StandardCharsets.UTF_8), FILE + " is not what Symja derives now; "
                + "regenerate it with -Dchainproof.updateDerived=true and review the diff");
        DerivedRules kept = DerivedRules.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(fresh));
        assertEquals(fresh, kept.write(), "the file reads back to itself");
        if (!UPDATE) {
            assertEquals(kept, DerivedRules.kept(), "the start-up reader (streaming, no ObjectMapper) reads what it holds");
        }
        assertEquals(Activation.values().length - 1, kept.activations().size());
        assertEquals(Loss.values().length, kept.losses().size());
        assertTrue(kept.softmax().isPresent() && kept.affine().isPresent());
        assertTrue(kept.derivatives().size() >= 10, kept.derivatives().size() + " op derivatives");
    }

    /** Every entry, by Symja now: the activations, losses, softmax, affine map and the ops the bundled models use. */
    private static DerivedRules derive() throws IOException {
        Map<Activation, ActivationDerivative> activations = new EnumMap<>(Activation.class);
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX) {
                activations.put(a, LocalDerivatives.deriveActivation(a));
            }
        }
        Map<Loss, LossDerivative> losses = new EnumMap<>(Loss.class);
        for (Loss l : Loss.values()) {
            losses.put(l, LocalDerivatives.deriveLoss(l));
        }
        Map<DerivedRules.Key, Expr> derivatives = new LinkedHashMap<>();
        Map<Expr, ActivationBound> bounds = new LinkedHashMap<>();
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX) {
                bounds.computeIfAbsent(a.elementwise().definition(), d -> DerivativeBounds.derive(a.elementwise()));
            }
        }
        LocalRules recording = new LocalRules() {
            @Override
            public Expr derivative(Expr definition, String variable) {
                return derivatives.computeIfAbsent(new DerivedRules.Key(definition, variable),
                        k -> SymbolicRules.derive(k.definition(), k.variable()));
            }

            @Override
            public double derivativeBound(ElementwiseOp op) {
                return bounds.computeIfAbsent(op.definition(), d -> DerivativeBounds.derive(op)).gamma();
            }
        };
        int walked = 0;
        for (Path spec : specs()) {
            Spec s = SpecReader.readAny(spec);
            if (s instanceof io.chainproof.spec.FormulaSpec) {
                continue; // a user's formula is derived when it is used, not kept
            }
            Model model = s instanceof NetworkSpec n ? Models.mlp(n) : Models.of(s);
            ModelEvaluator.gradient(model, model.point(), ModelEvaluator.ReverseFilter.ALL, recording);
            walked++;
        }
        assertTrue(walked >= 150, "only " + walked + " bundled models walked");
        return new DerivedRules(activations, losses, Optional.of(LocalDerivatives.deriveSoftmax()),
                Optional.of(LocalDerivatives.deriveAffine()), derivatives, bounds);
    }

    private static List<Path> specs() throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (Path root : List.of(Path.of("examples"), Path.of("src/test/resources/reference"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("invalid")
                                && !p.toString().contains("claimed") && !p.toString().contains("consumer")
                                && (root.startsWith("examples") || p.toString().endsWith(".spec.json")))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }
}
