package io.chainproof.render;

import io.chainproof.explain.Explainer;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.ProofSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden files: every writer's output for the lecture example, compared byte for byte with files that a
 * person read and checked (the numbers against {@code proofs/lecture-example.md} and the PyTorch
 * reference data). After a deliberate change to the output, regenerate them and review the diff:
 *
 * <pre>
 *   mvn -B -q test -Dtest=GoldenFileTests -Dchainproof.updateGolden=true
 * </pre>
 *
 * The files: {@code src/test/resources/golden/derive-lecture-chain-W1.{txt,md,tex,html}} ({@code chainproof
 * derive examples/lecture-chain.json --parameter W1[0][0] --format …}) and the committed lecture examples
 * {@code examples/lecture/*.{md,html}} ({@code chainproof explain … --format markdown|html}).
 */
class GoldenFileTests {

    private static final boolean UPDATE = Boolean.getBoolean("chainproof.updateGolden");
    /** Generous, so that a slow machine reaches the same symbolic proof as a fast one. */
    private static final ProofSettings SETTINGS = ProofSettings.DEFAULTS.withSymbolicTimeLimit(Duration.ofSeconds(60));
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Path LECTURE = Path.of("examples/lecture");

    private record Format(String extension, Function<Document, String> writer) {
    }

    private static final List<Format> ALL = List.of(new Format("txt", TextWriter::write), new Format("md", MarkdownWriter::write),
            new Format("tex", LatexWriter::write), new Format("html", HtmlWriter::write));

    @TestFactory
    List<DynamicTest> derivation_of_w1_in_every_format_matches_its_golden_file() {
        NetworkSpec spec = SpecReader.read(Path.of("examples/lecture-chain.json"));
        Document document = DerivationDocument.of(spec,
                Explainer.of(spec).explain(List.of(ParameterId.weight(1, 0, 0)), SETTINGS));
        List<DynamicTest> tests = new ArrayList<>();
        for (Format f : ALL) {
            tests.add(DynamicTest.dynamicTest(f.extension(), () ->
                    compare(GOLDEN.resolve("derive-lecture-chain-W1." + f.extension()), f.writer().apply(document))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> lecture_examples_in_markdown_and_html_match_the_committed_files() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("lecture-chain", "lecture-chain-saturated")) {
            NetworkSpec spec = SpecReader.read(Path.of("examples/" + name + ".json"));
            // the committed lecture pages carry the sliders (InteractivePageTests moves them)
            Document document = ExplanationDocument.of(Explainer.of(spec).story(SETTINGS), true);
            for (Format f : List.of(ALL.get(1), ALL.get(3))) {
                tests.add(DynamicTest.dynamicTest(name + "." + f.extension(), () ->
                        compare(LECTURE.resolve(name + "." + f.extension()), f.writer().apply(document))));
            }
        }
        return tests;
    }

    private static void compare(Path golden, String actual) throws IOException {
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            fail("Golden file " + golden + " is missing; generate it with "
                    + "mvn -B -q test -Dtest=GoldenFileTests -Dchainproof.updateGolden=true and review it");
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            String[] e = expected.split("\n", -1);
            String[] a = actual.split("\n", -1);
            int line = 0;
            while (line < Math.min(e.length, a.length) && e[line].equals(a[line])) {
                line++;
            }
            assertEquals(line < e.length ? abbreviate(e[line]) : "<end of file>", line < a.length ? abbreviate(a[line]) : "<end of file>",
                    golden + " differs from the output at line " + (line + 1) + "; if the change is deliberate, regenerate with "
                            + "mvn -B -q test -Dtest=GoldenFileTests -Dchainproof.updateGolden=true and review the diff");
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 400 ? line : line.substring(0, 400) + "…";
    }
}
