package io.chainproof.cli;

import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.NonFiniteException;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;

import java.nio.file.Path;

/**
 * Reading a spec for a command that works from its gradient (bounds, sweeps, derivations, explanations): a model whose
 * loss or gradient is ±∞ or NaN at the spec's point is a finding ({@link NonFiniteException}, exit 1, naming where its
 * numbers stop being finite) before any bound or page is computed from numbers that are not there.
 */
final class FiniteSpecs {

    private FiniteSpecs() {
    }

    /**
     * Reads {@code path} and requires its model to be finite at the spec's point.
     *
     * @param path the spec file
     * @return the spec
     * @throws NonFiniteException if the loss or an entry of the gradient is not finite there
     */
    static Spec read(Path path) {
        Spec spec = SpecReader.readAny(path);
        LossFunction f = LossFunctions.of(spec);
        double[] point = f.point();
        NonFiniteException.requireFinite(f, point, f.loss(point), f.gradient(point));
        return spec;
    }
}
