package io.chainproof.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzing as tests: valid specs of every kind (MLP, layered with every layer type, RNN, formula; JSON and YAML) made
 * hostile by {@link DocumentMutator} and read as the command line reads them ({@link SpecReader#readAny}, then the
 * model built from what was read) must be read, or refused with a {@link SpecException} naming the file and a field
 * in one line — never another exception, a stack overflow, an out-of-memory error, a hang or a file written
 * ({@link HostileInput}). {@link FuzzTries#DEFAULT} tries in the default build; {@code mvn -B -Pfuzz test
 * -Dtest='*Fuzz*'} runs 100,000.
 */
@AddLifecycleHook(FuzzTries.class)
class SpecReaderFuzzProperties {

    /** Formulas with every construct: sums over list inputs, every allowed function, constants. */
    static final List<String> FORMULAS = List.of(
            "Sum[(w*x[[i]] + b - y[[i]])^2, {i, 1, 3}]",
            "Log[1 + Exp[-y[[1]]*(w*x[[2]] + b)]] + Softplus[w] - Sech[b]/2",
            "Sqrt[w^2 + 1e-12] + Tanh[b]*Erf[w] + LogisticSigmoid[w - b]^E - Pi*Sigmoid[b]",
            "Sum[Sum[w*x[[i]]*y[[j]], {j, 1, 3}], {i, 2}] / 9");

    /** Valid specs: every kind, every layer type, both syntaxes. */
    static final List<DocumentMutator.Seed> SEEDS = seeds();

    private static Path directory;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        directory = Files.createTempDirectory("chainproof-fuzz-spec");
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

    @Provide
    Arbitrary<MutatedDocument> documents() {
        return Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.of(SpecFormat.class), Arbitraries.longs())
                .as(DocumentMutator::mutate);
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void mutated_specs_are_read_and_built_or_refused_naming_the_file_and_a_field(
            @ForAll("documents") MutatedDocument document) throws IOException {
        Path file = directory.resolve("fuzzed" + document.extension());
        Files.write(file, document.bytes());
        try {
            HostileInput.readOrRefused(directory, file.toString(), () -> built(SpecReader.readAny(file)),
                    document::describe);
        } finally {
            Files.delete(file);
        }
    }

    /** The model of a spec that was read, as the commands build it; a formula's only once it is parsed. */
    private static Optional<Model> built(Spec spec) {
        return spec instanceof FormulaSpec ? Optional.empty() : Optional.of(Models.of(spec));
    }

    private static List<DocumentMutator.Seed> seeds() {
        List<DocumentMutator.Seed> seeds = new ArrayList<>(DocumentMutator.seeds(
                "examples/lecture-chain.json", "examples/mlp-2-3-2-1.json", "examples/softmax-classifier.json",
                "src/test/resources/specs/good/iris-classifier.yml", "src/test/resources/specs/good/lecture-chain.yaml",
                "examples/small-cnn.json", "examples/residual-mlp.json", "examples/lstm-language-model.json",
                "examples/transformer-block.json", "examples/remedies/batchnorm-sigmoid-20.json",
                "src/test/resources/reference/layered/conv1d-00.spec.json",
                "src/test/resources/reference/layered/conv2d-01.spec.json",
                "src/test/resources/reference/layered/pool-max2d-00.spec.json",
                "src/test/resources/reference/layered/pool-avg1d-00.spec.json",
                "src/test/resources/reference/layered/embedding-00.spec.json",
                "src/test/resources/reference/layered/layernorm-seq-00.spec.json",
                "src/test/resources/reference/layered/batchnorm-conv2d-00.spec.json",
                "src/test/resources/reference/layered/residual-conv1d.spec.json",
                "src/test/resources/reference/layered/mixed-03.spec.json",
                "src/test/resources/reference/layered-sequence/attention-causal.spec.json",
                "src/test/resources/reference/layered-sequence/gru-last.spec.json",
                "src/test/resources/reference/layered-sequence/lstm-sequence.spec.json",
                "src/test/resources/reference/layered-sequence/rnn-relu-sequence.spec.json",
                "src/test/resources/reference/layered-sequence/residual-rnn.spec.json",
                "src/test/resources/reference/layered-sequence/embedding-lstm.spec.json",
                "examples/rnn-vanishing.json", "examples/rnn-tanh-every.json", "examples/rnn-exploding.json",
                "src/test/resources/specs/rnn-relu-at-kink.json", "examples/lecture-chain-formula.json"));
        ObjectNode named = (ObjectNode) DocumentMutator.seeds("examples/small-cnn.json").get(0).tree();
        named.set("names", JsonNodeFactory.instance.objectNode().put("conv.weight", "W1").put("conv.bias", "b1")
                .put("fc.weight", "W4").put("fc.bias", "b4"));
        seeds.add(new DocumentMutator.Seed("examples/small-cnn.json with names", named));
        ObjectNode initialised = (ObjectNode) DocumentMutator.seeds("examples/mlp-2-3-2-1.json").get(0).tree();
        initialised.remove("parameters");
        initialised.set("init", JsonNodeFactory.instance.objectNode().put("scheme", "he_uniform").put("seed", 7));
        seeds.add(new DocumentMutator.Seed("examples/mlp-2-3-2-1.json with init", initialised));
        for (String formula : FORMULAS) {
            seeds.add(new DocumentMutator.Seed("formula " + formula, formulaSpec(formula)));
        }
        return List.copyOf(seeds);
    }

    /** A formula spec over parameters w, b and list inputs x, y of three entries. */
    static ObjectNode formulaSpec(String formula) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode().put("type", "formula").put("name", "fuzzed-formula").put("formula", formula);
        spec.set("parameters", f.objectNode().put("w", 0.5).put("b", -0.25));
        ObjectNode inputs = f.objectNode();
        inputs.set("x", f.arrayNode().add(1.0).add(2.0).add(3.0));
        inputs.set("y", f.arrayNode().add(0.5).add(1.0).add(1.5));
        spec.set("inputs", inputs);
        return spec;
    }
}
