package io.chainproof.number;

/**
 * The constants and arrays of one arithmetic: what a forward rule needs to make numbers of the kind it
 * was given (Hipparchus' {@code Field}).
 *
 * @param <T> the number type
 */
public interface RealField<T extends Real<T>> {

    /**
     * A constant: a number with no derivative part (a zero imaginary part, a zero tangent, a literal).
     *
     * @param value the constant
     * @return the constant in this arithmetic
     */
    T constant(double value);

    /**
     * A new array of this arithmetic's numbers, every entry null.
     *
     * @param length the length; ≥ 0
     * @return the array
     */
    T[] array(int length);

    /**
     * A new array of constants.
     *
     * @param values the constants; not modified
     * @return the array, entry i = {@code constant(values[i])}
     */
    default T[] constants(double[] values) {
        T[] a = array(values.length);
        for (int i = 0; i < values.length; i++) {
            a[i] = constant(values[i]);
        }
        return a;
    }
}
