package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.RandomAccess;

/**
 * A JSON array of numbers held as a {@code double[]}: to every reader an ordinary {@link ArrayNode} of
 * {@link IntNode}s and {@link DoubleNode}s (made when asked for), in an eighth of the memory of a tree node per
 * number. A million-parameter spec's weights take 8 MB instead of 40, and {@link #values()} hands them over
 * without a node per number. Read-only.
 */
final class NumberArrayNode extends ArrayNode {

    private static final long serialVersionUID = 1L;

    private final transient Numbers numbers;

    private NumberArrayNode(Numbers numbers) {
        super(JsonNodeFactory.instance, numbers);
        this.numbers = numbers;
    }

    /** The numbers, in order (ints as their double values). */
    double[] values() {
        return Arrays.copyOf(numbers.values, numbers.size);
    }

    /** Collects the numbers of one array as they are parsed. */
    static final class Builder {
        private double[] values = new double[16];
        private final BitSet ints = new BitSet();
        private int size;

        void addInt(int v) {
            ints.set(size);
            add(v);
        }

        void addDouble(double v) {
            add(v);
        }

        private void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        /** The element at i as a tree node (to switch to an ordinary array when a non-number turns up). */
        JsonNode node(int i) {
            return ints.get(i) ? IntNode.valueOf((int) values[i]) : DoubleNode.valueOf(values[i]);
        }

        NumberArrayNode build() {
            return new NumberArrayNode(new Numbers(Arrays.copyOf(values, size), ints, size));
        }
    }

    /** The elements as nodes, made on demand. */
    private static final class Numbers extends AbstractList<JsonNode> implements RandomAccess {
        private final double[] values;
        private final BitSet ints;
        private final int size;

        Numbers(double[] values, BitSet ints, int size) {
            this.values = values;
            this.ints = ints;
            this.size = size;
        }

        @Override
        public JsonNode get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("Index <" + index + "> of an array of " + size + " numbers");
            }
            return ints.get(index) ? IntNode.valueOf((int) values[index]) : DoubleNode.valueOf(values[index]);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
