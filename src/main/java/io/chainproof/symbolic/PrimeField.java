package io.chainproof.symbolic;

/**
 * Exact arithmetic in GF(p), p = 2⁶¹ − 1 (a Mersenne prime), for the randomised identity tests of
 * {@link CompositionProof}. Elements are {@code long}s in [0, p). A product needs one 128-bit multiply
 * ({@link Math#multiplyHigh}) and a fold, since 2⁶¹ ≡ 1 (mod p); an inverse is a^(p−2) (Fermat).
 *
 * <p>A double is a dyadic rational m·2^e and maps to its exact value in the field: m·2^e mod p, with
 * 2^e = 2^(e mod 61) because 2 has order 61. Equal doubles give equal elements; no rounding happens.
 */
final class PrimeField {

    /** p = 2⁶¹ − 1. */
    static final long P = (1L << 61) - 1;

    private PrimeField() {
    }

    static long add(long a, long b) {
        long s = a + b;
        return s >= P ? s - P : s;
    }

    static long subtract(long a, long b) {
        long d = a - b;
        return d < 0 ? d + P : d;
    }

    static long negate(long a) {
        return a == 0 ? 0 : P - a;
    }

    static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        // a·b = high·2⁶⁴ + low = (high·2³ + low>>>61)·2⁶¹ + (low & P) ≡ (high·2³ + low>>>61) + (low & P)
        long folded = ((high << 3) | (low >>> 61)) + (low & P);
        folded = (folded & P) + (folded >>> 61);
        return folded >= P ? folded - P : folded;
    }

    /** a^n for n ≥ 0. */
    static long power(long a, long n) {
        long result = 1;
        long base = a;
        long e = n;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = multiply(result, base);
            }
            base = multiply(base, base);
            e >>>= 1;
        }
        return result;
    }

    /**
     * 1/a.
     *
     * @throws ArithmeticException if a = 0
     */
    static long inverse(long a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse");
        }
        return power(a, P - 2);
    }

    /** A non-negative long reduced into the field. */
    static long reduce(long nonNegative) {
        long r = (nonNegative & P) + (nonNegative >>> 61);
        return r >= P ? r - P : r;
    }

    /**
     * The exact value of a finite double in the field.
     *
     * @throws ArithmeticException if {@code x} is infinite or NaN
     */
    static long of(double x) {
        if (!Double.isFinite(x)) {
            throw new ArithmeticException("<" + x + "> is not a finite number");
        }
        if (x == 0) {
            return 0;
        }
        long bits = Double.doubleToRawLongBits(x);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long mantissa = bits & ((1L << 52) - 1);
        int exponent;
        if (biased == 0) {
            exponent = -1074;
        } else {
            mantissa |= 1L << 52;
            exponent = biased - 1075;
        }
        long value = multiply(reduce(mantissa), 1L << Math.floorMod(exponent, 61));
        return x < 0 ? negate(value) : value;
    }
}
