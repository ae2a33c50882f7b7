package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LayerSpecTests {

    @Test
    void keepsUnitsAndActivation() {
        LayerSpec layer = new LayerSpec(3, Activation.GELU);
        assertEquals(3, layer.units());
        assertEquals(Activation.GELU, layer.activation());
    }

    @Test
    void rejectsZeroUnits() {
        assertEquals("LayerSpec: units: <0> must be at least 1; give the layer 1 or more units",
                assertThrows(SpecException.class, () -> new LayerSpec(0, Activation.RELU)).getMessage());
    }

    @Test
    void rejectsAMissingActivation() {
        assertEquals("LayerSpec: activation: <null> is required; pass one of identity, sigmoid, tanh, relu, leaky_relu, "
                        + "softplus, silu, gelu, elu, softsign, softmax",
                assertThrows(SpecException.class, () -> new LayerSpec(2, null)).getMessage());
    }
}
