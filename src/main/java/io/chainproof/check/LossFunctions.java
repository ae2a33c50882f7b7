package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.model.Models;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.Spec;

/**
 * The loss function of any spec, served by the fastest engine that has it: an MLP from its compiled code
 * ({@link NetworkFunction}), every other model by walking its op graph ({@link GraphFunction}).
 */
public final class LossFunctions {

    private LossFunctions() {
    }

    /**
     * @param spec a validated spec of any kind
     * @return its loss function, ready for gradients and checks
     */
    public static LossFunction of(Spec spec) {
        return spec.accept(new Spec.Visitor<>() {
            @Override
            public LossFunction mlp(NetworkSpec s) {
                return new NetworkFunction(NetworkCompiler.compile(ComputationGraph.of(s)));
            }

            @Override
            public LossFunction rnn(RnnSpec s) {
                return new GraphFunction(Models.of(s));
            }

            @Override
            public LossFunction formula(FormulaSpec s) {
                return new GraphFunction(Models.of(s));
            }

            @Override
            public LossFunction layered(io.chainproof.spec.LayeredSpec s) {
                return new GraphFunction(Models.of(s));
            }
        });
    }
}
