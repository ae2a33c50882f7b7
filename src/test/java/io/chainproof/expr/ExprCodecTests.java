package io.chainproof.expr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ExprCodec}: every shape round-trips to an equal expression, numbers bit for bit; bad text is refused. */
class ExprCodecTests {

    @Test
    void every_shape_round_trips_exactly() {
        Expr z = new Expr.Sym("z");
        Expr e = new Expr.Sum(List.of(
                new Expr.Product(List.of(new Expr.Num(0.1), new Expr.Call(Expr.Fn.SIGMOID_PRIME, z))),
                new Expr.Power(new Expr.Call(Expr.Fn.SECH, new Expr.Sym("W1_0_1")), new Expr.Num(2)),
                new Expr.Conditional(z, new Expr.Num(1), new Expr.Num(0.009999999776482582)),
                new Expr.Num(-4.9e-324), new Expr.Num(Double.MAX_VALUE), new Expr.Sym("oᵢ")));
        String text = ExprCodec.encode(e);
        assertEquals("(+ (* 0.1 (SIGMOID_PRIME z)) (^ (SECH W1_0_1) 2.0) (? z 1.0 0.009999999776482582) -4.9E-324 "
                + "1.7976931348623157E308 oᵢ)", text);
        assertEquals(e, ExprCodec.decode(text));
        assertEquals(e, ExprCodec.decode("  " + text.replace(" ", "\n ") + " "));
    }

    @Test
    void malformed_text_and_unwritable_symbols_are_refused_with_the_place() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExprCodec.decode("(+ a b"))
                .getMessage().contains("Missing ')'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExprCodec.decode("(FOO a)"))
                .getMessage().contains("Unknown head <FOO>"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExprCodec.decode("(^ a)"))
                .getMessage().contains("<^> takes 2 parts, not 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExprCodec.decode("a b"))
                .getMessage().contains("Unexpected <b>"));
        assertThrows(IllegalArgumentException.class, () -> ExprCodec.decode(""));
        assertThrows(IllegalArgumentException.class, () -> ExprCodec.encode(new Expr.Sym("a b")));
        assertThrows(IllegalArgumentException.class, () -> ExprCodec.encode(new Expr.Sym("2x")));
    }
}
