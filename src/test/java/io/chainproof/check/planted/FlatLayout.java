package io.chainproof.check.planted;

import io.chainproof.spec.NetworkSpec;

/**
 * Where each parameter sits in a flat gradient: {@code W1} row by row, {@code b1}, {@code W2}, {@code b2},
 * … — derived here from the units alone (the suite checks it against chainproof's own layout once).
 * Instances are immutable.
 */
final class FlatLayout {

    private final int[] units;
    private final int[] weightOffsets;

    private FlatLayout(int[] units) {
        this.units = units;
        int layers = units.length - 1;
        this.weightOffsets = new int[layers + 2];
        int offset = 0;
        for (int l = 1; l <= layers; l++) {
            weightOffsets[l] = offset;
            offset += units[l] * (units[l - 1] + 1);
        }
        weightOffsets[layers + 1] = offset;
    }

    static FlatLayout of(NetworkSpec spec) {
        int[] units = new int[spec.layerCount() + 1];
        for (int l = 0; l <= spec.layerCount(); l++) {
            units[l] = spec.units(l);
        }
        return new FlatLayout(units);
    }

    /** The number of parameters. */
    int size() {
        return weightOffsets[units.length];
    }

    /** Offset of {@code W_l[0][0]}; for {@code l = L + 1}, the number of parameters. */
    int weightOffset(int l) {
        return weightOffsets[l];
    }

    /** Offset of {@code b_l[0]}. */
    int biasOffset(int l) {
        return weightOffsets[l] + units[l] * units[l - 1];
    }

    /** Offset of {@code W_l[row][column]}. */
    int weight(int l, int row, int column) {
        return weightOffsets[l] + row * units[l - 1] + column;
    }

    /** Offset of {@code b_l[row]}. */
    int bias(int l, int row) {
        return biasOffset(l) + row;
    }

    /** The layer holding flat entry {@code index}. */
    int layerOf(int index) {
        for (int l = 1; l < units.length; l++) {
            if (index < weightOffsets[l + 1]) {
                return l;
            }
        }
        throw new IllegalArgumentException("Index <" + index + "> is outside the <" + size() + "> parameters");
    }

    /** e.g. {@code W2[0][1]} or {@code b1[0]}. */
    String name(int index) {
        int l = layerOf(index);
        int local = index - weightOffsets[l];
        int fanIn = units[l - 1];
        return local < units[l] * fanIn
                ? "W" + l + "[" + local / fanIn + "][" + local % fanIn + "]"
                : "b" + l + "[" + (local - units[l] * fanIn) + "]";
    }
}
