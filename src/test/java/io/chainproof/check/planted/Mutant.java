package io.chainproof.check.planted;

import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One realistic backprop fault, planted in {@link ManualBackprop}: which fault, and where. Instances are
 * immutable.
 *
 * <p>Where a fault is expected to be localised: a {@link Scope#LAYER layer} fault at its own layer; a
 * {@link Scope#GLOBAL global} fault (every gradient scaled by the same factor) at the <em>last</em> layer,
 * because the factor enters the δ-recursion at its seed δ_L = ∂L/∂z_L, i.e. in the loss gradient, which is
 * where the fix goes; an {@link Scope#ENTRY entry} fault at the layer of its entry, though for entries the
 * suite only requires that the failure list is exactly that one parameter.
 *
 * @param kind  the fault
 * @param layer the layer it is planted in (1-based); the last layer for global faults
 * @param entry the flat index of the perturbed gradient entry for entry faults, −1 otherwise
 */
record Mutant(Kind kind, int layer, int entry) {

    /** Where a fault acts. */
    enum Scope { LAYER, GLOBAL, ENTRY }

    /** The planted faults, each as a one-line description of the buggy code. */
    enum Kind {
        NONE("correct gradient", Scope.GLOBAL, 0),
        MISSING_ACTIVATION_DERIVATIVE("missing φ': δ_l = ∂L/∂a_l", Scope.LAYER, 0),
        ACTIVATION_INSTEAD_OF_DERIVATIVE("φ(z_l) used in place of φ'(z_l)", Scope.LAYER, 0),
        DERIVATIVE_AT_OUTPUT("φ'(a_l) in place of φ'(z_l)", Scope.LAYER, 0),
        WEIGHT_GRADIENT_SIGN_FLIPPED("∂L/∂W_l with its sign flipped", Scope.LAYER, 0),
        BIAS_FROM_ONE_SAMPLE("∂L/∂b_l from sample 0 only (db = δ[0])", Scope.LAYER, 0),
        PRE_ACTIVATION_INSTEAD_OF_ACTIVATION("∂L/∂W_l = δ_l·z_{l−1}ᵀ, not δ_l·a_{l−1}ᵀ", Scope.LAYER, 0),
        MEAN_OVER_SAMPLES_MISSING("sum over samples, no 1/n", Scope.GLOBAL, 0),
        LOSS_GRADIENT_HALVED("∂L/∂a_L halved", Scope.GLOBAL, 0),
        ENTRY_OFF_1E2("a tensor's largest entry off by 1e-2 relative", Scope.ENTRY, 1e-2),
        ENTRY_OFF_1E4("a tensor's largest entry off by 1e-4 relative", Scope.ENTRY, 1e-4),
        ENTRY_OFF_1E6("a tensor's largest entry off by 1e-6 relative", Scope.ENTRY, 1e-6),
        RANDOM_ENTRY_OFF_1E2("a random entry off by 1e-2 relative", Scope.ENTRY, 1e-2),
        RANDOM_ENTRY_OFF_1E4("a random entry off by 1e-4 relative", Scope.ENTRY, 1e-4),
        RANDOM_ENTRY_OFF_1E6("a random entry off by 1e-6 relative", Scope.ENTRY, 1e-6);

        private final String description;
        private final Scope scope;
        private final double relativeError;

        Kind(String description, Scope scope, double relativeError) {
            this.description = description;
            this.scope = scope;
            this.relativeError = relativeError;
        }

        String description() {
            return description;
        }

        Scope scope() {
            return scope;
        }

        /** The relative error of an entry fault, 0 for the others. */
        double relativeError() {
            return relativeError;
        }

        /**
         * Whether the fault can leave a nonzero true gradient unchanged: the layer faults can (e.g. a missing φ' on an
         * identity layer), the mean over samples with one sample; halving ∂L/∂a_L and an entry fault on an entry that
         * is not 0 cannot, so such a mutant graded equivalent is a planted fault that plants nothing.
         */
        boolean canBeEquivalent() {
            return scope == Scope.LAYER || this == MEAN_OVER_SAMPLES_MISSING;
        }

        /** Whether this fault rewrites the activation's backward step (φ' in δ_l = ∂L/∂a_l ⊙ φ'(z_l)). */
        boolean rewritesActivationBackward() {
            return this == MISSING_ACTIVATION_DERIVATIVE || this == ACTIVATION_INSTEAD_OF_DERIVATIVE
                    || this == DERIVATIVE_AT_OUTPUT;
        }

        /** Whether the fault can be written for a layer with this activation. */
        boolean appliesTo(Activation activation) {
            return activation != Activation.SOFTMAX
                    || (this != ACTIVATION_INSTEAD_OF_DERIVATIVE && this != DERIVATIVE_AT_OUTPUT);
        }
    }

    /** No fault: {@link ManualBackprop} computes the true gradient. */
    static final Mutant NONE = new Mutant(Kind.NONE, 0, -1);

    Mutant {
        if ((kind.scope() == Scope.ENTRY) != (entry >= 0)) {
            throw new IllegalArgumentException("Mutant <" + kind + "> with entry <" + entry
                    + ">: entry faults need an entry ≥ 0, the others −1");
        }
    }

    /** Whether this is fault {@code k} planted in layer {@code l}. */
    boolean is(Kind k, int l) {
        return kind == k && layer == l;
    }

    /** Whether this is fault {@code k}, wherever it is planted. */
    boolean is(Kind k) {
        return kind == k;
    }

    /** e.g. {@code MISSING_ACTIVATION_DERIVATIVE@2} or {@code ENTRY_OFF_1E4@W2[0][1]}. */
    String label(NetworkSpec spec) {
        return kind.scope() == Scope.ENTRY ? kind + "@" + FlatLayout.of(spec).name(entry) : kind + "@" + layer;
    }

    /**
     * Every fault this suite plants in {@code spec}: each layer fault in each layer whose activation it
     * applies to, the global faults, and each entry fault at one entry chosen by {@code random} — for
     * {@code ENTRY_OFF_*} a random layer and tensor (W or b), and there the entry of largest |∂L/∂θ| (so it is not
     * a rounding-dominated sum; the largest entry of the whole gradient if the tensor is all zero); for
     * {@code RANDOM_ENTRY_OFF_*} any entry whose true gradient is not 0, uniformly (small entries and sums of
     * cancelling terms among them).
     */
    static List<Mutant> catalogue(NetworkSpec spec, double[] correct, Random random) {
        List<Mutant> mutants = new ArrayList<>();
        int layers = spec.layerCount();
        for (Kind kind : Kind.values()) {
            switch (kind.scope()) {
                case LAYER -> {
                    for (int l = 1; l <= layers; l++) {
                        if (kind.appliesTo(spec.layers().get(l - 1).activation())) {
                            mutants.add(new Mutant(kind, l, -1));
                        }
                    }
                }
                case GLOBAL -> {
                    if (kind != Kind.NONE) {
                        mutants.add(new Mutant(kind, layers, -1));
                    }
                }
                case ENTRY -> {
                    int entry = kind.name().startsWith("RANDOM_") ? PlantedCoverage.randomNonzeroEntry(correct, random)
                            : chooseEntry(spec, correct, random);
                    mutants.add(new Mutant(kind, FlatLayout.of(spec).layerOf(entry), entry));
                }
            }
        }
        return mutants;
    }

    private static int chooseEntry(NetworkSpec spec, double[] correct, Random random) {
        FlatLayout layout = FlatLayout.of(spec);
        int l = 1 + random.nextInt(spec.layerCount());
        boolean weight = random.nextBoolean();
        int from = weight ? layout.weightOffset(l) : layout.biasOffset(l);
        int to = weight ? layout.biasOffset(l) : layout.weightOffset(l + 1);
        int best = argmaxAbs(correct, from, to);
        return correct[best] != 0 ? best : argmaxAbs(correct, 0, correct.length);
    }

    private static int argmaxAbs(double[] g, int from, int to) {
        int best = from;
        for (int i = from; i < to; i++) {
            if (Math.abs(g[i]) > Math.abs(g[best])) {
                best = i;
            }
        }
        return best;
    }
}
