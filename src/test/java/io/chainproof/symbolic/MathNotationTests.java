package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MathNotationTests {

    private static final Expr Z = Expr.sym("z");
    private static final Expr A = Expr.sym("a");
    private static final Expr Y = Expr.sym("y");

    private static Expr minus(Expr e) {
        return new Expr.Product(List.of(Expr.num(-1), e));
    }

    @Test
    void a_product_shows_sums_last_and_differences_with_a_minus() {
        Expr s = Expr.call(Fn.SIGMOID, Z);
        Expr symjaOrder = new Expr.Product(List.of(new Expr.Sum(List.of(Expr.num(1), minus(s))), s));
        assertEquals("σ(z)·(1 − σ(z))", MathNotation.text(symjaOrder));
        assertEquals("\\sigma\\left(z\\right) \\cdot \\left(1 - \\sigma\\left(z\\right)\\right)", MathNotation.latex(symjaOrder));
    }

    @Test
    void negative_powers_become_a_denominator() {
        Expr bce = new Expr.Sum(List.of(
                new Expr.Product(List.of(new Expr.Power(new Expr.Sum(List.of(Expr.num(1), minus(A))), Expr.num(-1)),
                        new Expr.Sum(List.of(Expr.num(1), minus(Y))))),
                new Expr.Product(List.of(Expr.num(-1), new Expr.Power(A, Expr.num(-1)), Y))));
        assertEquals("(1 − y)/(1 − a) − y/a", MathNotation.text(bce));
        assertEquals("\\frac{1 - y}{1 - a} - \\frac{y}{a}", MathNotation.latex(bce));
        assertEquals("1/a", MathNotation.text(new Expr.Power(A, Expr.num(-1))));
    }

    @Test
    void a_sum_starts_with_a_positive_term_when_it_has_one() {
        assertEquals("y − 1", MathNotation.text(new Expr.Sum(List.of(Expr.num(-1), Y))));
        assertEquals("−y − a", MathNotation.text(new Expr.Sum(List.of(minus(Y), minus(A)))));
    }

    @Test
    void small_powers_are_superscripts_and_halves_are_roots() {
        assertEquals("sech(z)²", MathNotation.text(new Expr.Power(Expr.call(Fn.SECH, Z), Expr.num(2))));
        assertEquals("{\\operatorname{sech}\\left(z\\right)}^{2}",
                MathNotation.latex(new Expr.Power(Expr.call(Fn.SECH, Z), Expr.num(2))));
        Expr overRootTwoPi = new Expr.Product(List.of(Z,
                new Expr.Power(new Expr.Product(List.of(Expr.num(2), Expr.num(Math.PI))), Expr.num(-0.5))));
        assertEquals("z/√(2·π)", MathNotation.text(overRootTwoPi));
        assertEquals("\\frac{z}{\\sqrt{2 \\cdot \\pi}}", MathNotation.latex(overRootTwoPi));
        assertEquals("z^(y + 1)", MathNotation.text(new Expr.Power(Z, new Expr.Sum(List.of(Y, Expr.num(1))))));
    }

    @Test
    void a_fractional_coefficient_becomes_a_denominator() {
        Expr half = new Expr.Product(List.of(Expr.num(0.5), Z, new Expr.Sum(List.of(Expr.num(1), Y))));
        assertEquals("z·(1 + y)/2", MathNotation.text(half));
        assertEquals("e^(−z²/2)", MathNotation.text(Expr.call(Fn.EXP,
                new Expr.Product(List.of(Expr.num(-0.5), new Expr.Power(Z, Expr.num(2)))))));
        assertEquals("0.01", MathNotation.text(Expr.num(0.01)));
        assertEquals("1/3", MathNotation.text(Expr.num(1.0 / 3)));
    }

    @Test
    void a_conditional_reads_as_a_case_distinction() {
        Expr leakyPrime = new Expr.Conditional(Z, Expr.num(1), Expr.num(0.01));
        assertEquals("(1 if z > 0 else 0.01)", MathNotation.text(leakyPrime));
        assertEquals("\\begin{cases} 1 & z > 0 \\\\ 0.01 & \\text{otherwise} \\end{cases}", MathNotation.latex(leakyPrime));
    }

    @Test
    void symbols_are_shown_through_the_naming_function() {
        Expr link = new Expr.Product(List.of(Expr.call(Fn.SIGMOID_PRIME, Expr.sym("z3_0")), Expr.sym("W3_0_0")));
        Map<String, String> text = Map.of("z3_0", "z₃", "W3_0_0", "w₃");
        Map<String, String> latex = Map.of("z3_0", "z_{3}", "W3_0_0", "w_{3}");
        assertEquals("σ'(z₃)·w₃", MathNotation.text(link, text::get));
        assertEquals("\\sigma'\\left(z_{3}\\right) \\cdot w_{3}", MathNotation.latex(link, latex::get));
        assertEquals("\\mathrm{z3\\_0}", MathNotation.latex(Expr.sym("z3_0")));
    }
}
