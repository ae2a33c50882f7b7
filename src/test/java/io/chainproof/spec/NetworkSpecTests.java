package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NetworkSpecTests {

    /** 3 inputs → 4 tanh → 2 softmax, cross_entropy: 4·(3+1) + 2·(4+1) = 26 parameters. */
    static NetworkSpec classifier() {
        List<LayerSpec> layers = List.of(new LayerSpec(4, Activation.TANH), new LayerSpec(2, Activation.SOFTMAX));
        Parameters p = new InitSpec(InitScheme.HE_NORMAL, 1.0, 1).initialise(3, layers);
        Data data = new Data(new double[][] {{1, 2, 3}, {0, 0, 1}}, new double[][] {{1, 0}, {0, 1}});
        return new NetworkSpec("classifier", "<code>", 3, layers, Loss.CROSS_ENTROPY, p, data);
    }

    private static String messageOf(Runnable action) {
        return assertThrows(SpecException.class, action::run).getMessage();
    }

    @Nested
    class CountsItsParts {

        @Test
        void outputsAreTheUnitsOfTheLastLayer() {
            assertEquals(2, classifier().outputs());
        }

        @Test
        void layerCountExcludesTheInputs() {
            assertEquals(2, classifier().layerCount());
        }

        @Test
        void unitsOfLayerZeroAreTheInputs() {
            NetworkSpec spec = classifier();
            assertEquals(List.of(3, 4, 2), List.of(spec.units(0), spec.units(1), spec.units(2)));
        }

        @Test
        void parameterCountIsTheSumOfWeightsAndBiases() {
            assertEquals(26, classifier().parameterCount());
        }

        @Test
        void unitsOfALayerThatDoesNotExistIsAnError() {
            assertEquals("<code>: layer: <3> is not a layer; use 0 (the inputs) to 2", messageOf(() -> classifier().units(3)));
        }
    }

    @Nested
    class WithParameters {

        @Test
        void replacesOnlyTheParameters() {
            NetworkSpec spec = classifier();
            Parameters other = new InitSpec(InitScheme.CONSTANT, 0.5, 0).initialise(3, spec.layers());
            NetworkSpec replaced = spec.withParameters(other);
            assertEquals(other, replaced.parameters());
            assertEquals(spec.data(), replaced.data());
            assertNotEquals(spec, replaced);
        }

        @Test
        void checksTheShapesAgainstTheArchitecture() {
            Parameters transposed = new InitSpec(InitScheme.CONSTANT, 0.5, 0)
                    .initialise(4, List.of(new LayerSpec(3, Activation.TANH), new LayerSpec(2, Activation.SOFTMAX)));
            assertEquals("<code>: parameters.W1: <[3][4]> has the wrong shape, expected [4][3]; give W1 4 rows (one per "
                            + "unit of layer 1) of 3 entries (one per input), the PyTorch Linear layout; it looks transposed",
                    messageOf(() -> classifier().withParameters(transposed)));
        }

        @Test
        void rejectsParametersForAnotherNumberOfLayers() {
            Parameters one = new InitSpec(InitScheme.NORMAL).initialise(3, List.of(new LayerSpec(2, Activation.SOFTMAX)));
            assertEquals("<code>: parameters: <1 layer> does not match the 2 layers of the network; give one W and one b "
                    + "per layer", messageOf(() -> classifier().withParameters(one)));
        }
    }

    @Nested
    class ValidatesPartsPassedInCode {

        private final NetworkSpec base = classifier();

        @Test
        void aMissingSource() {
            assertEquals("NetworkSpec: source: <null> is required; pass the file name the spec came from, or \"<string>\"",
                    messageOf(() -> new NetworkSpec("n", null, 3, base.layers(), base.loss(), base.parameters(), base.data())));
        }

        @Test
        void aMissingLoss() {
            assertEquals("<code>: loss: <null> is required; pass one of mse, sse, half_sse, bce, cross_entropy",
                    messageOf(() -> new NetworkSpec("n", "<code>", 3, base.layers(), null, base.parameters(), base.data())));
        }

        @Test
        void aNullLayer() {
            List<LayerSpec> layers = new ArrayList<>(base.layers());
            layers.set(0, null);
            assertEquals("<code>: layers[0]: <null> is required; pass a LayerSpec",
                    messageOf(() -> new NetworkSpec("n", "<code>", 3, layers, base.loss(), base.parameters(), base.data())));
        }

        @Test
        void missingData() {
            assertEquals("<code>: data: <null> is required; pass the samples x and targets y",
                    messageOf(() -> new NetworkSpec("n", "<code>", 3, base.layers(), base.loss(), base.parameters(), null)));
        }
    }

    @Nested
    class IsImmutable {

        @Test
        void copiesTheLayerList() {
            List<LayerSpec> layers = new ArrayList<>(classifier().layers());
            NetworkSpec base = classifier();
            NetworkSpec spec = new NetworkSpec("n", "<code>", 3, layers, base.loss(), base.parameters(), base.data());
            layers.set(0, new LayerSpec(4, Activation.RELU));
            assertEquals(Activation.TANH, spec.layers().get(0).activation());
        }

        @Test
        void doesNotLetItsLayerListBeChanged() {
            NetworkSpec spec = classifier();
            assertThrows(UnsupportedOperationException.class, () -> spec.layers().add(new LayerSpec(1, Activation.RELU)));
        }

        @Test
        void isEqualToASpecWithEqualParts() {
            var first = classifier();
            var second = classifier();
            assertNotSame(first, second);
            assertEquals(first, second);
            assertEquals(first.hashCode(), second.hashCode());
        }
    }
}
