package io.chainproof.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code derive --order 2}: a second derivative and a mixed one of the lecture chain, proved and checked; every
 * diagonal entry without {@code --parameter}; misuse is exit 2 with the option, the value, the rule and a fix.
 */
class DeriveSecondOrderTests {

    @Test
    void a_second_and_a_mixed_derivative_are_proved_and_checked() {
        CliTests.Run r = CliTests.run("derive", CliTests.LECTURE, "--order", "2", "--parameter", "W1[0][0]");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("Second derivative ∂²L/∂w₁² — lecture-chain"), r.out());
        assertTrue(r.out().contains("Agreement with Symja's direct derivative D[L, w₁, w₁]: proved by Symja"), r.out());
        // PyTorch's Hessian entry is 150.30620228701693 (reference/second-order/lecture-chain.hessian.json)
        assertTrue(r.out().contains("At the spec's point it is 150.306202287016"), r.out());
        assertTrue(r.out().contains(": agrees."), r.out());
        CliTests.Run mixed = CliTests.run("derive", CliTests.LECTURE, "--order", "2", "--parameter", "W1[0][0]", "--with",
                "b3[0]", "--format", "markdown");
        assertEquals(0, mixed.exitCode(), mixed.out() + mixed.err());
        assertTrue(mixed.out().contains("\\frac{\\partial^2 L}{\\partial w_{1} \\, \\partial b_{3}}"), mixed.out());
    }

    @Test
    void every_diagonal_entry_without_a_parameter() {
        CliTests.Run r = CliTests.run("derive", CliTests.LECTURE, "--order", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals(6, r.out().split("proved by Symja", -1).length - 1, r.out());
        assertEquals(6, r.out().split(": agrees\\.", -1).length - 1, r.out());
    }

    @Test
    void misuse_is_exit_2_naming_the_option_and_a_fix() {
        CliTests.Run order = CliTests.run("derive", CliTests.LECTURE, "--order", "3");
        assertEquals(2, order.exitCode(), order.out());
        assertTrue(order.err().contains("--order: <3> must be 1 (the gradient) or 2 (second derivatives)"), order.err());
        CliTests.Run with = CliTests.run("derive", CliTests.LECTURE, "--order", "2", "--with", "b3[0]");
        assertEquals(2, with.exitCode(), with.out());
        assertTrue(with.err().contains("--with: <b3[0]>") && with.err().contains("--order 2 --parameter"), with.err());
        CliTests.Run unknown = CliTests.run("derive", CliTests.LECTURE, "--order", "2", "--parameter", "W1[0][0]",
                "--with", "W9[0][0]");
        assertEquals(2, unknown.exitCode(), unknown.out());
        assertTrue(unknown.err().contains("--with: <W9[0][0]> is not a parameter of lecture-chain"), unknown.err());
        CliTests.Run rnn = CliTests.run("derive", "examples/remedies/rnn-tanh-50.json", "--order", "2");
        assertEquals(2, rnn.exitCode(), rnn.out());
        assertTrue(rnn.err().contains("verify --hvp"), rnn.err());
        assertTrue(!rnn.err().contains("at io.chainproof"), "no stack trace: " + rnn.err());
    }
}
