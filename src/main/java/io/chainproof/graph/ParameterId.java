package io.chainproof.graph;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of one scalar parameter: weight {@code W1[0][1]} or bias {@code b1[0]}.
 *
 * <p>Layers count from 1, rows and columns from 0, in the PyTorch {@code Linear} layout: {@code W_l} is
 * {@code [units_l][units_{l−1}]}, so {@code W1[j][k]} connects input unit {@code k} to unit {@code j} of
 * layer 1. In the lecture's notation (Nielsen's convention, 1-based) that weight is
 * w<sup>(1)</sup><sub>j+1,k+1</sub>: {@code W1[0][1]} is w<sup>(1)</sup><sub>12</sub>.
 *
 * @param layer  the layer, 1-based
 * @param kind   weight or bias
 * @param row    the output unit, 0-based
 * @param column the input unit, 0-based; −1 for a bias
 */
public record ParameterId(int layer, Kind kind, int row, int column) implements Comparable<ParameterId> {

    /** Whether a parameter multiplies an input (weight) or is added (bias). */
    public enum Kind {
        /** Multiplies an input: an entry of W_l. */
        WEIGHT,
        /** Is added: an entry of b_l. */
        BIAS
    }

    private static final Pattern NAME = Pattern.compile("([Wb])([1-9][0-9]*)\\[([0-9]+)](?:\\[([0-9]+)])?");

    /**
     * Validates the components.
     *
     * @param layer the layer, 1-based
     * @param kind weight or bias
     * @param row the output unit, 0-based
     * @param column the input unit, 0-based; −1 for a bias
     */
    public ParameterId {
        if (layer < 1) {
            throw new IllegalArgumentException("Layer <" + layer + "> is not a layer; layers count from 1");
        }
        if (row < 0) {
            throw new IllegalArgumentException("Row <" + row + "> is negative");
        }
        if (kind == Kind.WEIGHT && column < 0) {
            throw new IllegalArgumentException("Column <" + column + "> of a weight is negative");
        }
        if (kind == Kind.BIAS && column != -1) {
            throw new IllegalArgumentException("A bias has no column, got <" + column + ">");
        }
    }

    /**
     * The weight {@code W<layer>[row][column]}.
     *
     * @param layer the layer, 1-based
     * @param row the output unit, 0-based
     * @param column the input unit, 0-based
     * @return the weight's id
     */
    public static ParameterId weight(int layer, int row, int column) {
        return new ParameterId(layer, Kind.WEIGHT, row, column);
    }

    /**
     * The bias {@code b<layer>[row]}.
     *
     * @param layer the layer, 1-based
     * @param row the unit, 0-based
     * @return the bias's id
     */
    public static ParameterId bias(int layer, int row) {
        return new ParameterId(layer, Kind.BIAS, row, -1);
    }

    /**
     * Parses {@code W2[0][1]} or {@code b1[0]}.
     *
     * @param text the name, as {@link #name()} writes it
     * @return the parameter it names
     * @throws IllegalArgumentException naming the text and the expected shape
     */
    public static ParameterId parse(String text) {
        Matcher m = NAME.matcher(text.strip());
        if (!m.matches() || (m.group(1).equals("W") != (m.group(4) != null))) {
            throw new IllegalArgumentException("Parameter name <" + text
                    + "> is not of the form W<layer>[row][column] or b<layer>[row], e.g. W1[0][1] or b2[0]");
        }
        int layer = Integer.parseInt(m.group(2));
        int row = Integer.parseInt(m.group(3));
        return m.group(1).equals("W") ? weight(layer, row, Integer.parseInt(m.group(4))) : bias(layer, row);
    }

    /**
     * {@code W1} or {@code b1}: the tensor this scalar belongs to.
     *
     * @return the tensor's name
     */
    public String tensorName() {
        return (kind == Kind.WEIGHT ? "W" : "b") + layer;
    }

    /**
     * {@code W1[0][1]} or {@code b1[0]}.
     *
     * @return the parameter's name, as {@link #parse} reads it
     */
    public String name() {
        return kind == Kind.WEIGHT ? tensorName() + "[" + row + "][" + column + "]" : tensorName() + "[" + row + "]";
    }

    /**
     * An identifier-safe symbol for expressions: {@code W1_0_1} or {@code b1_0}.
     *
     * @return the symbol
     */
    public String symbol() {
        return kind == Kind.WEIGHT ? tensorName() + "_" + row + "_" + column : tensorName() + "_" + row;
    }

    /**
     * Lecture notation in LaTeX: {@code w^{(1)}_{12}} or {@code b^{(1)}_{1}} (1-based indices).
     *
     * @return the name in LaTeX
     */
    public String latex() {
        return kind == Kind.WEIGHT
                ? "w^{(" + layer + ")}_{" + subscript(row + 1, column + 1, ",") + "}"
                : "b^{(" + layer + ")}_{" + (row + 1) + "}";
    }

    /**
     * Lecture notation in plain Unicode: {@code w⁽¹⁾₁₂} or {@code b⁽¹⁾₁}.
     *
     * @return the name in Unicode
     */
    public String unicode() {
        String sup = "⁽" + Notation.superscript(layer) + "⁾";
        return kind == Kind.WEIGHT
                ? "w" + sup + Notation.subscript(row + 1) + (needsComma() ? "," : "") + Notation.subscript(column + 1)
                : "b" + sup + Notation.subscript(row + 1);
    }

    private boolean needsComma() {
        return row + 1 >= 10 || column + 1 >= 10;
    }

    private String subscript(int j, int k, String separator) {
        return needsComma() ? j + separator + k : "" + j + k;
    }

    @Override
    public int compareTo(ParameterId o) {
        int c = Integer.compare(layer, o.layer);
        if (c != 0) {
            return c;
        }
        c = kind.compareTo(o.kind);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(row, o.row);
        return c != 0 ? c : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return name();
    }
}
