package io.chainproof.numeric;

/**
 * The two languages the MLP kernels are written in from one emitter: Java (compiled in-process by Janino) and
 * JavaScript (run by an interactive page, so that the page and the command line compute the same numbers by the same
 * operations in the same order). They differ only in declarations, arrays, non-finite literals and where the stable
 * functions live; the arithmetic text is shared.
 */
enum Dialect {

    /** Java source for Janino. */
    JAVA("final double ", "double ", "int ", "io.chainproof.expr.StableFunctions.", "Double.POSITIVE_INFINITY",
            "Double.NEGATIVE_INFINITY", "Double.NaN"),
    /**
     * JavaScript (ES2015): {@code const}/{@code let}, {@code Float64Array}, and the stable functions from the object
     * {@code S} the page defines with the same formulas as {@link io.chainproof.expr.StableFunctions}.
     */
    JAVASCRIPT("const ", "let ", "let ", "S.", "Infinity", "-Infinity", "NaN");

    private final String constant;
    private final String variable;
    private final String index;
    private final String stable;
    private final String positiveInfinity;
    private final String negativeInfinity;
    private final String nan;

    Dialect(String constant, String variable, String index, String stable, String positiveInfinity,
            String negativeInfinity, String nan) {
        this.constant = constant;
        this.variable = variable;
        this.index = index;
        this.stable = stable;
        this.positiveInfinity = positiveInfinity;
        this.negativeInfinity = negativeInfinity;
        this.nan = nan;
    }

    /** @return the declaration of a local that is assigned once, with its trailing space */
    String constant() {
        return constant;
    }

    /** @return the declaration of a local that changes, with its trailing space */
    String variable() {
        return variable;
    }

    /** @return the declaration of a loop index, with its trailing space */
    String index() {
        return index;
    }

    /**
     * A stable function's qualified name.
     *
     * @param name the function's name in {@link io.chainproof.expr.StableFunctions}
     * @return how the source calls it
     */
    String stable(String name) {
        return stable + name;
    }

    /** @return −∞ as a literal */
    String negativeInfinity() {
        return negativeInfinity;
    }

    /**
     * A double as a literal: negative values parenthesised, non-finite ones by name.
     *
     * @param v the value
     * @return the literal
     */
    String literal(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return positiveInfinity;
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return negativeInfinity;
        }
        if (Double.isNaN(v)) {
            return nan;
        }
        String s = Double.toString(v);
        return s.startsWith("-") ? "(" + s + ")" : s;
    }

    /**
     * A field or closure variable holding an array of doubles.
     *
     * @param name the array's name
     * @param length its length
     * @return the declaration, indented for a class body or a function body
     */
    String array(String name, int length) {
        return this == JAVA ? "    private final double[] " + name + " = new double[" + length + "];\n"
                : "    const " + name + " = new Float64Array(" + length + ");\n";
    }
}
