package io.chainproof.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.chainproof.cli.CliTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --interactive} and {@code --slider} on {@code explain} and {@code derive}: which sliders a page gets, and a
 * clear exit 2 for every combination that cannot make one. (The sliders themselves are moved in Chromium by
 * {@code InteractivePageTests}.)
 */
class InteractiveOptionTests {

    private static final Pattern SLIDER = Pattern.compile("<label>([^<]*?) <input type=\"range\" id=\"(slider-\\d+|scale-slider)\"");

    private static String sliders(String html) {
        StringBuilder s = new StringBuilder();
        Matcher m = SLIDER.matcher(html);
        while (m.find()) {
            s.append(m.group(1)).append(';');
        }
        return s.toString();
    }

    @Test
    void derive_gets_a_scale_slider_for_the_derived_parameters_layer_and_its_weights() {
        CliTests.Run r = run("derive", "examples/mlp-2-3-2-1.json", "--parameter", "W2[1][0]", "--format", "html",
                "--interactive");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("scale s of W2 (every weight of layer 2 times s);W2[0][0];W2[0][1];W2[0][2];W2[1][0];W2[1][1];"
                + "W2[1][2];b2[0];b2[1];", sliders(r.out()));
        assertTrue(r.out().contains("id=\"chainproof-panel\""));
    }

    @Test
    void a_gelu_network_gets_a_page_whose_script_has_the_erf_twin() {
        CliTests.Run r = run("explain", "src/test/resources/reference/random-03.spec.json", "--format", "html",
                "--interactive");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("id=\"chainproof-panel\""));
        assertTrue(r.out().contains("S.erf("), "the kernel calls the page's erf");
    }

    @Test
    void chosen_sliders_replace_the_default_ones() {
        CliTests.Run r = run("explain", "examples/mlp-2-3-2-1.json", "--format", "html", "--interactive", "--slider",
                "W1[0][0]", "--slider", "b3[0]");
        assertEquals(0, r.exitCode(), r.err());
        String shown = sliders(r.out());
        assertTrue(shown.endsWith(";W1[0][0];b3[0];"), shown);
        assertFalse(shown.contains("W2[0][0]"), shown);
    }

    @Test
    void a_slider_that_names_no_parameter_is_bad_input_with_the_closest_name() {
        CliTests.Run r = run("explain", "examples/mlp-2-3-2-1.json", "--format", "html", "--interactive", "--slider",
                "W1[0][9]");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--slider: <W1[0][9]> is not a parameter of mlp-2-3-2-1"), r.err());
        assertTrue(r.err().contains("did you mean W1[0][0]?") || r.err().contains("did you mean W1[0][1]?"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void sliders_need_an_interactive_html_page_of_a_first_order_mlp_derivation() {
        CliTests.Run noPage = run("explain", "examples/mlp-2-3-2-1.json", "--slider", "W1[0][0]");
        assertEquals(2, noPage.exitCode());
        assertTrue(noPage.err().contains("add --format html --interactive"), noPage.err());
        CliTests.Run markdown = run("derive", "examples/lecture-chain.json", "--interactive", "--format", "markdown");
        assertEquals(2, markdown.exitCode());
        assertTrue(markdown.err().contains("--interactive: <with --format markdown>"), markdown.err());
        CliTests.Run second = run("derive", "examples/lecture-chain.json", "--interactive", "--format", "html",
                "--order", "2");
        assertEquals(2, second.exitCode());
        assertTrue(second.err().contains("--order 2"), second.err());
        CliTests.Run rnn = run("derive", "examples/rnn-exploding.json", "--interactive", "--format", "html");
        assertEquals(2, rnn.exitCode());
        assertTrue(rnn.err().contains("is available for MLP specs"), rnn.err());
    }
}
