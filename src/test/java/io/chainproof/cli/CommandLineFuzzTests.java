package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.Json;
import io.chainproof.spec.DocumentMutator;
import io.chainproof.spec.HostileInput;
import io.chainproof.spec.MutatedDocument;
import io.chainproof.spec.SpecFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The command line fuzzed as a user meets it: the bundled specs ({@code examples/}, {@code examples/remedies/}) made
 * hostile by {@link DocumentMutator} (as JSON, and one in four as YAML) are run through {@code gradient}, {@code check}
 * and {@code bound} in {@code --format json} batches of {@value #BATCH}, and one in {@value #SINGLE_SHARE} also through
 * {@code explain}, {@code derive} and {@code sweep} (into a temporary folder), each run in-process through
 * {@link Main#execute} on a thread with the command line's stack ({@link HostileInput#STACK_BYTES}).
 *
 * <p>Every run must end with exit code 0, 1 or 2 within its time limit, print no stack trace, and write every message
 * to stderr as one printable line {@code chainproof: …}; a JSON batch prints exactly one line per spec, line i either
 * the command's result or {@code {"file": <spec i>, "error": <its stderr message>}}; nothing is written to the working
 * directory. {@value #DEFAULT_SPECS} specs in the default build, {@code -Dchainproof.fuzz.cli.specs=N} otherwise (the
 * {@code fuzz} Maven profile: 1,000); {@code -Dchainproof.fuzz.seed=S} picks other specs. The test prints the count
 * run and what the runs met.
 */
class CommandLineFuzzTests {

    /** The system property that sets the number of mutated specs. */
    static final String SPECS_PROPERTY = "chainproof.fuzz.cli.specs";
    /** Mutated specs in the default build: well under a minute on two cores. */
    static final int DEFAULT_SPECS = 200;
    /** Specs per batch, as {@code src/test/python/cli_fuzz.py} runs them. */
    static final int BATCH = 50;
    /** One spec in this many also goes through the single-spec commands, which derive symbolically and are slower. */
    static final int SINGLE_SHARE = 10;
    /** Far longer than a batch of small specs takes; past it the run counts as a hang. */
    static final Duration BATCH_LIMIT = Duration.ofSeconds(300);
    static final Duration SINGLE_LIMIT = Duration.ofSeconds(120);

    private static final List<String> BATCH_COMMANDS = List.of("gradient", "check", "bound");
    /** A stack trace's lines, or the JVM's report of an uncaught exception. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s+at [\\w$.]+\\(|Exception in thread|^Caused by: |\\.java:\\d+\\)");

    /** The progress of a long check ({@link ProgressLine}), rewritten in place on stderr: not a message. */
    private static final Pattern PROGRESS = Pattern.compile("(\\rchecking [^\\r\\n]*: \\d+/\\d+ parameters)+");

    /** What one run printed. */
    record Run(List<String> args, int exitCode, String out, String err) {
        String describe() {
            return "chainproof " + abbreviate(String.join(" ", args)) + "\nexit " + exitCode + "\nstdout:\n" + abbreviate(out)
                    + "\nstderr:\n" + abbreviate(err);
        }
    }

    @Test
    void mutated_specs_in_batches_end_in_results_or_one_line_errors(@TempDir Path dir) throws IOException {
        int count = Integer.getInteger(SPECS_PROPERTY, DEFAULT_SPECS);
        long seed = Long.getLong("chainproof.fuzz.seed", 1L);
        List<DocumentMutator.Seed> seeds = DocumentMutator.seeds(bundledSpecs());
        Random random = new Random(seed);
        List<Path> specs = new ArrayList<>();
        List<MutatedDocument> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DocumentMutator.Seed from = seeds.get(random.nextInt(seeds.size()));
            SpecFormat format = random.nextInt(4) == 0 ? SpecFormat.YAML : SpecFormat.JSON;
            MutatedDocument document = DocumentMutator.mutate(from, format, random.nextLong());
            Path spec = dir.resolve(String.format(Locale.ROOT, "m%04d%s", i, document.extension()));
            Files.write(spec, document.bytes());
            specs.add(spec);
            documents.add(document);
        }
        Path sweeps = dir.resolve("sweeps");
        Set<String> before = workingDirectory();
        TreeMap<String, AtomicInteger> met = new TreeMap<>();
        long start = System.nanoTime();

        for (String command : BATCH_COMMANDS) {
            for (int from = 0; from < count; from += BATCH) {
                List<Path> batch = specs.subList(from, Math.min(count, from + BATCH));
                List<String> args = new ArrayList<>(List.of(command));
                batch.forEach(p -> args.add(p.toString()));
                args.addAll(List.of("--format", "json"));
                Run run = run(args, BATCH_LIMIT);
                checkBatch(run, batch, documents.subList(from, from + batch.size()));
                met.computeIfAbsent(command + " exit " + run.exitCode(), k -> new AtomicInteger()).incrementAndGet();
            }
        }
        int singles = 0;
        for (int i = 0; i < count; i += SINGLE_SHARE) {
            String spec = specs.get(i).toString();
            for (List<String> args : List.of(List.of("explain", spec), List.of("derive", spec),
                    List.of("sweep", spec, "--points", "8", "--output-dir", sweeps.toString()))) {
                Run run = run(args, SINGLE_LIMIT);
                checkSingle(run, documents.get(i));
                met.computeIfAbsent(args.get(0) + " exit " + run.exitCode(), k -> new AtomicInteger()).incrementAndGet();
            }
            singles++;
        }

        assertEquals(before, workingDirectory(), "the runs wrote into the working directory");
        System.out.printf(Locale.ROOT, "CommandLineFuzzTests: %d mutated specs (seed %d) through gradient, check and "
                        + "bound in JSON batches of %d, %d of them through explain, derive and sweep, in %.0f s: %s%n",
                count, seed, BATCH, singles, (System.nanoTime() - start) / 1e9, met);
    }

    /** The bundled specs the mutations start from. */
    static String[] bundledSpecs() throws IOException {
        List<String> paths = new ArrayList<>();
        for (String folder : List.of("examples", "examples/remedies")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                files.map(Path::toString).filter(p -> p.endsWith(".json")).sorted().forEach(paths::add);
            }
        }
        return paths.toArray(String[]::new);
    }

    /** Runs the command line in-process on a thread with the command line's stack, within {@code limit}. */
    static Run run(List<String> args, Duration limit) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream lastResort = new ByteArrayOutputStream();
        int[] code = {-1};
        Throwable[] thrown = {null};
        Thread thread = new Thread(null, () -> {
            try {
                var cl = Main.commandLine();
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                code[0] = Main.execute(cl, args.toArray(String[]::new),
                        new PrintStream(lastResort, true, StandardCharsets.UTF_8));
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "command-line-fuzz", HostileInput.STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted", e);
        }
        if (thread.isAlive()) {
            throw new AssertionFailedError("chainproof " + abbreviate(String.join(" ", args)) + " did not finish within "
                    + limit.toSeconds() + " s");
        }
        if (thrown[0] != null) {
            throw new AssertionFailedError("chainproof " + abbreviate(String.join(" ", args)) + " threw " + thrown[0],
                    thrown[0]);
        }
        return new Run(args, code[0], out.toString(), err + lastResort.toString(StandardCharsets.UTF_8));
    }

    /** Exit code 0, 1 or 2; no stack trace; every stderr line one printable {@code chainproof: …} message. */
    private static void checkSingle(Run run, MutatedDocument document) {
        require(run.exitCode() >= 0 && run.exitCode() <= Main.BAD_INPUT, "exit code 0, 1 or 2", run, document);
        require(!STACK_TRACE.matcher(run.out()).find() && !STACK_TRACE.matcher(run.err()).find(), "no stack trace",
                run, document);
        for (String line : messages(run)) {
            require(line.startsWith("chainproof: ") && isOnePrintableLine(line) && !line.contains("internal error"),
                    "stderr holds one-line messages only, not <" + abbreviate(line) + ">", run, document);
        }
    }

    /** {@link #checkSingle}, and one JSON line per spec: its result or its error object with its stderr message. */
    private static void checkBatch(Run run, List<Path> batch, List<MutatedDocument> documents) throws IOException {
        List<String> lines = run.out().lines().toList();
        for (int i = 0; i < Math.min(lines.size(), batch.size()); i++) {
            // an internal error keeps its spec's line: name that spec, not only the batch
            require(!lines.get(i).startsWith("{\"file\":") || !lines.get(i).contains("internal error"),
                    "no internal error, but line " + i + " is " + abbreviate(lines.get(i)), run, documents.get(i));
        }
        checkSingle(run, null);
        require(lines.size() == batch.size(), "one line per spec: " + lines.size() + " lines for " + batch.size()
                + " specs", run, null);
        Iterator<String> messages = messages(run).iterator();
        boolean anyError = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            MutatedDocument document = documents.get(i);
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (IOException e) {
                throw new AssertionFailedError("line " + i + " is not JSON: " + abbreviate(line) + "\n" + run.describe()
                        + "\n" + document.describe(), e);
            }
            require(node.isObject(), "line " + i + " is an object", run, document);
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            if (keys.contains("error")) {
                anyError = true;
                require(keys.equals(List.of("file", "error")), "an error line has file and error only", run, document);
                String file = batch.get(i).toString();
                String error = node.get("error").asText();
                require(node.get("file").asText().equals(file), "line " + i + " names its spec " + file, run, document);
                require(error.startsWith(file + ": ") && isOnePrintableLine(error),
                        "line " + i + "'s error names its spec in one printable line", run, document);
                require(messages.hasNext() && messages.next().equals("chainproof: " + error),
                        "line " + i + "'s error is stderr's next message", run, document);
            } else {
                require(!keys.isEmpty() && !keys.contains("file"), "line " + i + " is a result", run, document);
            }
        }
        require(!messages.hasNext(), "stderr has no message beyond the error lines", run, null);
        require(anyError == (run.exitCode() != 0) || run.args().get(0).equals("check"),
                "exit code 0 exactly when no spec failed", run, null);
    }

    /** The lines of stderr (ended by {@code \n} only) but progress lines. */
    private static List<String> messages(Run run) {
        return run.err().isEmpty() ? List.of() : Stream.of(run.err().split("\n", -1)).limit(
                run.err().split("\n", -1).length - (run.err().endsWith("\n") ? 1 : 0))
                .filter(line -> !PROGRESS.matcher(line).matches()).toList();
    }

    private static void require(boolean holds, String what, Run run, MutatedDocument document) {
        if (!holds) {
            throw new AssertionFailedError("the run breaks the rule: " + what + "\n" + run.describe()
                    + (document == null ? "" : "\nspec: " + document.describe()));
        }
    }

    static boolean isOnePrintableLine(String text) {
        return text.chars().noneMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
        });
    }

    private static String abbreviate(String text) {
        return text.length() <= 3000 ? text : text.substring(0, 3000) + "... (" + text.length() + " characters)";
    }

    private static Set<String> workingDirectory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(""))) {
            return files.map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
