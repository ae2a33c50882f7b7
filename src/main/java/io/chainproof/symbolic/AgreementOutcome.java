package io.chainproof.symbolic;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the chain-rule closed form of ∂L/∂θ compared with Symja's direct {@code D[L, θ]}.
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
     * Symja reduced {@code closed form − D[L, θ]} to exactly 0 (not a numerical guess).
     *
     * @param method the Symja route that reached 0, e.g. {@code ExpandAll}
     */
    record Proved(String method) implements AgreementOutcome {
        /**
         * Validates the components.
         *
         * @param method the Symja route that reached 0, e.g. {@code ExpandAll}
         */
        public Proved {
            Objects.requireNonNull(method, "method");
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
