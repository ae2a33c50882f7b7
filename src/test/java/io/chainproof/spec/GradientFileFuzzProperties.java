package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzing as tests for the claimed gradients of {@code chainproof verify}: gradient files (PyTorch's, and ones
 * written from chainproof's own gradients for every spec kind), Hessian-vector product files and name maps, made
 * hostile by {@link DocumentMutator} and read against a valid spec as {@code verify} reads them
 * ({@link GradientFileReader#readFlat}, {@link GradientFileReader#readSection}, {@link GradientFileReader#readNames},
 * and for an MLP {@link GradientFileReader#read}), must give one number per parameter or be refused with a
 * {@link SpecException} naming the file and a field ({@link HostileInput}).
 */
@AddLifecycleHook(FuzzTries.class)
class GradientFileFuzzProperties {

    private static final JsonMapper JSON = new JsonMapper();

    /** How a file is read: the way {@code verify} reads it for its option. */
    enum Reading { GRADIENTS, HVP_VECTOR, HVP, NAMES, MLP_TENSORS }

    /** A valid spec, a valid file for it, and how the file is read. */
    record Case(String name, Spec spec, LossFunction function, Map<String, Object> template,
                Map<String, String> names, DocumentMutator.Seed file, Reading reading) {
        @Override
        public String toString() {
            return name + " (" + reading + ")";
        }
    }

    static final List<Case> CASES = cases();

    private static Path directory;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        directory = Files.createTempDirectory("chainproof-fuzz-gradients");
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

    @Example
    void every_unmutated_file_is_read_whole() throws Exception {
        for (Case c : CASES) {
            Path file = directory.resolve("valid.json");
            Files.writeString(file, DocumentMutator.write(c.file().tree(), SpecFormat.JSON));
            try {
                read(c, file);
            } finally {
                Files.delete(file);
            }
        }
    }

    @Provide
    Arbitrary<Mutant> files() {
        return Combinators.combine(Arbitraries.of(CASES), Arbitraries.of(SpecFormat.class), Arbitraries.longs())
                .as((c, format, random) -> new Mutant(c, DocumentMutator.mutate(c.file(), format, random)));
    }

    /** A case with its file made hostile. */
    record Mutant(Case of, MutatedDocument document) {
        @Override
        public String toString() {
            return of + ": " + document;
        }
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void mutated_gradient_files_are_read_whole_or_refused_naming_the_file_and_a_field(@ForAll("files") Mutant mutant)
            throws IOException {
        Path file = directory.resolve("claimed" + mutant.document().extension());
        Files.write(file, mutant.document().bytes());
        try {
            HostileInput.readOrRefused(directory, file.toString(), () -> read(mutant.of(), file),
                    () -> mutant.of() + ", " + mutant.document().describe());
        } finally {
            Files.delete(file);
        }
    }

    /** Reads the file as {@code verify} does, and checks that what it read has the spec's size. */
    private static Optional<Object> read(Case c, Path file) {
        int parameters = c.function().parameterNames().size();
        switch (c.reading()) {
            case GRADIENTS -> assertEquals(parameters,
                    GradientFileReader.readFlat(file, c.function().name(), c.template(), c.names()).length);
            case HVP_VECTOR, HVP -> assertEquals(parameters, GradientFileReader.readSection(file,
                    c.function().name(), c.template(), c.names(), c.reading() == Reading.HVP ? "hvp" : "vector").length);
            case NAMES -> assertEquals(Optional.empty(), GradientFileReader.readNames(file, c.template().keySet())
                    .values().stream().filter(n -> !c.template().containsKey(n)).findFirst());
            case MLP_TENSORS -> assertEquals(((NetworkSpec) c.spec()).layerCount(),
                    GradientFileReader.read(file, (NetworkSpec) c.spec()).weights().size());
            default -> throw new IllegalStateException(c.reading().name());
        }
        return Optional.empty();
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String[][] claimed = {
                {"examples/mlp-2-3-2-1.json", "examples/claimed/mlp-2-3-2-1.torch.json"},
                {"examples/mlp-2-3-2-1.json", "examples/claimed/mlp-2-3-2-1.missing-sigmoid-derivative.json"},
                {"examples/small-cnn.json", "examples/claimed/small-cnn.torch.json"},
                {"examples/residual-mlp.json", "examples/claimed/residual-mlp.torch.json"},
                {"examples/transformer-block.json", "examples/claimed/transformer-block.torch.json"},
                {"examples/lstm-language-model.json", "examples/claimed/lstm-language-model.torch.json"},
                {"examples/remedies/rnn-tanh-50.json", "examples/claimed/rnn-tanh-50.torch.json"},
        };
        for (String[] pair : claimed) {
            cases.add(of(pair[0], DocumentMutator.seeds(pair[1]).get(0), Map.of(), Reading.GRADIENTS));
        }
        DocumentMutator.Seed mlp = DocumentMutator.seeds("examples/claimed/mlp-2-3-2-1.torch.json").get(0);
        cases.add(of("examples/mlp-2-3-2-1.json", mlp, Map.of(), Reading.MLP_TENSORS));
        DocumentMutator.Seed hvp = DocumentMutator.seeds("examples/claimed/mlp-2-3-2-1.hvp.torch.json").get(0);
        cases.add(of("examples/mlp-2-3-2-1.json", hvp, Map.of(), Reading.HVP_VECTOR));
        cases.add(of("examples/mlp-2-3-2-1.json", hvp, Map.of(), Reading.HVP));
        for (String spec : new String[] {"examples/rnn-vanishing.json", "examples/lecture-chain.json",
                "src/test/resources/reference/layered/batchnorm-conv2d-00.spec.json",
                "src/test/resources/reference/layered-sequence/gru-last.spec.json"}) {
            cases.add(of(spec, ownGradients(spec), Map.of(), Reading.GRADIENTS));
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("conv.weight", "W1");
        names.put("conv.bias", "b1");
        names.put("fc.weight", "W4");
        names.put("fc.bias", "b4");
        ObjectNode renamed = JSON.createObjectNode();
        JsonNode torch = DocumentMutator.seeds("examples/claimed/small-cnn.torch.json").get(0).tree().get("gradients");
        names.forEach((theirs, ours) -> renamed.set(theirs, torch.get(ours)));
        cases.add(of("examples/small-cnn.json", new DocumentMutator.Seed("small-cnn gradients by PyTorch's names",
                renamed), names, Reading.GRADIENTS));
        cases.add(of("examples/small-cnn.json", new DocumentMutator.Seed("small-cnn name map",
                JSON.valueToTree(names)), Map.of(), Reading.NAMES));
        return List.copyOf(cases);
    }

    private static Case of(String specFile, DocumentMutator.Seed file, Map<String, String> names, Reading reading) {
        Spec spec = SpecReader.readAny(Path.of(specFile));
        LossFunction f = LossFunctions.of(spec);
        Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
        return new Case(specFile + " with " + file.name(), spec, f, template, names, file, reading);
    }

    /** A gradient file of chainproof's own gradient at the spec's point, in PyTorch's layout. */
    private static DocumentMutator.Seed ownGradients(String specFile) {
        LossFunction f = LossFunctions.of(SpecReader.readAny(Path.of(specFile)));
        ObjectNode root = JSON.createObjectNode();
        root.put("loss", f.loss(f.point()));
        root.set("gradients", JSON.valueToTree(f.tensors(f.gradient(f.point()))));
        root.put("producer", "chainproof");
        return new DocumentMutator.Seed(specFile + " own gradients", root);
    }
}
