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
 *   <li>{@code magnitude} and {@code scale}: first-order bounds such that the computed imaginary part is within
 *       {@code γ_depth·magnitude}, and the computed real part within {@code γ_depth·scale}, of the exact ones
 *       (both are at least the absolute value of their part), and</li>
 *   <li>{@code depth}: the longest chain of roundings behind either part (an elementary function counts what
 *       {@link RunningError} charges it, 2 to 20 unit roundoffs).</li>
 * </ul>
 * The real part's error matters to the imaginary part: a product {@code (a + ib)(c + id)} has
 * {@code Im = ad + bc}, and a function's slope {@code f'(a)} is evaluated at the rounded {@code a}; so a product
 * charges {@code |a|·magnitude_d + scale_a·|d| + |c|·magnitude_b + scale_c·|b|} and a function
 * {@code magnitude·|f'(a)| + scale·|b|·|f''(a)|} (a depth-0 number, a constant or a seed, has an exact real part
 * and charges nothing for it). {@link #errorBound()} is then {@code (γ_{depth+2}·magnitude + MIN_NORMAL)/h}
 * (two more roundings: the seed's {@code h·direction} and the final {@code Im/h}; MIN_NORMAL for imaginary
 * parts in the subnormal range). The {@code scale} also sets the band in which a branch counts as a kink:
 * {@link #ifPositive} on a perturbed number whose real part lies within {@code KINK_BAND·max(1, scale)} of 0
 * marks the result {@link #nearKink()}, because there the complex step, which branches on the real part,
 * returns a one-sided derivative; a result decided by a test that is itself near a kink is marked too.
 *
 * @param re        the real part
 * @param im        the imaginary part
 * @param magnitude the first-order error scale of the imaginary part (error ≤ γ_depth·magnitude)
 * @param scale     the first-order error scale of the real part (error ≤ γ_depth·scale)
 * @param depth     the number of roundings behind the number
 * @param nearKink  whether a branch on the perturbed path was taken within the kink band of 0
 */
public record ComplexStepNumber(double re, double im, double magnitude, double scale, int depth, boolean nearKink)
        implements Real<ComplexStepNumber> {

    /** The imaginary step h (Martins et al. 2003 recommend 1e−20: h² vanishes against any double). */
    public static final double STEP = 1e-20;
    /** Relative half-width of the band around a branch point inside which the derivative is one-sided. */
    public static final double KINK_BAND = 1e-8;
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

        @Override
        public ComplexStepNumber[] affine(ComplexStepNumber[] a, ComplexStepNumber[] w, ComplexStepNumber[] b, int rows,
                                          int in, int out) {
            return AffineLoops.forward(this, Affine::new, a, w, b, rows, in, out);
        }

        @Override
        public void affineBackward(ComplexStepNumber[] a, ComplexStepNumber[] w, ComplexStepNumber[] g,
                                   ComplexStepNumber[] ga, ComplexStepNumber[] gw, ComplexStepNumber[] gb, int rows,
                                   int in, int out) {
            AffineLoops.backward(this, Affine::new, a, w, g, ga, gw, gb, rows, in, out);
        }

        @Override
        public ComplexStepNumber affineWeightGradient(ComplexStepNumber[] a, ComplexStepNumber[] g, int rows, int in, int out, int j, int k) {
            return AffineLoops.weightGradient(this, Affine::new, a, g, rows, in, out, j, k);
        }
    };

    /**
     * The accumulator of the affine map and its backward pass ({@link AffineLoops}): {@link #add} and {@link
     * #multiply} written out on local variables, the same operations in the same order as {@link RealField#affine}
     * and {@link RealField#affineBackward} perform with objects — bit for bit the same numbers, one object per result
     * instead of two per term (a 1000 × 1000 layer: 4 million objects fewer per pass).
     */
    private static final class Affine implements AffineLoops.Accumulator<ComplexStepNumber> {

        /** The running sum: one number's six parts. */
        private double re;
        private double im;
        private double magnitude;
        private double scale;
        private int depth;
        private boolean kink;

        @Override
        public void set(ComplexStepNumber x) {
            re = x.re;
            im = x.im;
            magnitude = x.magnitude;
            scale = x.scale;
            depth = x.depth;
            kink = x.nearKink;
        }

        /** this = x·y, as {@code x.multiply(y)}. */
        @Override
        public void product(ComplexStepNumber x, ComplexStepNumber y) {
            double xError = x.realError();
            double yError = y.realError();
            scale = RunningError.times(xError, Math.abs(y.re)) + RunningError.times(yError, Math.abs(x.re))
                    + Math.abs(x.re * y.re) + x.magnitude * y.magnitude;
            magnitude = productMagnitude(x.re, x.im, x.magnitude, xError, y.re, y.im, y.magnitude, yError);
            re = x.re * y.re - x.im * y.im;
            im = x.re * y.im + x.im * y.re;
            depth = RunningError.deeper(Math.max(x.depth, y.depth), 2);
            kink = x.nearKink || y.nearKink;
        }

        /** this = this + x·y, as {@code this.add(x.multiply(y))}. */
        @Override
        public void addProduct(ComplexStepNumber x, ComplexStepNumber y) {
            double xError = x.realError();
            double yError = y.realError();
            double pScale = RunningError.times(xError, Math.abs(y.re)) + RunningError.times(yError, Math.abs(x.re))
                    + Math.abs(x.re * y.re) + x.magnitude * y.magnitude;
            double pMagnitude = productMagnitude(x.re, x.im, x.magnitude, xError, y.re, y.im, y.magnitude, yError);
            double pRe = x.re * y.re - x.im * y.im;
            double pIm = x.re * y.im + x.im * y.re;
            int pDepth = RunningError.deeper(Math.max(x.depth, y.depth), 2);
            re = re + pRe;
            im = im + pIm;
            magnitude = magnitude + pMagnitude;
            scale = scale + pScale;
            depth = RunningError.deeper(Math.max(depth, pDepth), 1);
            kink = kink || x.nearKink || y.nearKink;
        }

        @Override
        public ComplexStepNumber number() {
            return new ComplexStepNumber(re, im, magnitude, scale, depth, kink);
        }
    }

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
     * The bound on the rounding error of {@link #derivative()}: {@code (γ_{depth+2}·magnitude + MIN_NORMAL)/h}.
     *
     * @return the bound; ≥ 0, +∞ when a function on the path has no error bound
     */
    public double errorBound() {
        return (RunningError.times(magnitude, RunningError.gamma((long) depth + 2)) + Double.MIN_NORMAL) / STEP;
    }

    private boolean perturbed() {
        return im != 0 || magnitude != 0;
    }

    /** The scale of this number's real-part error: 0 when the real part is exact (a constant or a seed). */
    private double realError() {
        return depth == 0 ? 0 : scale;
    }

    @Override
    public ComplexStepNumber add(ComplexStepNumber o) {
        return new ComplexStepNumber(re + o.re, im + o.im, magnitude + o.magnitude, scale + o.scale,
                RunningError.deeper(Math.max(depth, o.depth), 1), nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber subtract(ComplexStepNumber o) {
        return new ComplexStepNumber(re - o.re, im - o.im, magnitude + o.magnitude, scale + o.scale,
                RunningError.deeper(Math.max(depth, o.depth), 1), nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber multiply(ComplexStepNumber o) {
        double newScale = RunningError.times(realError(), Math.abs(o.re)) + RunningError.times(o.realError(), Math.abs(re))
                + Math.abs(re * o.re) + magnitude * o.magnitude;
        double newMagnitude = productMagnitude(re, im, magnitude, realError(), o.re, o.im, o.magnitude, o.realError());
        return new ComplexStepNumber(re * o.re - im * o.im, re * o.im + im * o.re, newMagnitude, newScale,
                RunningError.deeper(Math.max(depth, o.depth), 2), nearKink || o.nearKink);
    }

    /**
     * Smith's quotient. With {@code q = a/c} and {@code κ = scale_c/|c|} (how much the divisor's rounding
     * can move it, relatively), to first order
     * {@code scale = (scale_a + |q|·scale_c)/|c|} and
     * {@code magnitude = (magnitude_b + |q|·magnitude_d + κ·(|b| + 2|q||d|) + |d|·scale_a/|c|)/|c|} — the partial
     * derivatives of {@code Im = (bc − ad)/c²} times the errors of b, d, c, a — computed without {@code c²},
     * which overflows for |c| &gt; 1e154 (before: {@code w/1e200} had a bound of 2e−288 for a derivative 1e−200).
     */
    /**
     * The magnitude of a product's imaginary part, as {@link #multiply} propagates it: each factor's real part times
     * the other's magnitude, plus each real part's rounding error times the other's imaginary part. Shared with the
     * tape that runs this arithmetic on arrays ({@code numeric.ComplexTape}).
     *
     * @param re         the first factor's real part
     * @param im         its imaginary part
     * @param magnitude  its magnitude
     * @param realError  its real part's rounding-error scale (0 for an exact value)
     * @param oRe        the second factor's real part
     * @param oIm        its imaginary part
     * @param oMagnitude its magnitude
     * @param oRealError its real part's rounding-error scale
     * @return the product's magnitude
     */
    public static double productMagnitude(double re, double im, double magnitude, double realError, double oRe,
                                          double oIm, double oMagnitude, double oRealError) {
        return Math.abs(re) * oMagnitude + RunningError.times(realError, Math.abs(oIm))
                + Math.abs(oRe) * magnitude + RunningError.times(oRealError, Math.abs(im));
    }

    @Override
    public ComplexStepNumber divide(ComplexStepNumber o) {
        double c = Math.abs(o.re);
        double q = divideRe(re, im, o.re, o.im);
        double newScale;
        double newMagnitude;
        if (c == 0) {
            newScale = Double.POSITIVE_INFINITY;
            newMagnitude = Double.POSITIVE_INFINITY;
        } else {
            double kappa = o.realError() / c;
            double aq = Math.abs(q);
            newScale = (scale + RunningError.times(o.realError(), aq)) / c;
            newMagnitude = (magnitude + RunningError.times(o.magnitude, aq)
                    + RunningError.times(kappa, Math.abs(im) + 2 * aq * Math.abs(o.im))
                    + RunningError.times(realError() / c, Math.abs(o.im))) / c;
        }
        return new ComplexStepNumber(q, divideIm(re, im, o.re, o.im), newMagnitude, newScale,
                RunningError.deeper(Math.max(depth, o.depth), 5), nearKink || o.nearKink);
    }

    @Override
    public ComplexStepNumber negate() {
        return new ComplexStepNumber(-re, -im, magnitude, scale, depth, nearKink);
    }

    @Override
    public ComplexStepNumber pow(double k) {
        java.util.Optional<ComplexStepNumber> exact = Real.exactPower(this, k);
        if (exact.isPresent()) {
            return exact.get();
        }
        if (k == -1) {
            return FIELD.constant(1).divide(this);
        }
        double value = DoubleNumber.power(re, k);
        double slope = k * DoubleNumber.power(re, k - 1);
        return function(value, slope, RunningError.powerCurvature(re, k), RunningError.powerOperations(re, k));
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
        return function(value, slope(fn, re, value), RunningError.curvature(fn, re, value),
                RunningError.operations(fn, re));
    }

    private ComplexStepNumber function(double value, double slope, double curvature, int operations) {
        double absSlope = Math.abs(slope);
        double newMagnitude = RunningError.times(magnitude, absSlope)
                + RunningError.times(realError(), Math.abs(im) * curvature);
        double newScale = Math.abs(value) + RunningError.times(realError(), absSlope);
        return new ComplexStepNumber(value, im * slope, newMagnitude, newScale,
                RunningError.deeper(depth, operations), nearKink);
    }

    /** The branch, unmarked: the branches join with equal slopes, so the complex step is exact on either side. */
    @Override
    public ComplexStepNumber ifPositiveJoined(ComplexStepNumber whenPositive, ComplexStepNumber otherwise) {
        return re > 0 ? whenPositive : otherwise;
    }

    @Override
    public ComplexStepNumber ifPositive(ComplexStepNumber whenPositive, ComplexStepNumber otherwise) {
        ComplexStepNumber chosen = re > 0 ? whenPositive : otherwise;
        // a kink along this direction only where the two branches move differently: a tie of two entries that move
        // together (a max pool over padding, relu of an entry the seed does not reach) is differentiable here
        boolean kink = nearKink || perturbed() && Math.abs(re) <= KINK_BAND * Math.max(1.0, scale)
                && whenPositive.im != otherwise.im;
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
            case EXPM1 -> Math.exp(a);
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
