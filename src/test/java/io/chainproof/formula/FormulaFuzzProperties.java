package io.chainproof.formula;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.chainproof.expr.Expr;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.FuzzTries;
import io.chainproof.spec.HostileInput;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Fuzzing as tests for the sandbox of formula specs: valid formulas made hostile by {@link FormulaMutator} (heads
 * outside the allow-list, deep nesting, huge exponents, sum bombs, Unicode, Symja's operators, typing accidents),
 * written into a formula spec file and read as the command line reads them ({@link SpecReader#readAny}, then
 * {@link FormulaParser#parse}), must parse or be refused with a {@link SpecException} naming the file and the field
 * {@code formula} ({@link HostileInput}); a formula that calls a head outside the allow-list is never parsed.
 */
@AddLifecycleHook(FuzzTries.class)
class FormulaFuzzProperties {

    private static final JsonMapper JSON = new JsonMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Valid formulas over parameters w, b and list inputs x, y of three entries, with every construct. */
    static final List<String> FORMULAS = List.of(
            "(LogisticSigmoid[w*LogisticSigmoid[b*LogisticSigmoid[w*x[[1]] + b] + w] + b] - y[[1]])^2",
            "Sum[(w*x[[i]] + b - y[[i]])^2, {i, 1, 3}]",
            "Log[1 + Exp[-y[[1]]*(w*x[[2]] + b)]] + Softplus[w] - Sech[b]/2",
            "Sqrt[w^2 + 1e-12] + Tanh[b]*Erf[w] + LogisticSigmoid[w - b]^E - Pi*Sigmoid[b]",
            "Sum[Sum[w*x[[i]]*y[[j]], {j, 1, 3}], {i, 2}] / 9 - -b^-2");

    private static Path directory;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        directory = Files.createTempDirectory("chainproof-fuzz-formula");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    /** A hostile formula, how it was made, and the syntax of its spec file. */
    record Mutant(String formula, List<String> mutations, SpecFormat format) {
        @Override
        public String toString() {
            return format + " " + mutations;
        }

        String describe() {
            String shown = formula.length() <= 300 ? formula : formula.substring(0, 300) + "... (" + formula.length()
                    + " chars)";
            return "formula " + mutations + " as " + format + ": <" + shown + ">";
        }
    }

    @Provide
    Arbitrary<Mutant> formulas() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(FORMULAS), Arbitraries.longs(),
                Arbitraries.of(SpecFormat.class)).as((formula, random, format) -> {
                    List<String> done = new ArrayList<>();
                    return new Mutant(FormulaMutator.mutate(formula, random, done), done, format);
                });
    }

    @Provide
    Arbitrary<Mutant> forbiddenCalls() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(FORMULAS), Arbitraries.longs(),
                Arbitraries.of(SpecFormat.class)).as((formula, random, format) -> {
                    List<String> done = new ArrayList<>();
                    return new Mutant(FormulaMutator.withForbiddenCall(formula, random, done), done, format);
                });
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void mutated_formulas_are_parsed_or_refused_naming_the_file_and_the_formula(@ForAll("formulas") Mutant mutant)
            throws IOException {
        parsedOrRefused(mutant);
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void a_call_of_a_head_outside_the_allow_list_is_never_parsed(@ForAll("forbiddenCalls") Mutant mutant)
            throws IOException {
        Optional<Expr> parsed = parsedOrRefused(mutant);
        assertFalse(parsed.isPresent(), () -> "parsed " + parsed.orElseThrow() + "\n" + mutant.describe());
    }

    /**
     * Writes the formula into a spec file, reads and parses it confined; a refusal of a formula that was read must
     * name the field {@code formula}.
     */
    private static Optional<Expr> parsedOrRefused(Mutant mutant) throws IOException {
        Path file = directory.resolve("formula" + (mutant.format() == SpecFormat.JSON ? ".json" : ".yaml"));
        Files.write(file, specText(mutant.formula(), mutant.format()).getBytes(StandardCharsets.UTF_8));
        try {
            return HostileInput.readOrRefused(directory, file.toString(), () -> {
                FormulaSpec spec = (FormulaSpec) SpecReader.readAny(file);
                try {
                    return FormulaParser.parse(spec);
                } catch (SpecException e) {
                    assertEquals("formula", e.getFieldPath(), e.getMessage());
                    throw e;
                }
            }, mutant::describe);
        } finally {
            Files.delete(file);
        }
    }

    private static String specText(String formula, SpecFormat format) throws IOException {
        ObjectNode spec = JSON.createObjectNode().put("type", "formula").put("name", "fuzzed").put("formula", formula);
        spec.putObject("parameters").put("w", 0.5).put("b", -0.25);
        ObjectNode inputs = spec.putObject("inputs");
        inputs.putArray("x").add(1.0).add(2.0).add(3.0);
        inputs.putArray("y").add(0.5).add(1.0).add(1.5);
        return format == SpecFormat.JSON ? JSON.writeValueAsString(spec) : YAML.writeValueAsString(spec);
    }
}
