package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.model.Parameter;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.DualNumber;
import io.chainproof.numeric.ModelEvaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a claimed Hessian-vector product {@code H·v} — what a library's double backward returns for
 * {@code ∇(∇L · v)} — entry by entry, as PyTorch's {@code gradgradcheck} and JAX's {@code check_grads(order=2)} do.
 * The oracle differentiates the reverse walk itself (every op's backward rule run over {@code Real}) along v: by the
 * complex step, {@code H·v = Im ∇L(θ + ih·v)/h} with no subtractive cancellation (the default), or forward over
 * reverse, the tangent of {@code ∇L(θ + ε·v)} in dual numbers; both carry their rounding bounds and agree to
 * rounding. Verdicts follow the gradient check's rule ({@link Tolerance}), per tensor at its own scale; an entry
 * whose computation passes near a kink (relu at 0) is not differentiable there. Immutable and thread-safe.
 *
 * <pre>{@code
 * VerificationReport r = new HessianVectorVerifier().verify(model, v, claimedHv);
 * }</pre>
 */
public final class HessianVectorVerifier {

    private final Oracle oracle;
    private final Tolerance tolerance;

    /** The complex step under {@link Tolerance#DEFAULT}. */
    public HessianVectorVerifier() {
        this(Oracle.COMPLEX_STEP, Tolerance.DEFAULT);
    }

    private HessianVectorVerifier(Oracle oracle, Tolerance tolerance) {
        this.oracle = oracle;
        this.tolerance = tolerance;
    }

    /**
     * @param decider {@link Oracle#COMPLEX_STEP} or {@link Oracle#FORWARD_AD} (forward over reverse)
     * @return a verifier deciding by it
     * @throws IllegalArgumentException for central differences, which a second derivative would square the noise of
     */
    public HessianVectorVerifier withOracle(Oracle decider) {
        if (decider != Oracle.COMPLEX_STEP && decider != Oracle.FORWARD_AD) {
            throw new IllegalArgumentException("A Hessian-vector product is checked by " + Oracle.COMPLEX_STEP.description()
                    + " or " + Oracle.FORWARD_AD.description() + ", not by " + Objects.requireNonNull(decider).description()
                    + " (differences of differences lose half the digits)");
        }
        return new HessianVectorVerifier(decider, tolerance);
    }

    /**
     * @param t the tolerance rule
     * @return a verifier judging by it
     */
    public HessianVectorVerifier withTolerance(Tolerance t) {
        return new HessianVectorVerifier(oracle, Objects.requireNonNull(t, "tolerance"));
    }

    /**
     * {@code H·v} at the model's point, by the oracle, each entry with its rounding bound.
     *
     * @param model  the model
     * @param vector v, flat parameter layout
     * @return per parameter, the estimate of {@code (H·v)_i}
     */
    public Estimate[] hessianVector(Model model, double[] vector) {
        return compute(model, vector).estimates;
    }

    private record Computed(Estimate[] estimates, boolean[] kinks) {
    }

    private Computed compute(Model model, double[] vector) {
        double[] theta = model.point();
        if (vector.length != theta.length) {
            throw new IllegalArgumentException("Vector of length <" + vector.length + "> does not fit the <"
                    + theta.length + "> parameters of model <" + model.name() + ">");
        }
        Estimate[] out = new Estimate[theta.length];
        boolean[] kinks = new boolean[theta.length];
        if (oracle == Oracle.COMPLEX_STEP) {
            ComplexStepNumber[] g = ModelEvaluator.gradient(model, ComplexStepNumber.FIELD,
                    i -> ComplexStepNumber.seed(theta[i], vector[i]));
            for (int i = 0; i < g.length; i++) {
                out[i] = new Estimate(g[i].derivative(), g[i].errorBound(), ComplexStepNumber.STEP);
                kinks[i] = g[i].nearKink();
            }
        } else {
            DualNumber[] g = ModelEvaluator.gradient(model, DualNumber.FIELD, i -> DualNumber.seed(theta[i], vector[i]));
            for (int i = 0; i < g.length; i++) {
                out[i] = new Estimate(g[i].tangent(), g[i].errorBound(), 0);
                kinks[i] = g[i].nearKink();
            }
        }
        return new Computed(out, kinks);
    }

    /**
     * Checks {@code claimed} as {@code H·v} at the model's point.
     *
     * @param model   the model (its parameters' values are the point)
     * @param vector  v, flat parameter layout
     * @param claimed the claimed {@code H·v}, flat parameter layout
     * @return one check per entry; the report's name says it is a Hessian-vector product
     * @throws IllegalArgumentException if a length does not fit the model
     */
    public VerificationReport verify(Model model, double[] vector, double[] claimed) {
        if (claimed.length != model.parameterCount()) {
            throw new IllegalArgumentException("Hessian-vector product of length <" + claimed.length
                    + "> does not fit the <" + model.parameterCount() + "> parameters of model <" + model.name() + ">");
        }
        Computed c = compute(model, vector);
        List<String> names = model.parameterNames();
        double loss = ModelEvaluator.loss(model, model.point());
        List<ParameterCheck> checks = new ArrayList<>(claimed.length);
        for (Parameter p : model.parameters()) {
            double max = 0;
            for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                if (Double.isFinite(c.estimates[i].value())) {
                    max = Math.max(max, Math.abs(c.estimates[i].value()));
                }
            }
            double floor = tolerance.tensorFloor(max);
            for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                Verdict verdict;
                if (Double.isFinite(claimed[i]) && !Double.isFinite(loss)) {
                    verdict = new Verdict.NonFinite("the loss is " + loss);
                } else if (c.kinks[i] && Double.isFinite(claimed[i])) {
                    verdict = new Verdict.NotDifferentiableHere("a kink (relu at 0, a max tie) is near on the way to "
                            + "this entry: the second derivative is not defined there");
                } else {
                    verdict = Verdict.judge(claimed[i], c.estimates[i], tolerance, floor);
                }
                checks.add(new ParameterCheck(names.get(i), claimed[i], c.estimates[i], oracle, verdict));
            }
        }
        return new VerificationReport(model.name() + " (Hessian-vector product)", model.source(), loss, checks,
                Optional.empty(), List.of(), AgreementRule.blanket(tolerance));
    }
}
