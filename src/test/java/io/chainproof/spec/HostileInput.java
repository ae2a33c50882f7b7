package io.chainproof.spec;

import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one hostile input as the command line meets it — on a thread with the stack of its main thread, under a
 * time limit — and holds the outcome to the contract of bad input: either the input is read, or a
 * {@link SpecException} names the file and a field (or line and column) in one printable line. Anything else —
 * another exception, a {@link StackOverflowError}, an {@link OutOfMemoryError}, a hang, a file written beside the
 * input — fails the property with the input described.
 */
public final class HostileInput {

    /** The stack of the command line's main thread: the JVM's default on 64-bit Linux (the tests run with 8 MB). */
    public static final long STACK_BYTES = 1 << 20;
    /** Far longer than reading a small document takes; past it the read counts as a hang. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(20);
    /** The longest message a refusal may have: long values and field paths are cut to 200 characters. */
    public static final int MAX_MESSAGE = 2_000;

    private static final Pattern JARGON = Pattern.compile(
            "Exception|\\b(java|javax|com\\.fasterxml|org\\.yaml|org\\.matheclipse)\\.[a-z]");

    private static ExecutorService reader = newReader();

    private HostileInput() {
    }

    /**
     * Runs {@code read} confined and checks its outcome; counts it in {@link FuzzTries#tally()}.
     *
     * @param directory the directory of the input files, which must hold the same files afterwards
     * @param source    the source every refusal must name: the path of the file as given to the reader
     * @param read      the reading, as the command line does it
     * @param input     a description of the input for failure messages: the seed, the mutations, the text
     * @param <T>       what the reading returns
     * @return what was read, or empty if the input was refused
     * @throws AssertionFailedError for anything but a result or a proper refusal
     */
    public static <T> Optional<T> readOrRefused(Path directory, String source, Callable<T> read,
                                                Supplier<String> input) {
        List<Path> before = listing(directory);
        Optional<T> outcome = run(source, read, input);
        List<Path> after = listing(directory);
        if (!after.equals(before)) {
            throw new AssertionFailedError("reading wrote files: " + after + " (before: " + before + ")\n" + input.get());
        }
        return outcome;
    }

    private static <T> Optional<T> run(String source, Callable<T> read, Supplier<String> input) {
        Future<T> work = reader.submit(read);
        try {
            T result = work.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            FuzzTries.tally().read();
            return Optional.of(result);
        } catch (TimeoutException e) {
            work.cancel(true);
            reader.shutdownNow();
            reader = newReader();
            throw new AssertionFailedError("reading did not finish within " + TIME_LIMIT.toSeconds() + " s\n"
                    + input.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof SpecException refusal)) {
                throw new AssertionFailedError("reading threw " + cause + " instead of a SpecException\n" + input.get(),
                        cause);
            }
            checkRefusal(refusal, source, input);
            return Optional.empty();
        }
    }

    /**
     * Checks a refusal: it names {@code source} and a field, in one printable line of the house format, without
     * Java's jargon; counts it in {@link FuzzTries#tally()}.
     *
     * @param refusal the exception
     * @param source  the source it must name
     * @param input   a description of the input for failure messages
     */
    private static void checkRefusal(SpecException refusal, String source, Supplier<String> input) {
        String message = refusal.getMessage();
        Supplier<String> context = () -> "message <" + message + ">\n" + input.get();
        require(source.equals(refusal.getSource()), "names the source " + source, context, refusal);
        require(!refusal.getFieldPath().isBlank(), "names a field", context, refusal);
        require(message.startsWith(SpecException.printable(source) + ": "), "starts with the source", context, refusal);
        require(message.contains(": <") && message.contains("> ") && message.contains("; "),
                "has the form <source>: <field>: <value> rule; fix", context, refusal);
        require(message.chars().noneMatch(HostileInput::breaksTheLine), "is one printable line", context, refusal);
        require(message.length() <= MAX_MESSAGE, "is at most " + MAX_MESSAGE + " characters", context, refusal);
        // the value may quote the file (a YAML tag can name a Java class); the rule and the fix are ours
        require(!JARGON.matcher(refusal.getRule() + "; " + refusal.getFix()).find(), "speaks no Java", context, refusal);
        FuzzTries.tally().refused(refusal.getFieldPath());
    }

    private static void require(boolean holds, String what, Supplier<String> context, SpecException refusal) {
        if (!holds) {
            throw new AssertionFailedError("the refusal " + what + ": " + context.get(), refusal);
        }
    }

    private static boolean breaksTheLine(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static List<Path> listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new AssertionFailedError("cannot list " + directory, e);
        }
    }

    private static ExecutorService newReader() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "hostile-input", STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
    }
}
