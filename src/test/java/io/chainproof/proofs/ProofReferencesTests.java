package io.chainproof.proofs;

import net.jqwik.api.Property;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every written proof in {@code proofs/} (see {@code proofs/README.md}) passes {@link ProofReferenceChecker}: it has
 * the sections Statement, Proof, Sources and Checked by, every test its "Checked by" list names exists, is a test
 * and is tagged with the proof, and at least one of them is a sensitivity test. The checker's own rules are tested
 * on the {@link Fixtures}.
 */
class ProofReferencesTests {

    private static final Path PROOFS = Path.of("proofs");
    private static final String FIXTURES = "io.chainproof.proofs.ProofReferencesTests$Fixtures";

    @TestFactory
    Stream<DynamicTest> every_proof_names_only_tests_that_exist_and_check_it() throws IOException {
        List<Path> proofs = proofFiles();
        assertFalse(proofs.isEmpty(), "no proofs found in <" + PROOFS.toAbsolutePath() + ">");
        return proofs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String stem = p.getFileName().toString().replaceFirst("\\.md$", "");
            assertEquals(List.of(), ProofReferenceChecker.problems(stem, Files.readString(p, StandardCharsets.UTF_8)),
                    "proof <" + p + ">");
        }));
    }

    @Test
    void a_reference_to_a_missing_method_or_class_is_reported() {
        String proof = proof("- `" + FIXTURES + "#no_such_test` — gone.\n"
                + "- `io.chainproof.nowhere.GoneTests#anything` — gone too.\n"
                + "- `" + FIXTURES + "#breaks_the_fixture_lemma`\n");
        assertEquals(List.of(
                "test method <no_such_test> does not exist in class <" + FIXTURES + ">",
                "test class <io.chainproof.nowhere.GoneTests> does not exist on the test classpath"),
                problems(proof));
    }

    @Test
    void a_proof_without_a_section_or_without_references_is_reported() {
        assertEquals(List.of("section <## Checked by> names no test as `fully.qualified.Class#method`"),
                problems(proof("- the tests above\n")));
        assertEquals(List.of("section <## Sources> is missing; a proof needs "
                        + ProofReferenceChecker.SECTIONS),
                problems("## Statement\nx\n## Proof\ny\n## Checked by\n- `" + FIXTURES + "#breaks_the_fixture_lemma`\n"));
    }

    @Test
    void references_outside_the_checked_by_section_are_not_counted() {
        String proof = "## Statement\nsee `io.chainproof.Missing#gone`\n## Proof\n∎\n## Sources\n-\n## Checked by\n"
                + "- `" + FIXTURES + "#breaks_the_fixture_lemma`\n";
        assertEquals(List.of(), problems(proof));
    }

    @Test
    void a_cited_test_without_the_proofs_tag_is_reported() {
        assertEquals(List.of("test <" + FIXTURES + "#untagged> is cited by <fixture-lemma> but tagged <[]>; tag it "
                        + "@org.junit.jupiter.api.Tag(\"proof:fixture-lemma\") if it checks that lemma, or cite a test "
                        + "that does"),
                problems(proof("- `" + FIXTURES + "#untagged`\n- `" + FIXTURES + "#breaks_the_fixture_lemma`\n")));
    }

    @Test
    void a_cited_test_that_carries_another_lemmas_tag_is_reported() {
        assertEquals(List.of("test <" + FIXTURES + "#checks_another_lemma> is cited by <fixture-lemma> but tagged "
                        + "<[proof:another-lemma]>; tag it @org.junit.jupiter.api.Tag(\"proof:fixture-lemma\") if it "
                        + "checks that lemma, or cite a test that does"),
                problems(proof("- `" + FIXTURES + "#checks_the_fixture_lemma`\n- `" + FIXTURES
                        + "#checks_another_lemma`\n- `" + FIXTURES + "#breaks_the_fixture_lemma`\n")));
    }

    @Test
    void a_property_is_tagged_only_by_the_annotation_jqwik_reads() {
        assertEquals(List.of(), problems(proof("- `" + FIXTURES + "#property_with_a_jqwik_tag`\n- `" + FIXTURES
                + "#breaks_the_fixture_lemma`\n")));
        assertEquals(List.of("test <" + FIXTURES + "#property_with_a_jupiter_tag> is cited by <fixture-lemma> but "
                        + "tagged <[]>; tag it @net.jqwik.api.Tag(\"proof:fixture-lemma\") if it checks that lemma, or "
                        + "cite a test that does"),
                problems(proof("- `" + FIXTURES + "#property_with_a_jupiter_tag`\n- `" + FIXTURES
                        + "#breaks_the_fixture_lemma`\n")));
    }

    @Test
    void a_cited_method_that_is_not_a_test_is_reported() {
        assertEquals(List.of("method <not_a_test> of <" + FIXTURES + "> is not a test: it carries none of @Test, "
                        + "@ParameterizedTest, @TestFactory, @RepeatedTest, @TestTemplate, @Property, @Example"),
                problems(proof("- `" + FIXTURES + "#not_a_test`\n- `" + FIXTURES + "#breaks_the_fixture_lemma`\n")));
    }

    @Test
    void a_proof_whose_tests_cannot_fail_for_its_lemma_is_reported() {
        assertEquals(List.of("proof <fixture-lemma> cites no test tagged <sensitivity>: cite one that runs the lemma's "
                        + "check on a broken implementation and asserts that the check fails"),
                problems(proof("- `" + FIXTURES + "#checks_the_fixture_lemma`\n")));
        // a sensitivity test of another lemma does not count
        assertEquals(List.of("test <" + FIXTURES + "#breaks_another_lemma> is cited by <fixture-lemma> but tagged "
                        + "<[proof:another-lemma, sensitivity]>; tag it @org.junit.jupiter.api.Tag("
                        + "\"proof:fixture-lemma\") if it checks that lemma, or cite a test that does",
                        "proof <fixture-lemma> cites no test tagged <sensitivity>: cite one that runs the lemma's "
                        + "check on a broken implementation and asserts that the check fails"),
                problems(proof("- `" + FIXTURES + "#checks_the_fixture_lemma`\n- `" + FIXTURES
                        + "#breaks_another_lemma`\n")));
    }

    private static List<String> problems(String markdown) {
        return ProofReferenceChecker.problems("fixture-lemma", markdown);
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

    /**
     * Tests as a proof may cite them, for the checker's own tests. Abstract, so that no engine runs them: they are
     * read by reflection only.
     */
    abstract static class Fixtures {

        @Test
        @Tag("proof:fixture-lemma")
        void checks_the_fixture_lemma() {
        }

        @Test
        @Tag("proof:fixture-lemma")
        @Tag("sensitivity")
        void breaks_the_fixture_lemma() {
        }

        @Test
        @Tag("proof:another-lemma")
        void checks_another_lemma() {
        }

        @Test
        @Tag("proof:another-lemma")
        @Tag("sensitivity")
        void breaks_another_lemma() {
        }

        @Test
        void untagged() {
        }

        @Property
        @net.jqwik.api.Tag("proof:fixture-lemma")
        void property_with_a_jqwik_tag() {
        }

        @Property
        @Tag("proof:fixture-lemma")
        void property_with_a_jupiter_tag() {
        }

        void not_a_test() {
        }
    }
}
