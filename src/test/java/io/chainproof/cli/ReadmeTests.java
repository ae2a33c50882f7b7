package io.chainproof.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps README.md true: every {@code $ java -jar target/chainproof.jar …} example is run and its printed
 * output must match the README exactly, and CI runs the README's set-up commands verbatim.
 */
class ReadmeTests {

    static final String PROMPT = "$ java -jar target/chainproof.jar ";

    /** One documented command and the output the README shows for it. */
    record Example(String command, String output) {
    }

    static List<Example> examples() throws IOException {
        List<Example> examples = new ArrayList<>();
        String[] blocks = Files.readString(Path.of("README.md")).split("```");
        for (int i = 1; i < blocks.length; i += 2) {
            String block = blocks[i];
            int firstLine = block.indexOf('\n');
            String body = block.substring(firstLine + 1);
            if (body.startsWith(PROMPT)) {
                int end = body.indexOf('\n');
                examples.add(new Example(body.substring(PROMPT.length(), end), body.substring(end + 1)));
            }
        }
        return examples;
    }

    @TestFactory
    Stream<DynamicTest> every_documented_command_prints_what_the_readme_shows() throws IOException {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 5, "expected the README to document at least 5 commands, found " + examples.size());
        return examples.stream().map(ex -> DynamicTest.dynamicTest(ex.command(), () -> {
            CliTests.Run r = CliTests.run(ex.command().split(" "));
            assertEquals(ex.output(), r.out() + r.err());
        }));
    }

    @Test
    void ci_runs_the_readme_setup_commands_verbatim() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> ci = Arrays.asList(Files.readString(Path.of(".ci/run")).split("\n"));
        for (String command : List.of("mvn -B verify",
                "mvn -B -q -DskipTests package && java -jar target/chainproof.jar check examples/lecture-chain.json")) {
            assertTrue(readme.contains("```sh\n" + command + "\n```"), "README.md does not show: " + command);
            assertTrue(ci.contains(command), ".ci/run does not run: " + command);
        }
    }

    @Test
    void ci_runs_the_consumer_example_the_readme_describes() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> ci = Arrays.asList(Files.readString(Path.of(".ci/run")).split("\n"));
        assertTrue(readme.contains("`cd examples/consumer &&\nmvn -B verify`") || readme.contains("`cd examples/consumer && mvn -B verify`"),
                "README.md does not describe running the consumer example");
        assertTrue(ci.contains("mvn -B -q -DskipTests install"), ".ci/run does not install chainproof for the consumer");
        assertTrue(ci.contains("(cd examples/consumer && mvn -B verify)"), ".ci/run does not run the consumer example");
    }

    /** The fuzz profile the README describes sets the counts it names; its -Dtest='*Fuzz*' selects the CLI fuzz test. */
    @Test
    void the_fuzz_profile_runs_what_the_readme_says() throws IOException {
        String readme = Files.readString(Path.of("README.md")).replace("\n  ", " ");
        String pom = Files.readString(Path.of("pom.xml"));
        String profile = pom.substring(pom.indexOf("<id>fuzz</id>"), pom.indexOf("</profile>", pom.indexOf("<id>fuzz</id>")));
        assertTrue(readme.contains("`mvn -B -Pfuzz test -Dtest='*Fuzz*'` runs 100,000"), "README.md: the fuzz command");
        assertTrue(profile.contains("<chainproof.fuzz.tries>100000</chainproof.fuzz.tries>"), profile);
        assertTrue(readme.contains("200 specs in `mvn test`, 1,000 in the `fuzz` profile"), "README.md: the CLI counts");
        assertTrue(profile.contains("<" + CommandLineFuzzTests.SPECS_PROPERTY + ">1000</"
                + CommandLineFuzzTests.SPECS_PROPERTY + ">"), profile);
        assertEquals(200, CommandLineFuzzTests.DEFAULT_SPECS);
        try (Stream<Path> tests = Files.walk(Path.of("src/test/java"))) {
            List<String> fuzz = tests.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("FuzzTests.java") || n.endsWith("FuzzProperties.java")).sorted().toList();
            assertTrue(fuzz.contains("CommandLineFuzzTests.java") && fuzz.size() >= 4, fuzz.toString());
        }
    }
}
