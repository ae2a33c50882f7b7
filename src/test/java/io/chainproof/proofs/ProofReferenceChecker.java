package io.chainproof.proofs;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What is wrong with a written proof's references to the tests that check it (see {@code proofs/README.md}): a
 * missing section, a "Checked by" list that names no test, a named class or method that does not exist or is not a
 * test, a named test that does not carry the proof's tag {@code proof:<stem>}, and a proof none of whose tests is
 * tagged {@value #SENSITIVITY} — a test that runs the lemma's check on a broken implementation and asserts that the
 * check fails, so that the proof rests on at least one test that can fail for its lemma.
 *
 * <p>Tags are read from the annotation the test's engine honours: {@code net.jqwik.api.Tag} on jqwik properties and
 * examples, {@code org.junit.jupiter.api.Tag} on Jupiter tests (both repeatable), on the method itself only — a
 * class-level tag would tag every test of the class with one lemma. Stateless.
 */
final class ProofReferenceChecker {

    /** The sections every proof has, in this order. */
    static final List<String> SECTIONS = List.of("Statement", "Proof", "Sources", "Checked by");
    /** The tag of a test that checks the lemma of {@code proofs/<stem>.md} is this prefix followed by the stem. */
    static final String PROOF_TAG = "proof:";
    /** The tag of a test that shows its lemma's check failing on a broken implementation. */
    static final String SENSITIVITY = "sensitivity";

    private static final Pattern HEADING = Pattern.compile("(?m)^## +(.+?)\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("`([A-Za-z_][\\w.$]*)#([A-Za-z_]\\w*)`");
    private static final Set<String> JUPITER_TESTS = Set.of("org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest", "org.junit.jupiter.api.TestFactory",
            "org.junit.jupiter.api.RepeatedTest", "org.junit.jupiter.api.TestTemplate");
    private static final Set<String> JQWIK_TESTS = Set.of("net.jqwik.api.Property", "net.jqwik.api.Example");

    private ProofReferenceChecker() {
    }

    /**
     * @param stem     the proof's file name without {@code .md}, e.g. {@code chain-bound}
     * @param markdown the proof
     * @return what is wrong with it, in the order found; empty if nothing
     */
    static List<String> problems(String stem, String markdown) {
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
        boolean sensitive = false;
        while (r.find()) {
            any = true;
            String className = r.group(1);
            String methodName = r.group(2);
            Class<?> type;
            try {
                type = Class.forName(className, false, ProofReferenceChecker.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                problems.add("test class <" + className + "> does not exist on the test classpath");
                continue;
            }
            List<Method> methods = methods(type, methodName);
            if (methods.isEmpty()) {
                problems.add("test method <" + methodName + "> does not exist in class <" + className + ">");
                continue;
            }
            List<Method> tests = methods.stream().filter(ProofReferenceChecker::isTest).toList();
            if (tests.isEmpty()) {
                problems.add("method <" + methodName + "> of <" + className + "> is not a test: it carries none of "
                        + "@Test, @ParameterizedTest, @TestFactory, @RepeatedTest, @TestTemplate, @Property, @Example");
                continue;
            }
            Set<String> tags = new LinkedHashSet<>();
            tests.forEach(m -> tags.addAll(tags(m)));
            String wanted = PROOF_TAG + stem;
            if (!tags.contains(wanted)) {
                problems.add("test <" + className + "#" + methodName + "> is cited by <" + stem + "> but tagged <"
                        + tags + ">; tag it " + tagAnnotation(tests.get(0)) + "(\"" + wanted
                        + "\") if it checks that lemma, or cite a test that does");
            } else if (tags.contains(SENSITIVITY)) {
                sensitive = true;
            }
        }
        if (!any) {
            problems.add("section <## Checked by> names no test as `fully.qualified.Class#method`");
        } else if (!sensitive) {
            problems.add("proof <" + stem + "> cites no test tagged <" + SENSITIVITY + ">: cite one that runs the "
                    + "lemma's check on a broken implementation and asserts that the check fails");
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

    /** The methods named {@code name} declared by {@code type} or a superclass. */
    private static List<Method> methods(Class<?> type, String name) {
        List<Method> found = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(name)).forEach(found::add);
        }
        return found;
    }

    private static boolean isTest(Method m) {
        return jqwik(m) || annotated(m, JUPITER_TESTS);
    }

    private static boolean jqwik(Method m) {
        return annotated(m, JQWIK_TESTS);
    }

    private static boolean annotated(Method m, Set<String> annotations) {
        return Arrays.stream(m.getAnnotations()).map(a -> a.annotationType().getName()).anyMatch(annotations::contains);
    }

    private static String tagAnnotation(Method m) {
        return jqwik(m) ? "@net.jqwik.api.Tag" : "@org.junit.jupiter.api.Tag";
    }

    /** The tags the method's engine reads, from the method alone. */
    static Set<String> tags(Method m) {
        Annotation[] annotations = jqwik(m) ? m.getAnnotationsByType(net.jqwik.api.Tag.class)
                : m.getAnnotationsByType(org.junit.jupiter.api.Tag.class);
        return Arrays.stream(annotations).map(a -> a instanceof net.jqwik.api.Tag t ? t.value()
                : ((org.junit.jupiter.api.Tag) a).value()).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
