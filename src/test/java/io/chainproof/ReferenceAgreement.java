package io.chainproof;

import io.chainproof.check.BackpropBound;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agreement of chainproof's gradient with an outside float64 reference (PyTorch's autograd), entry by entry and
 * relative:
 * <pre>
 *   |ours − ref| ≤ {@value #RELATIVE}·|ref| + floor,   floor = b_ours + b_ref,
 * </pre>
 * where b_ours is chainproof's rounding bound for the entry ({@link BackpropBound#judged} with chainproof's own local
 * derivatives, {@link SymbolicRules}) and b_ref the same bound for a float64 backward pass written with the textbook
 * local derivatives PyTorch uses ({@code σ·(1 − σ)}, {@code 1 − tanh²}). Two correct float64 computations of the same
 * gradient differ by at most the sum of their rounding errors, so the floor is what the two arithmetics allow and
 * nothing else; it is small where the entry is computed with relative accuracy and as large as the entry only where
 * the textbook formulas cancel. The relative term {@value #RELATIVE} covers what the bounds do not model (a library
 * evaluating a different but equivalent formula, e.g. a fused log-softmax). Today's data agree far inside this: the
 * worst per-entry relative error is printed by each reference test.
 *
 * <p>Instances collect the entries of one run (across specs) and report the worst; not thread-safe.
 */
public final class ReferenceAgreement {

    /** The relative part of the allowed difference. */
    public static final double RELATIVE = 1e-12;

    private final String reference;
    private final List<String> disagreements = new ArrayList<>();
    private double worstRelative;
    private String worstRelativeAt = "-";
    private double worstShare;
    private String worstShareAt = "-";
    private int entries;
    private int noise;

    /**
     * @param reference what the reference is, for the report (e.g. "PyTorch float64 autograd")
     */
    public ReferenceAgreement(String reference) {
        this.reference = reference;
    }

    /** How a float64 reference computes its local derivatives, which decides its rounding bound b_ref. */
    public enum Arithmetic {
        /** The textbook local derivatives PyTorch's autograd uses ({@code σ·(1 − σ)}, {@code 1 − tanh²}). */
        TEXTBOOK,
        /** chainproof's own stable local derivatives ({@link SymbolicRules}). */
        STABLE
    }

    /**
     * The arithmetic of a reference file's {@code producer}: PyTorch's autograd ({@code "torch …"}) computes with the
     * textbook local derivatives; a float64 chain rule with the stable σ' ({@code "manual float64 chain rule with
     * stable sigmoid' …"}) with chainproof's.
     *
     * @param producer the reference file's {@code producer}
     * @return its arithmetic
     * @throws IllegalArgumentException for a producer whose arithmetic is not known
     */
    public static Arithmetic arithmetic(String producer) {
        if (producer.startsWith("torch ")) {
            return Arithmetic.TEXTBOOK;
        }
        if (producer.startsWith("manual float64 chain rule with stable sigmoid'")) {
            return Arithmetic.STABLE;
        }
        throw new IllegalArgumentException("Reference producer <" + producer + "> has no known arithmetic; known: "
                + "torch … (textbook local derivatives), manual float64 chain rule with stable sigmoid' …");
    }

    /**
     * The per-entry floors b_ours + b_ref of a model at its point, for a reference made by {@code producer}
     * ({@link #arithmetic}).
     *
     * @param model    the model
     * @param producer the reference file's {@code producer}
     * @return per flat parameter, the floor
     * @throws IllegalArgumentException for a producer whose arithmetic is not known
     */
    public static double[] floors(Model model, String producer) {
        return floors(model, arithmetic(producer));
    }

    /**
     * The per-entry floors b_ours + b_ref of a model at its point, for a float64 reference of the given arithmetic.
     *
     * @param model     the model
     * @param reference how the reference computes its local derivatives
     * @return per flat parameter, the floor
     */
    public static double[] floors(Model model, Arithmetic reference) {
        double[] ours = BackpropBound.judged(model, BackpropBound.FLOAT64, SymbolicRules.instance());
        double[] ref = reference == Arithmetic.TEXTBOOK ? BackpropBound.judged(model, BackpropBound.FLOAT64) : ours;
        double[] out = new double[ours.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ours[i] + ref[i];
        }
        return out;
    }

    /**
     * The per-entry floors of an MLP reference spec by parameter name ({@code W1[0][1]}).
     *
     * @param spec     the network, at its reference parameters and data
     * @param producer the reference file's {@code producer}
     * @return parameter name → floor
     */
    public static Map<String, Double> floors(NetworkSpec spec, String producer) {
        return floors(spec, arithmetic(producer));
    }

    /**
     * The per-entry floors of an MLP spec by parameter name ({@code W1[0][1]}), for a float64 reference of the given
     * arithmetic (e.g. a backward pass written by hand in a test).
     *
     * @param spec      the network, at its parameters and data
     * @param reference how the reference computes its local derivatives
     * @return parameter name → floor
     */
    public static Map<String, Double> floors(NetworkSpec spec, Arithmetic reference) {
        Model model = Models.mlp(spec);
        double[] floors = floors(model, reference);
        List<String> names = model.parameterNames();
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < floors.length; i++) {
            out.put(names.get(i), floors[i]);
        }
        return out;
    }

    /**
     * @param ref   the reference value
     * @param floor its floor
     * @return the allowed |ours − ref|: {@value #RELATIVE}·|ref| + floor
     */
    public static double allowed(double ref, double floor) {
        return RELATIVE * Math.abs(ref) + floor;
    }

    /**
     * Compares one entry and records it.
     *
     * @param where what the entry is (spec and parameter)
     * @param ours  chainproof's value
     * @param ref   the reference's value
     * @param floor the entry's floor
     * @return whether it agrees
     */
    public boolean compare(String where, double ours, double ref, double floor) {
        entries++;
        double error = Math.abs(ours - ref);
        double allowed = allowed(ref, floor);
        if (Math.abs(ref) > floor) {
            double relative = error / Math.abs(ref);
            if (!(relative <= worstRelative)) {
                worstRelative = relative;
                worstRelativeAt = where + " (ours " + ours + ", ref " + ref + ")";
            }
        } else {
            noise++;
        }
        double share = error / allowed;
        if (!(share <= worstShare)) {
            worstShare = share;
            worstShareAt = where;
        }
        boolean agrees = Double.isFinite(ours) && error <= allowed;
        if (!agrees) {
            disagreements.add(where + " ==> expected: <" + ref + "> but was: <" + ours + ">, difference " + error
                    + " > allowed " + allowed + " = " + RELATIVE + "·|ref| + floor " + floor);
        }
        return agrees;
    }

    /** The entries that did not agree, with expected and actual values. */
    public List<String> disagreements() {
        return List.copyOf(disagreements);
    }

    /** How many entries were compared. */
    public int entries() {
        return entries;
    }

    /**
     * The largest |ours − ref|/|ref| over the entries with |ref| above their floor: an entry below it (a true 0, e.g.
     * a bias whose gradient cancels exactly, computed as rounding noise) has no relative accuracy in either arithmetic
     * and is compared with the floor alone.
     */
    public double worstRelative() {
        return worstRelative;
    }

    /** The largest |ours − ref| / allowed: below 1 when every entry agrees. */
    public double worstShare() {
        return worstShare;
    }

    /** e.g. {@code 760 entries against PyTorch …: worst per-entry relative error 7.86e-14 at random-05 b3[1] …}. */
    public String report() {
        return String.format("%d entries against %s: worst per-entry relative error |ours − ref|/|ref| = %.2e at %s "
                        + "(%d entries with |ref| at or below their rounding floor, rounding noise, compared with the "
                        + "floor alone); largest share of the allowed %.0e·|ref| + rounding floor used: %.2e at %s",
                entries, reference, worstRelative, worstRelativeAt, noise, RELATIVE, worstShare, worstShareAt);
    }
}
