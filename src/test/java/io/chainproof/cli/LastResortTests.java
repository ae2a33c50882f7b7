package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The last-resort handler: running out of heap or stack ends a command with one line and exit code 3. */
class LastResortTests {

    @CommandLine.Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final Error error;

        Failing(Error error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static String run(Error error) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(Main.INTERNAL_ERROR, Main.execute(new CommandLine(new Failing(error)), new String[0], err));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void out_of_memory_is_one_line_with_the_heap_and_a_fix() {
        String err = run(new OutOfMemoryError("Java heap space"));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("chainproof: internal error: out of memory ("), err);
        assertTrue(err.contains("java -Xmx4g -jar chainproof.jar"), err);
        assertFalse(err.contains("at io.chainproof"), err);
    }

    @Test
    void stack_overflow_is_one_line() {
        String err = run(new StackOverflowError());
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("chainproof: internal error: the stack overflowed"), err);
    }

    @Test
    void other_commands_keep_their_exit_codes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandLine cl = Main.commandLine();
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(0, Main.execute(cl, new String[] {"gradient", CliTests.LECTURE}, err));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
