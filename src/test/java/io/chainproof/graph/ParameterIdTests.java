package io.chainproof.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterIdTests {

    @Test
    void a_weight_has_its_pytorch_name_its_symbol_and_the_lecture_notation() {
        ParameterId w = ParameterId.weight(1, 0, 1);
        assertEquals("W1[0][1]", w.name());
        assertEquals("W1", w.tensorName());
        assertEquals("W1_0_1", w.symbol());
        assertEquals("w^{(1)}_{12}", w.latex());
        assertEquals("w⁽¹⁾₁₂", w.unicode());
    }

    @Test
    void a_bias_has_no_column() {
        ParameterId b = ParameterId.bias(3, 1);
        assertEquals("b3[1]", b.name());
        assertEquals("b3_1", b.symbol());
        assertEquals("b^{(3)}_{2}", b.latex());
        assertEquals("b⁽³⁾₂", b.unicode());
    }

    @Test
    void two_digit_indices_are_separated_by_a_comma() {
        ParameterId w = ParameterId.weight(12, 9, 0);
        assertEquals("w^{(12)}_{10,1}", w.latex());
        assertEquals("w⁽¹²⁾₁₀,₁", w.unicode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"W1[0][1]", "b2[3]", "W12[10][0]"})
    void parsing_a_name_gives_it_back(String name) {
        assertEquals(name, ParameterId.parse(name).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"W1[0]", "b1[0][0]", "W0[0][0]", "w1[0][0]", "W1[-1][0]", "W1[0][1] x", ""})
    void parsing_a_malformed_name_says_what_is_expected(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterId.parse(name));
        assertEquals("Parameter name <" + name + "> is not of the form W<layer>[row][column] or b<layer>[row], e.g. W1[0][1] or b2[0]",
                e.getMessage());
    }
}
