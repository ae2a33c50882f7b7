package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DidYouMeanTests {

    @ParameterizedTest
    @CsvSource({"sigmod, sigmoid, 1", "mes, mse, 1", "kitten, sitting, 3", "relu, relu, 0", "'', abc, 3", "leaky-relu, leaky_relu, 1"})
    void measuresTheOptimalStringAlignmentDistance(String a, String b, int expected) {
        assertEquals(expected, DidYouMean.distance(a, b));
    }

    @Test
    void suggestsTheClosestNameIgnoringCase() {
        assertEquals(Optional.of("tanh"), DidYouMean.closest("TANH", Activation.specNames()));
    }

    @Test
    void suggestsNothingWhenTheNameIsFar() {
        assertEquals(Optional.empty(), DidYouMean.closest("swish", Activation.specNames()));
    }

    @Test
    void doesNotSuggestReplacingEveryCharacter() {
        assertEquals(Optional.empty(), DidYouMean.closest("z", List.of("x", "y")));
    }

    @Test
    void prefersTheEarlierNameOnATie() {
        assertEquals(Optional.of("mse"), DidYouMean.closest("xse", List.of("mse", "sse")));
    }

    @Test
    void listsTheKnownNamesWithTheSuggestion() {
        assertEquals("known: mse, sse, half_sse, bce, cross_entropy (did you mean half_sse?)",
                DidYouMean.known("halfsse", Loss.specNames()));
    }

    @Test
    void measuresNoTextFarLongerThanEveryName() {
        // a text of 15 million characters once allocated a row per character and ran out of heap after 20 s
        String text = "s".repeat(15_000_000);
        assertEquals(Optional.empty(), assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> DidYouMean.closest(text, Activation.specNames())));
    }

    @Test
    void stillSuggestsANameWithinTheLengthThreshold() {
        assertEquals(Optional.of("cross_entropy"), DidYouMean.closest("cross_entropyyyy", Loss.specNames()));
    }
}
