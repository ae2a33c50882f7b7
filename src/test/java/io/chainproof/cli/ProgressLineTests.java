package io.chainproof.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProgressLineTests {

    @Test
    void a_long_check_shows_its_progress_and_ends_the_line() {
        StringWriter err = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(err), "mlp", 0);
        line.update(6273, 6273);
        assertEquals("\rchecking mlp: 6273/6273 parameters" + System.lineSeparator(), err.toString());
    }

    @Test
    void a_short_check_prints_nothing() {
        StringWriter err = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(err), "mlp", TimeUnit.DAYS.toNanos(1));
        line.update(1, 2);
        line.update(2, 2);
        assertEquals("", err.toString());
        assertFalse(line.shown());
    }
}
