package io.chainproof.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the tests that need pdflatex or Chromium as on a machine without them: in a JUnit launcher of its own,
 * with {@code -Dchainproof.toolPath} naming an empty directory (see {@link ExternalTool}). Each of their tests
 * must be reported by name, skipped (aborted, as Surefire counts it) for pdflatex and for Chromium under
 * {@code -Dchainproof.skipBrowser=true}, failed for Chromium otherwise, with a message naming the tool. The
 * system properties are set for the inner run and restored after it, hence {@link Isolated}.
 */
@Isolated
class MissingToolTests {

    /** One finished test of the inner run: its method, display name, status and message. */
    private record Outcome(String method, String name, TestExecutionResult.Status status, String message) {
    }

    @Test
    void without_pdflatex_each_latex_compile_test_is_skipped_by_name() throws IOException {
        List<Outcome> outcomes = runWithoutTools(LatexCompileTests.class, Map.of());

        assertEveryMethodReported(LatexCompileTests.class, outcomes);
        for (Outcome outcome : outcomes) {
            assertEquals(TestExecutionResult.Status.ABORTED, outcome.status(), outcome.name() + " ==> status");
            assertTrue(outcome.message().startsWith("Assumption failed: pdflatex is missing: pdflatex is not in "
                    + "-Dchainproof.toolPath=<"), outcome.name() + " ==> message <" + outcome.message() + ">");
        }
    }

    @Test
    void without_chromium_each_browser_test_is_skipped_by_name_when_browser_tests_may_be_skipped()
            throws IOException {
        for (Class<?> testClass : List.of(HtmlBrowserTests.class, ExplanationBrowserTests.class)) {
            List<Outcome> outcomes = runWithoutTools(testClass, Map.of("chainproof.skipBrowser", "true"));

            assertEveryMethodReported(testClass, outcomes);
            for (Outcome outcome : outcomes) {
                assertEquals(TestExecutionResult.Status.ABORTED, outcome.status(), outcome.name() + " ==> status");
                assertTrue(outcome.message().startsWith("Chromium is missing: none of [chromium, chromium-browser, "
                        + "google-chrome] is in -Dchainproof.toolPath=<"), outcome.name() + " ==> message <"
                        + outcome.message() + ">");
            }
        }
    }

    @Test
    void without_chromium_each_browser_test_fails_by_name_otherwise() throws IOException {
        List<Outcome> outcomes = runWithoutTools(HtmlBrowserTests.class, Map.of());

        assertEveryMethodReported(HtmlBrowserTests.class, outcomes);
        for (Outcome outcome : outcomes) {
            assertEquals(TestExecutionResult.Status.FAILED, outcome.status(), outcome.name() + " ==> status");
            assertTrue(outcome.message().startsWith("Chromium is missing: ") && outcome.message().endsWith(
                    "or skip browser tests with -Dchainproof.skipBrowser=true"), outcome.name() + " ==> message <"
                    + outcome.message() + ">");
        }
    }

    /** Each test method of the class (a parameterized one once per invocation) has an outcome of its own. */
    private static void assertEveryMethodReported(Class<?> testClass, List<Outcome> outcomes) {
        Set<String> methods = Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)
                        || m.isAnnotationPresent(org.junit.jupiter.params.ParameterizedTest.class))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(methods.isEmpty(), testClass.getSimpleName() + " ==> no test methods");
        assertEquals(methods, outcomes.stream().map(Outcome::method).collect(Collectors.toCollection(TreeSet::new)),
                testClass.getSimpleName() + " ==> methods reported");
        assertEquals(outcomes.size(), outcomes.stream().map(Outcome::name).distinct().count(),
                testClass.getSimpleName() + " ==> each outcome names a different test: " + outcomes);
    }

    /** Runs the class's Jupiter tests with an empty tool search path and the given system properties. */
    private static List<Outcome> runWithoutTools(Class<?> testClass, Map<String, String> properties)
            throws IOException {
        Path empty = Files.createTempDirectory("chainproof-no-tools-");
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put(ExternalTool.SEARCH_PATH_PROPERTY, empty.toString());
        Map<String, String> previous = new java.util.HashMap<>();
        all.keySet().forEach(key -> previous.put(key, System.getProperty(key)));
        List<Outcome> outcomes = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        try {
            all.forEach(System::setProperty);
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(testClass))
                    .filters(EngineFilter.includeEngines("junit-jupiter")).build(), new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (test.isTest()) {
                                outcomes.add(new Outcome(method(test), test.getDisplayName(), result.getStatus(),
                                        result.getThrowable().map(Throwable::getMessage).orElse("")));
                            } else {
                                containers.add(test.getDisplayName() + ": " + result.getStatus());
                            }
                        }

                        @Override
                        public void executionSkipped(TestIdentifier test, String reason) {
                            outcomes.add(new Outcome(method(test), test.getDisplayName(), null, reason));
                        }
                    });
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            Files.delete(empty);
        }
        assertTrue(containers.contains(testClass.getSimpleName() + ": SUCCESSFUL"), testClass.getSimpleName()
                + " ==> the class did not run as a whole: " + containers);
        assertEquals(List.of(), containers.stream().filter(c -> !c.endsWith(": SUCCESSFUL")).toList(),
                "containers that did not succeed (a class skipped as a whole is one)");
        return outcomes;
    }

    /** The test method a test or invocation belongs to, from its unique id ({@code [method:name(…)]}). */
    private static String method(TestIdentifier test) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(?:test-template|method):([^(]+)\\(")
                .matcher(test.getUniqueId());
        return m.find() ? m.group(1) : test.getUniqueId();
    }
}
