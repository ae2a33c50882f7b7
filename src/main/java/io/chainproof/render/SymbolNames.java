package io.chainproof.render;

import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Display names, in the lecture's notation, for the symbols of a written-out (closed-form) expression:
 * parameters {@code W1_0_1} → w⁽¹⁾₁₂ (w₁ in a width-1 chain), data {@code x_0_s2} → x₁ (with the
 * sample as a superscript, x₁⁽ˢ³⁾, when there are several samples).
 */
final class SymbolNames {

    private static final Pattern WEIGHT = Pattern.compile("W(\\d+)_(\\d+)_(\\d+)");
    private static final Pattern BIAS = Pattern.compile("b(\\d+)_(\\d+)");
    private static final Pattern DATA = Pattern.compile("([xy])_(\\d+)_s(\\d+)");

    private final boolean scalarChain;
    private final boolean oneSample;

    SymbolNames(NetworkSpec spec) {
        boolean chain = spec.inputs() == 1;
        for (var layer : spec.layers()) {
            chain &= layer.units() == 1;
        }
        this.scalarChain = chain;
        this.oneSample = spec.data().samples() == 1;
    }

    Function<String, String> text() {
        return symbol -> name(symbol, false);
    }

    Function<String, String> latex() {
        return symbol -> name(symbol, true);
    }

    private String name(String symbol, boolean latex) {
        Matcher m = WEIGHT.matcher(symbol);
        if (m.matches()) {
            return parameter(ParameterId.weight(num(m, 1), num(m, 2), num(m, 3)), latex);
        }
        m = BIAS.matcher(symbol);
        if (m.matches()) {
            return parameter(ParameterId.bias(num(m, 1), num(m, 2)), latex);
        }
        m = DATA.matcher(symbol);
        if (m.matches()) {
            int unit = num(m, 2) + 1;
            int sample = num(m, 3) + 1;
            if (latex) {
                return m.group(1) + "_{" + unit + "}" + (oneSample ? "" : "^{(s" + sample + ")}");
            }
            return m.group(1) + Notation.subscript(unit) + (oneSample ? "" : "⁽ˢ" + Notation.superscript(sample) + "⁾");
        }
        return symbol;
    }

    private String parameter(ParameterId id, boolean latex) {
        String letter = id.kind() == ParameterId.Kind.WEIGHT ? "w" : "b";
        if (scalarChain) {
            return latex ? letter + "_{" + id.layer() + "}" : letter + Notation.subscript(id.layer());
        }
        return latex ? id.latex() : id.unicode();
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}
