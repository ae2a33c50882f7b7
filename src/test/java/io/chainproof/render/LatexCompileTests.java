package io.chainproof.render;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles the LaTeX of {@code chainproof derive --all} and {@code chainproof explain} with pdflatex, when it is
 * installed: it must exit 0, write a PDF, and log no missing characters or undefined control sequences. The
 * PDFs are kept in {@code target/latex/}. Without pdflatex (see {@link ExternalTool}) each test is skipped, by
 * name; the allow-list test in {@link LatexWriterTests} still checks every macro.
 */
class LatexCompileTests {

    /** The limit on one pdflatex run, in seconds. */
    private static final int TIMEOUT_SECONDS = 120;
    private static final Path OUTPUT = Path.of("target", "latex");
    private static final List<String> BAD_LOG_LINES = List.of("Missing character", "Undefined control sequence");

    private Path pdflatex;

    /**
     * Before each test, not once for the class: without pdflatex each test is then reported as skipped by name
     * (an assumption in {@code @BeforeAll} skips the class as a whole, reported as no test at all).
     */
    @BeforeEach
    void locatePdflatex() {
        pdflatex = ExternalTool.PDFLATEX.find().orElse(null);
        Assumptions.assumeTrue(pdflatex != null, () -> ExternalTool.PDFLATEX.notFound() + ", so the LaTeX is not "
                + "compiled (install texlive-latex-base to compile it); LatexWriterTests' allow-list test still "
                + "checks every macro");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"derive, lecture-chain", "derive, lecture-chain-saturated", "derive, mlp-2-3-2-1",
            "explain, lecture-chain", "explain, lecture-chain-saturated", "explain, softmax-classifier"})
    void the_document_compiles_with_pdflatex(String command, String example) throws Exception {
        Document document = command.equals("derive") ? LatexWriterTests.derivation(example, true)
                : LatexWriterTests.explanation(example);
        String name = command + "-" + example;
        compile(name, LatexWriter.write(document));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"examples/small-cnn.json", "examples/residual-mlp.json",
            "src/test/resources/reference/layered/embedding-02.spec.json",
            "src/test/resources/reference/layered/batchnorm-conv2d-00.spec.json"})
    void a_layered_derivation_compiles_with_pdflatex(String spec) throws Exception {
        Document document = LayeredDocument.of((io.chainproof.spec.LayeredSpec) io.chainproof.spec.SpecReader.readAny(
                Path.of(spec)));
        String name = "layered-" + Path.of(spec).getFileName().toString().replace(".spec.json", "").replace(".json", "");
        compile(name, LatexWriter.write(document));
    }

    @org.junit.jupiter.api.Test
    void the_remedies_lesson_compiles_with_pdflatex() throws Exception {
        // the committed lesson, which CompareCommandTests regenerates and compares; its plot is a LaTeX picture
        String latex = Files.readString(Path.of("examples/lecture/remedies.tex"), StandardCharsets.UTF_8);
        assertTrue(latex.contains("\\begin{picture}") && latex.contains("\\qbezier"), "the plot is in the LaTeX");
        compile("compare-remedies", latex);
    }

    /** Compiles the source in a fresh, afterwards deleted, directory and copies the PDF to {@link #OUTPUT}. */
    private void compile(String name, String latex) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("chainproof-latex-");
        Path pdf = dir.resolve(name + ".pdf");
        try {
            Files.writeString(dir.resolve(name + ".tex"), latex, StandardCharsets.US_ASCII);
            Process process = new ProcessBuilder(pdflatex.toString(), "-interaction=nonstopmode", "-halt-on-error",
                    name + ".tex").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout").toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("pdflatex " + name + ".tex did not finish within " + TIMEOUT_SECONDS + " s and was killed");
            }
            String log = Files.exists(dir.resolve(name + ".log"))
                    ? Files.readString(dir.resolve(name + ".log"), StandardCharsets.ISO_8859_1) : "(no log)";
            assertEquals(0, process.exitValue(), () -> "pdflatex " + name + ".tex ==> exit code; the errors:\n"
                    + errors(log));
            assertTrue(Files.isRegularFile(pdf) && Files.size(pdf) > 1000, "pdflatex " + name + ".tex ==> no PDF written");
            for (String bad : BAD_LOG_LINES) {
                Optional<String> line = log.lines().filter(l -> l.contains(bad)).findFirst();
                assertTrue(line.isEmpty(), () -> "pdflatex " + name + ".tex ==> the log has <" + line.get() + ">");
            }
            Files.createDirectories(OUTPUT);
            Files.copy(pdf, OUTPUT.resolve(name + ".pdf"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The log's error lines ({@code !} and the two lines after each). */
    private static String errors(String log) {
        List<String> lines = log.lines().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("!")) {
                lines.subList(i, Math.min(lines.size(), i + 3)).forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.isEmpty() ? log.substring(Math.max(0, log.length() - 2000)) : out.toString();
    }
}
