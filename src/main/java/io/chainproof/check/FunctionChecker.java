package io.chainproof.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A configured {@link GradientChecker}: checks a user's gradient or Jacobian function against central
 * differences of the user's function under a {@link Tolerance}, naming coordinates {@code x[j]} or as
 * the user chose. Obtained from {@link GradientChecker#withTolerance} or {@link GradientChecker#withNames}
 * and refined fluently; every {@code with…} returns a new checker. Instances are immutable and
 * thread-safe, and never let the user's functions see, keep or change the caller's arrays: each call gets
 * a fresh copy of the point.
 */
public final class FunctionChecker {

    static final FunctionChecker DEFAULT = new FunctionChecker(Tolerance.DEFAULT, null);

    private final Tolerance tolerance;
    /** The coordinates' names, or null for {@code x[0]}, {@code x[1]}, … */
    private final List<String> names;

    private FunctionChecker(Tolerance tolerance, List<String> names) {
        this.tolerance = tolerance;
        this.names = names;
    }

    /**
     * The tolerance claims are held to.
     *
     * @return this checker's tolerance
     */
    public Tolerance tolerance() {
        return tolerance;
    }

    /**
     * A checker like this one that holds claims to {@code newTolerance}.
     *
     * @param newTolerance the tolerance for the new checker
     * @return a new checker; this one is unchanged
     */
    public FunctionChecker withTolerance(Tolerance newTolerance) {
        if (newTolerance == null) {
            throw new IllegalArgumentException("Tolerance is <null>; pass Tolerance.DEFAULT or your own");
        }
        return new FunctionChecker(newTolerance, names);
    }

    /**
     * A checker like this one that calls coordinate j {@code newNames.get(j)} in reports: gradient rows
     * read {@code theta}, Jacobian entries {@code J[1][theta]}. The list must be as long as x, with
     * distinct, non-null names.
     *
     * @param newNames one name per coordinate of x
     * @return a new checker; this one is unchanged
     */
    public FunctionChecker withNames(List<String> newNames) {
        if (newNames == null) {
            throw new IllegalArgumentException("Names are <null>; give one name per coordinate of x");
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < newNames.size(); j++) {
            String name = newNames.get(j);
            if (name == null) {
                throw new IllegalArgumentException("Name at index <" + j + "> is <null>; give every coordinate a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("Name <" + name + "> appears twice; coordinate names must be distinct");
            }
        }
        return new FunctionChecker(tolerance, List.copyOf(newNames));
    }

    /**
     * Checks {@code gradient} as ∇f at {@code x}: one central difference per coordinate, see
     * {@link GradientChecker#check} — through the same {@link GradientVerifier} that checks every model, with the
     * function as a {@link PlainFunction}.
     *
     * @param f the scalar function; called with fresh copies of points near x
     * @param gradient the gradient under test; must return an array as long as x
     * @param x the point; finite, at least one coordinate; not modified
     * @return one check per coordinate, with the overall verdict
     * @throws IllegalArgumentException when an argument is null, x is empty or not finite, the names do
     *                                  not fit x, or the gradient is null or of the wrong length
     */
    public FunctionCheckReport check(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient, double[] x) {
        requireGiven(f, "Function", "the function to check");
        requireGiven(gradient, "Gradient function", "the gradient to check");
        double[] point = point(x);
        List<String> coordinates = coordinateNames(point);
        double[] claimed = gradient.apply(point.clone());
        if (claimed == null) {
            throw new IllegalArgumentException("Gradient function returned <null>; it must return an array of length <"
                    + point.length + ">");
        }
        if (claimed.length != point.length) {
            throw new IllegalArgumentException("Gradient of length <" + claimed.length + "> does not match x of length <"
                    + point.length + ">");
        }
        VerificationReport report = new GradientVerifier(tolerance).withOracle(Oracle.CENTRAL_DIFFERENCE)
                .verifyExhaustively(new PlainFunction(f, point, claimed, coordinates), claimed);
        List<ParameterCheck> checks = report.checks();
        return new FunctionCheckReport(FunctionCheckReport.Kind.GRADIENT, checks);
    }

    /**
     * Checks {@code jacobian} as ∂f/∂x at {@code x}: one vector central difference per input gives a
     * whole column, see {@link GradientChecker#checkJacobian}.
     *
     * @param f the vector function ℝⁿ → ℝᵐ; called with fresh copies of points near x
     * @param jacobian the Jacobian under test; must return m rows of length n
     * @param x the point; finite, at least one coordinate; not modified
     * @return one check per entry J[i][j], row by row, with the overall verdict
     * @throws IllegalArgumentException when an argument is null, x is empty or not finite, the names do
     *                                  not fit x, f returns null or vectors of varying length, or the
     *                                  Jacobian is null or not m×n
     */
    public FunctionCheckReport checkJacobian(Function<double[], double[]> f, Function<double[], double[][]> jacobian,
                                             double[] x) {
        requireGiven(f, "Function", "the function to check");
        requireGiven(jacobian, "Jacobian function", "the Jacobian to check");
        double[] point = point(x);
        List<String> coordinates = coordinateNames(point);
        double[] fx = f.apply(point.clone());
        if (fx == null) {
            throw new IllegalArgumentException("Function returned <null> at x; it must return the vector f(x)");
        }
        if (fx.length == 0) {
            throw new IllegalArgumentException("Function returned <0> values at x; it must return at least one");
        }
        fx = fx.clone();
        double[][] claimed = claimedJacobian(jacobian.apply(point.clone()), fx.length, point.length);
        Function<double[], double[]> checked = sameLength(f, fx.length);
        List<List<JacobianEstimate>> columns = new ArrayList<>(point.length);
        for (int j = 0; j < point.length; j++) {
            columns.add(JacobianDifference.column(checked, point, j, fx, tolerance.safety()));
        }
        List<ParameterCheck> checks = new ArrayList<>(fx.length * point.length);
        for (int i = 0; i < fx.length; i++) {
            for (int j = 0; j < point.length; j++) {
                checks.add(entry("J[" + i + "][" + (names == null ? String.valueOf(j) : names.get(j)) + "]",
                        claimed[i][j], fx[i], "f(x)[" + i + "]", columns.get(j).get(i)));
            }
        }
        return new FunctionCheckReport(FunctionCheckReport.Kind.JACOBIAN, checks);
    }

    private ParameterCheck entry(String name, double claim, double value, String valueName, JacobianEstimate e) {
        Verdict verdict = Double.isFinite(claim) && !Double.isFinite(value)
                ? new Verdict.NonFinite(valueName + " is " + value)
                : e.judge(claim, tolerance);
        return new ParameterCheck(name, claim, e.central(), Oracle.CENTRAL_DIFFERENCE, verdict);
    }

    private static void requireGiven(Object argument, String what, String fix) {
        if (argument == null) {
            throw new IllegalArgumentException(what + " is <null>; give " + fix);
        }
    }

    private static double[] point(double[] x) {
        if (x == null) {
            throw new IllegalArgumentException("x is <null>; give the point at which to check");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("x is empty; give a point with at least one coordinate");
        }
        return x.clone();
    }

    /** The names of the coordinates of {@code point}, after checking they fit it and it is finite. */
    private List<String> coordinateNames(double[] point) {
        if (names != null && names.size() != point.length) {
            throw new IllegalArgumentException("Names of length <" + names.size() + "> do not match x of length <"
                    + point.length + ">");
        }
        List<String> coordinates = new ArrayList<>(point.length);
        for (int j = 0; j < point.length; j++) {
            coordinates.add(names == null ? "x[" + j + "]" : names.get(j));
            if (!Double.isFinite(point[j])) {
                throw new IllegalArgumentException(coordinates.get(j) + " is <" + point[j]
                        + ">; every coordinate of x must be finite");
            }
        }
        return coordinates;
    }

    private static double[][] claimedJacobian(double[][] jacobian, int m, int n) {
        if (jacobian == null) {
            throw new IllegalArgumentException("Jacobian function returned <null>; it must return <" + m + "> rows of length <"
                    + n + ">");
        }
        if (jacobian.length != m) {
            throw new IllegalArgumentException("Jacobian of <" + jacobian.length + "> rows does not match f(x) of length <"
                    + m + ">");
        }
        double[][] copy = new double[m][];
        for (int i = 0; i < m; i++) {
            if (jacobian[i] == null) {
                throw new IllegalArgumentException("Jacobian row <" + i + "> is <null>; it must have length <" + n + ">");
            }
            if (jacobian[i].length != n) {
                throw new IllegalArgumentException("Jacobian row <" + i + "> of length <" + jacobian[i].length
                        + "> does not match x of length <" + n + ">");
            }
            copy[i] = jacobian[i].clone();
        }
        return copy;
    }

    /**
     * {@code f}, failing clearly when it returns null or a vector of another length than f(x)'s m, and
     * copying what it returns (a function may hand back the same buffer on every call).
     */
    private static Function<double[], double[]> sameLength(Function<double[], double[]> f, int m) {
        return p -> {
            double[] y = f.apply(p);
            if (y == null) {
                throw new IllegalArgumentException("Function returned <null> near x; it must return a vector of length <"
                        + m + "> everywhere");
            }
            if (y.length != m) {
                throw new IllegalArgumentException("Function returned <" + y.length + "> values near x but <" + m
                        + "> at x; it must return vectors of one length");
            }
            return y.clone();
        };
    }
}
