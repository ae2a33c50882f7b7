package io.chainproof.symbolic;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the chain-rule closed form of ∂L/∂θ compared with the direct {@code D[L, θ]}.
 */
public sealed interface AgreementOutcome permits AgreementOutcome.Proved, AgreementOutcome.CheckedNumerically,
        AgreementOutcome.Disagrees, AgreementOutcome.TooLarge {

    /**
     * Whether the two forms agree (proved, or checked numerically).
     *
     * @return true for a proof or a passed numeric check
     */
    boolean agrees();

    /**
     * Proved equal, not a numerical guess: Symja reduced {@code closed form − D[L, θ]} to exactly 0, or the
     * closed form was proved identical to the forward accumulation of Symja's local rules
     * (exact arithmetic at random points of a prime field, with the error probability stated).
     *
     * @param method how, e.g. {@code Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0}
     * @param prover who proved it: {@link #SYMJA} or {@link #COMPOSITION}
     */
    record Proved(String method, String prover) implements AgreementOutcome {

        /** Symja, on the whole written-out loss. */
        public static final String SYMJA = "Symja";
        /** The composition of Symja's local rules. */
        public static final String COMPOSITION = "composition";

        /**
         * Validates the components.
         *
         * @param method how, e.g. {@code Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0}
         * @param prover who proved it: {@link #SYMJA} or {@link #COMPOSITION}
         */
        public Proved {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(prover, "prover");
        }

        /**
         * A proof by Symja.
         *
         * @param method the Symja route that reached 0
         */
        public Proved(String method) {
            this(method, SYMJA);
        }

        @Override
        public boolean agrees() {
            return true;
        }
    }

    /**
     * No symbolic decision in time, but both forms agree at every random point.
     *
     * @param points           how many points were checked
     * @param maxRelativeError the largest {@code |c − d| / max(1, |d|)} seen
     */
    record CheckedNumerically(int points, double maxRelativeError) implements AgreementOutcome {
        @Override
        public boolean agrees() {
            return true;
        }
    }

    /**
     * The forms differ at a point.
     *
     * @param point          the symbol values (parameters, and data as {@code x_k_s<s>}, {@code y_j_s<s>})
     * @param chainRuleValue the closed form's value there
     * @param directValue    Symja's {@code D[L, θ]} there
     * @param relativeError  {@code |c − d| / max(1, |d|)}
     */
    record Disagrees(Map<String, Double> point, double chainRuleValue, double directValue, double relativeError)
            implements AgreementOutcome {
        /**
         * Validates the components.
         *
         * @param point the symbol values (parameters, and data as {@code x_k_s<s>}, {@code y_j_s<s>})
         * @param chainRuleValue the closed form's value there
         * @param directValue Symja's {@code D[L, θ]} there
         * @param relativeError {@code |c − d| / max(1, |d|)}
         */
        public Disagrees {
            point = Map.copyOf(point);
        }

        @Override
        public boolean agrees() {
            return false;
        }

        @Override
        public String toString() {
            return "Disagrees[chain rule <" + chainRuleValue + "> but D[L, θ] <" + directValue + ">, relative error <"
                    + relativeError + "> at " + new TreeMap<>(point) + "]";
        }
    }

    /**
     * The closed form is too large for symbolic work; nothing was compared.
     *
     * @param reason what was too large, and the limit
     */
    record TooLarge(String reason) implements AgreementOutcome {
        /**
         * Validates the components.
         *
         * @param reason what was too large, and the limit
         */
        public TooLarge {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean agrees() {
            return false;
        }
    }
}
