package io.chainproof.proofs;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every written proof in {@code proofs/} (see {@code proofs/README.md}) has the sections Statement, Proof,
 * Sources and Checked by, and every test its "Checked by" list names exists on the test classpath: a
 * proof that cites a renamed or deleted test fails here.
 */
class ProofReferencesTests {

    private static final Path PROOFS = Path.of("proofs");
    private static final List<String> SECTIONS = List.of("Statement", "Proof", "Sources", "Checked by");
    private static final Pattern HEADING = Pattern.compile("(?m)^## +(.+?)\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("`([A-Za-z_][\\w.$]*)#([A-Za-z_]\\w*)`");

    @TestFactory
    Stream<DynamicTest> every_proof_names_only_tests_that_exist() throws IOException {
        List<Path> proofs = proofFiles();
        assertFalse(proofs.isEmpty(), "no proofs found in <" + PROOFS.toAbsolutePath() + ">");
        return proofs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            assertEquals(List.of(), problems(Files.readString(p, StandardCharsets.UTF_8)), "proof <" + p + ">");
        }));
    }

    @Test
    void a_reference_to_a_missing_method_or_class_is_reported() {
        String proof = proof("- `io.chainproof.proofs.ProofReferencesTests#no_such_test` — gone.\n"
                + "- `io.chainproof.nowhere.GoneTests#anything` — gone too.\n"
                + "- `io.chainproof.proofs.ProofReferencesTests#a_reference_to_a_missing_method_or_class_is_reported`\n");
        assertEquals(List.of(
                "test method <no_such_test> does not exist in class <io.chainproof.proofs.ProofReferencesTests>",
                "test class <io.chainproof.nowhere.GoneTests> does not exist on the test classpath"), problems(proof));
    }

    @Test
    void a_proof_without_a_section_or_without_references_is_reported() {
        assertEquals(List.of("section <## Checked by> names no test as `fully.qualified.Class#method`"),
                problems(proof("- the tests above\n")));
        assertEquals(List.of("section <## Sources> is missing; a proof needs " + SECTIONS),
                problems("## Statement\nx\n## Proof\ny\n## Checked by\n"
                        + "- `io.chainproof.proofs.ProofReferencesTests#a_proof_without_a_section_or_without_references_is_reported`\n"));
    }

    @Test
    void references_outside_the_checked_by_section_are_not_counted() {
        String proof = "## Statement\nsee `io.chainproof.Missing#gone`\n## Proof\n∎\n## Sources\n-\n## Checked by\n"
                + "- `io.chainproof.proofs.ProofReferencesTests#references_outside_the_checked_by_section_are_not_counted`\n";
        assertEquals(List.of(), problems(proof));
    }

    private static String proof(String checkedBy) {
        return "# T\n\n## Statement\n\ns\n\n## Proof\n\np ∎\n\n## Sources\n\n- a book\n\n## Checked by\n\n" + checkedBy;
    }

    private static List<Path> proofFiles() throws IOException {
        try (Stream<Path> files = Files.list(PROOFS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .filter(f -> !f.getFileName().toString().equals("README.md")).sorted().toList();
        }
    }

    /** What is wrong with a proof: missing sections, no references, references to missing tests. */
    static List<String> problems(String markdown) {
        List<String> problems = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        Matcher h = HEADING.matcher(markdown);
        while (h.find()) {
            headings.add(h.group(1));
        }
        for (String section : SECTIONS) {
            if (!headings.contains(section)) {
                problems.add("section <## " + section + "> is missing; a proof needs " + SECTIONS);
            }
        }
        String checkedBy = section(markdown, "Checked by");
        if (checkedBy == null) {
            return problems;
        }
        Matcher r = REFERENCE.matcher(checkedBy);
        boolean any = false;
        while (r.find()) {
            any = true;
            String missing = missing(r.group(1), r.group(2));
            if (missing != null) {
                problems.add(missing);
            }
        }
        if (!any) {
            problems.add("section <## Checked by> names no test as `fully.qualified.Class#method`");
        }
        return problems;
    }

    /** The text of section {@code name}, up to the next second-level heading, or null. */
    private static String section(String markdown, String name) {
        Matcher h = HEADING.matcher(markdown);
        int start = -1;
        while (h.find()) {
            if (start >= 0) {
                return markdown.substring(start, h.start());
            }
            if (h.group(1).equals(name)) {
                start = h.end();
            }
        }
        return start >= 0 ? markdown.substring(start) : null;
    }

    /** Why {@code className#methodName} is not a test that exists, or null if it is. */
    private static String missing(String className, String methodName) {
        Class<?> type;
        try {
            type = Class.forName(className, false, ProofReferencesTests.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "test class <" + className + "> does not exist on the test classpath";
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(methodName::equals)) {
                return null;
            }
        }
        return "test method <" + methodName + "> does not exist in class <" + className + ">";
    }
}
