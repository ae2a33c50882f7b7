package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

/**
 * A number of the complex step {@code f'(θ) ≈ Im f(θ + ih)/h} (Squire &amp; Trapp 1998; Martins, Sturdza &amp;
 * Alonso 2003), carrying alongside the imaginary part what its rounding error bound needs. Instances are
 * immutable.
 *
 * <p><b>Arithmetic.</b> {@code +, −, ×} are exact complex arithmetic, {@code ÷} is Smith's algorithm (no
 * overflow in {@code c² + d²}). An elementary function of {@code a + ib} is {@code f(a) + i·b·f'(a)}, the
 * Taylor series cut after the b-term: with {@code h = 1e−20} the neglected {@code b²}-terms are ~1e−40
 * relative, so to double precision this <em>is</em> the complex function; the slopes are written so that
 * they neither overflow nor cancel (tanh' as sech², not 1 − tanh², which is 0 beyond |a| = 19).
 *
 * <p><b>Running error bound</b> (Higham 2002, §3.1, γ_n = nu/(1 − nu)). Beside {@code im} travel
 * <ul>
 *   <li>{@code magnitude}: the same computation on absolute values ({@code |b|·|f'(a)|}, {@code |a||d| + |b||c|}),
 *       an upper bound on what the imaginary part would be without cancellation, and</li>
 *   <li>{@code depth}: the longest chain of rounded operations behind the imaginary part (an elementary
 *       function counts {@value #FUNCTION_OPERATIONS}, each slope being a few ulps).</li>
 * </ul>
 * {@link #errorBound()} is then {@code γ_depth·magnitude + MIN_NORMAL} (the latter for imaginary parts in
 * the subnormal range), the standard forward bound of a computation of that depth. The real part carries its own
 * {@code scale} (the absolute-value computation of the real parts), which sets the band in which a branch
 * counts as a kink: {@link #ifPositive} on a perturbed number whose real part lies within
 * {@code KINK_BAND·max(1, scale)} of 0 marks the result {@link #nearKink()}, because there the complex
 * step, which branches on the real part, returns a one-sided derivative.
 *
 * @param re        the real part
 * @param im        the imaginary part
 * @param magnitude the absolute-value bound of the imaginary part
 * @param scale     the absolute-value bound of the real part
 * @param depth     the number of rounded operations behind the imaginary part
 * @param nearKink  whether a branch on the perturbed path was taken within the kink band of 0
 */
public record ComplexStepNumber(double re, double im, double magnitude, double scale, int depth, boolean nearKink)
        implements Real<ComplexStepNumber> {

    /** The imaginary step h (Martins et al. 2003 recommend 1e−20: h² vanishes against any double). */
    public static final double STEP = 1e-20;
    /** Relative half-width of the band around a branch point inside which the derivative is one-sided. */
    public static final double KINK_BAND = 1e-8;
    /** Rounded operations charged to an elementary function's slope. */
    static final int FUNCTION_OPERATIONS = 4;
    private static final double EPS = Math.ulp(1.0) / 2;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /** The arithmetic of complex-step numbers. */
    public static final RealField<ComplexStepNumber> FIELD = new RealField<>() {
        @Override
        public ComplexStepNumber constant(double v) {
            return new ComplexStepNumber(v, 0, 0, Math.abs(v), 0, false);
        }

        @Override
        public ComplexStepNumber[] array(int length) {
            return new ComplexStepNumber[length];
        }
    };

    /**
     * {@code value + i·h·direction}: a parameter perturbed by the step along {@code direction}.
     *
     * @param value     the parameter's value
     * @param direction the seed (1 for a partial derivative, v_i for a directional one)
     * @return the perturbed number
     */
    public static ComplexStepNumber seed(double value, double direction) {
        return new ComplexStepNumber(value, STEP * direction, Math.abs(STEP * direction), Math.abs(value), 0, false);
    }

    @Override
    public RealField<ComplexStepNumber> field() {
        return FIELD;
    }

    @Override
    public double value() {
        return re;
    }

    /** @return the complex-step derivative {@code Im/h} */
    public double derivative() {
        return im / STEP;
    }

    /**
     * The bound on the rounding error of {@link #derivative()}: {@code (γ_depth·magnitude + MIN_NORMAL)/h}.
     *
     * @return the bound; ≥ 0
     */
    public double errorBound() {
        double n = depth * EPS;
        double gamma = n / (1 - Math.min(n, 0.5));
        return (gamma * magnitude + Double.MIN_NORMAL) / STEP;
    }

    private boolean perturbed() {
        return im != 0 || magnitude != 0;
    }

    @Override
    public ComplexStepNumber add(ComplexStepNumber o) {
        return new ComplexStepNumber(re + o.re, im + o.im, magnitude + o.magnitude, scale + o.scale,
                Math.max(depth, o.depth) + 1, nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber subtract(ComplexStepNumber o) {
        return new ComplexStepNumber(re - o.re, im - o.im, magnitude + o.magnitude, scale + o.scale,
                Math.max(depth, o.depth) + 1, nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber multiply(ComplexStepNumber o) {
        return new ComplexStepNumber(re * o.re - im * o.im, re * o.im + im * o.re,
                Math.abs(re) * o.magnitude + magnitude * Math.abs(o.re), scale * o.scale,
                Math.max(depth, o.depth) + 2, nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber divide(ComplexStepNumber o) {
        double c2 = o.re * o.re;
        return new ComplexStepNumber(divideRe(re, im, o.re, o.im), divideIm(re, im, o.re, o.im),
                (magnitude * Math.abs(o.re) + Math.abs(re) * o.magnitude) / c2, scale / Math.abs(o.re),
                Math.max(depth, o.depth) + 4, nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber negate() {
        return new ComplexStepNumber(-re, -im, magnitude, scale, depth, nearKink);
    }

    @Override
    public ComplexStepNumber pow(double k) {
        if (k == 1) {
            return this;
        }
        if (k == 2) {
            return multiply(this);
        }
        if (k == -1) {
            return FIELD.constant(1).divide(this);
        }
        double value = DoubleNumber.power(re, k);
        double slope = k * DoubleNumber.power(re, k - 1);
        return function(value, slope);
    }

    /**
     * {@code this^exponent}: for a constant exponent (no imaginary part) {@link #pow(double)}; otherwise
     * {@code e^{exponent·log this}} for the imaginary part and its bound, with the real part Math.pow's — so
     * the base must be positive, as for any real power with a varying exponent.
     */
    @Override
    public ComplexStepNumber pow(ComplexStepNumber exponent) {
        if (!exponent.perturbed()) {
            return pow(exponent.re);
        }
        ComplexStepNumber viaLog = log().multiply(exponent).exp();
        return new ComplexStepNumber(Math.pow(re, exponent.re), viaLog.im, viaLog.magnitude, viaLog.scale,
                viaLog.depth, viaLog.nearKink);
    }

    @Override
    public ComplexStepNumber call(Expr.Fn fn) {
        double value = StableFunctions.apply(fn, re);
        return function(value, slope(fn, re, value));
    }

    private ComplexStepNumber function(double value, double slope) {
        return new ComplexStepNumber(value, im * slope, magnitude * Math.abs(slope), Math.abs(value),
                depth + FUNCTION_OPERATIONS, nearKink);
    }

    @Override
    public ComplexStepNumber ifPositive(ComplexStepNumber whenPositive, ComplexStepNumber otherwise) {
        ComplexStepNumber chosen = re > 0 ? whenPositive : otherwise;
        boolean kink = perturbed() && Math.abs(re) <= KINK_BAND * Math.max(1.0, scale);
        return kink && !chosen.nearKink
                ? new ComplexStepNumber(chosen.re, chosen.im, chosen.magnitude, chosen.scale, chosen.depth, true)
                : chosen;
    }

    /**
     * f'(a) for {@code Im f(a + ib) = b·f'(a)}, in forms that neither overflow nor cancel.
     *
     * @param fn    the elementary function
     * @param a     the real part of the argument
     * @param value f(a), already computed
     * @return f'(a)
     */
    public static double slope(Expr.Fn fn, double a, double value) {
        return switch (fn) {
            case EXP -> value;
            case LOG -> 1.0 / a;
            case SIGMOID -> StableFunctions.sigmoidPrime(a);
            case SIGMOID_PRIME -> -StableFunctions.sigmoidPrime(a) * Math.tanh(0.5 * a);
            case SOFTPLUS -> StableFunctions.sigmoid(a);
            case TANH -> {
                double s = StableFunctions.sech(a);
                yield s * s;
            }
            case SECH -> -StableFunctions.sech(a) * Math.tanh(a);
            case ERF -> TWO_OVER_SQRT_PI * Math.exp(-a * a);
        };
    }

    /**
     * Re((a + ib)/(c + id)) by Smith's algorithm, so that {@code c² + d²} cannot overflow.
     *
     * @param a Re of the dividend
     * @param b Im of the dividend
     * @param c Re of the divisor
     * @param d Im of the divisor
     * @return the real part of the quotient
     */
    public static double divideRe(double a, double b, double c, double d) {
        if (Math.abs(d) <= Math.abs(c)) {
            double r = d / c;
            return (a + b * r) / (c + d * r);
        }
        double r = c / d;
        return (a * r + b) / (c * r + d);
    }

    /**
     * Im((a + ib)/(c + id)) by Smith's algorithm, so that {@code c² + d²} cannot overflow.
     *
     * @param a Re of the dividend
     * @param b Im of the dividend
     * @param c Re of the divisor
     * @param d Im of the divisor
     * @return the imaginary part of the quotient
     */
    public static double divideIm(double a, double b, double c, double d) {
        if (Math.abs(d) <= Math.abs(c)) {
            double r = d / c;
            return (b - a * r) / (c + d * r);
        }
        double r = c / d;
        return (b * r - a) / (c * r + d);
    }
}
