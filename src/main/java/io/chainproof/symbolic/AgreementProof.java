package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The proof that the chain-rule factorisation of ∂L/∂θ ({@link ChainRuleDerivation}, with every
 * intermediate substituted: the closed form c) equals the direct derivative {@code D[L, θ]} of the loss
 * written as one expression of the parameters and of the data (as symbols, so the agreement holds for any
 * data).
 *
 * <p>Decision procedure, cheapest first:
 * <ol>
 *   <li>by composition (the default, linear in the network): every op's local rule (φ', ∂ℓ/∂a, the softmax
 *       Jacobian, the affine map's derivatives) is Symja's {@code D} of the op's definition, derived once and
 *       bundled (re-derived by {@code DerivedRulesTests}); {@code D[L, θ]} is built a second way from the
 *       same rules, by forward accumulation from θ to the loss, and c is proved identical to it by exact
 *       evaluation in GF(2⁶¹ − 1) at random points, function values opaque, with the error probability
 *       stated (Schwartz–Zippel) → {@link AgreementOutcome.Proved} by {@code composition}. Both sides are
 *       shared DAGs: a depth-48 chain or a softmax classifier is proved in milliseconds per parameter;</li>
 *   <li>symbolic, by Symja on the whole written-out loss (when the composition does not decide, or with
 *       {@link ProofSettings#symjaOnly()}), each attempt under Symja's {@code TimeConstrained}
 *       ({@link ProofSettings#symbolicTimeLimit()}), with L written over <em>opaque</em> functions: σ, tanh,
 *       softplus, erf, exp, log and each softmax output are undefined Symja functions, differentiated by
 *       Symja's chain rule with their derivative rules taken from the Symja-derived local derivatives
 *       (σ' = σ', tanh' = sech², softplus' = σ, erf' = (2/√π)·e^{−u²}, the proved softmax Jacobian), and
 *       a relu's branch is a step function H with H' = 0 away from the kink. Then
 *       {@code Together[ExpandAll[PowerExpand[c − D[L, θ]]]]}, else {@code Simplify[PowerExpand[…]]}, must
 *       be exactly 0 → {@link AgreementOutcome.Proved} by Symja. Opaque functions keep Symja from merging
 *       exponentials ({@code E^a·E^b → E^(a+b)}), which otherwise defeats its rational simplification;
 *       {@code PowerExpand} only splits constant radicals here ({@code √(2π) = √2·√π}), since every
 *       non-integer power in these expressions has a constant base and log is opaque;</li>
 *   <li>numeric: c and the concrete {@code D[L, θ]} (real functions, stably lowered) evaluated in double
 *       precision at {@link ProofSettings#points()} seeded random points (parameters and inputs uniform in
 *       [−2, 2], bce/cross-entropy targets in [0, 1], points with a relu pre-activation within 1e−6 of
 *       its kink redrawn), agreeing to 1e−12 relative with a max(1, |d|) denominator →
 *       {@link AgreementOutcome.CheckedNumerically}, else {@link AgreementOutcome.Disagrees};</li>
 *   <li>if the written-out loss or closed form exceeds {@link ProofSettings#maxLeafCount()} leaves, Symja
 *       and the numeric comparison are not attempted → {@link AgreementOutcome.TooLarge}; so too for a proof by
 *       composition above 2·10⁶ scalar operations (one forward pass over the samples), or for {@link #all} when
 *       the proofs of every parameter would take above 2·10⁷ together (prove those one at a time).</li>
 * </ol>
 *
 * <table>
 *   <caption>Measured for the Symja route (warm JVM, 3 s limit): 2 inputs → 2 hidden → 2 outputs, two samples, ∂L/∂W1[0][1]</caption>
 *   <tr><th>network</th><th>outcome</th><th>time</th></tr>
 *   <tr><td>lecture chain, all 6 parameters</td><td>proved (Together)</td><td>0.17 s</td></tr>
 *   <tr><td>tanh → identity, mse / sse / half_sse</td><td>proved (Together)</td><td>0.13 s</td></tr>
 *   <tr><td>tanh → sigmoid, bce</td><td>proved (Together)</td><td>0.8 s</td></tr>
 *   <tr><td>any hidden activation → softmax, cross-entropy</td><td>proved (Together), gelu sometimes numeric</td>
 *       <td>1–5 s</td></tr>
 * </table>
 *
 * @param parameter  θ
 * @param outcome    the verdict
 * @param closedForm the chain-rule closed form, unless too large
 * @param direct     {@code D[L, θ]} by forward accumulation (proved by composition), or Symja's concrete
 *                   {@code D[L, θ]} (stably lowered), unless too large or (when proved
 *                   symbolically) outside the functions an {@link Expr} can hold
 * @param sharedForm the closed form with its shared parts named (how it is printed), when it was built
 */
public record AgreementProof(ParameterId parameter, AgreementOutcome outcome, Optional<Expr> closedForm,
                             Optional<Expr> direct, Optional<SharedForm> sharedForm) {

    /**
     * Validates the components.
     *
     * @param parameter θ
     * @param outcome the verdict
     * @param closedForm the chain-rule closed form, unless too large
     * @param direct {@code D[L, θ]} by forward accumulation (proved by composition), or Symja's concrete
     *     {@code D[L, θ]} (stably lowered), unless too large or (when proved
     *     symbolically) outside the functions an {@link Expr} can hold
     * @param sharedForm the closed form with its shared parts named, when it was built
     */
    public AgreementProof {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(closedForm, "closedForm");
        Objects.requireNonNull(direct, "direct");
        Objects.requireNonNull(sharedForm, "sharedForm");
    }

    /**
     * A proof without a named closed form.
     *
     * @param parameter θ
     * @param outcome the verdict
     * @param closedForm the chain-rule closed form, unless too large
     * @param direct the direct {@code D[L, θ]}, when it was kept
     */
    public AgreementProof(ParameterId parameter, AgreementOutcome outcome, Optional<Expr> closedForm,
                          Optional<Expr> direct) {
        this(parameter, outcome, closedForm, direct, Optional.empty());
    }

    /** This proof with its closed form's shared parts named by {@code closed}. */
    AgreementProof withSharedForm(ClosedForm closed) {
        return closedForm.isEmpty() ? this
                : new AgreementProof(parameter, outcome, closedForm, direct, Optional.of(closed.shared(closedForm.get())));
    }

    /**
     * Proves ∂L/∂θ with {@link ProofSettings#DEFAULTS}.
     *
     * @param spec the network, with its parameters and data
     * @param parameter θ, a parameter of the network
     * @return the proof's outcome, with the symbolic and compiled forms
     */
    public static AgreementProof of(NetworkSpec spec, ParameterId parameter) {
        return of(spec, parameter, ProofSettings.DEFAULTS);
    }

    /**
     * Proves ∂L/∂θ.
     *
     * @param spec the network, with its parameters and data
     * @param parameter θ, a parameter of the network
     * @param settings time limits, size limit, points, tolerance and seed
     * @return the proof's outcome, with the symbolic and compiled forms
     * @throws io.chainproof.ChainproofException if θ is not a parameter of the network
     */
    public static AgreementProof of(NetworkSpec spec, ParameterId parameter, ProofSettings settings) {
        return new AgreementProver(spec, settings).prove(parameter);
    }

    /**
     * Proves every parameter, in flat order, building the loss once.
     *
     * @param spec the network, with its parameters and data
     * @param settings time limits, size limit, points, tolerance and seed
     * @return one proof per parameter, in flat order
     */
    public static List<AgreementProof> all(NetworkSpec spec, ProofSettings settings) {
        return new AgreementProver(spec, settings).proveAll();
    }

    /**
     * One line, e.g. {@code W1[0][0]: proved by Symja (Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0)}.
     *
     * @return the parameter and how its gradient was proved or checked
     */
    public String text() {
        String verdict;
        if (outcome instanceof AgreementOutcome.Proved p) {
            verdict = "proved by " + p.prover() + " (" + p.method() + ")";
        } else if (outcome instanceof AgreementOutcome.CheckedNumerically c) {
            verdict = "agrees at " + c.points() + " random points (max relative error "
                    + String.format(java.util.Locale.ROOT, "%.1e", c.maxRelativeError()) + ")";
        } else if (outcome instanceof AgreementOutcome.Disagrees d) {
            verdict = "DISAGREES: chain rule " + d.chainRuleValue() + " but D[L, θ] " + d.directValue()
                    + " (relative error " + d.relativeError() + ")";
        } else {
            verdict = "not compared: " + ((AgreementOutcome.TooLarge) outcome).reason();
        }
        return parameter.name() + ": " + verdict;
    }
}
