package io.chainproof.ops;

import io.chainproof.spec.Loss;

/** The registry of losses: the term for each {@link Loss} a spec names. */
public final class Losses {

    private Losses() {
    }

    /**
     * @param loss the loss a spec names
     * @return its per-output term
     */
    public static LossTerm of(Loss loss) {
        return switch (loss) {
            case MSE -> new MseLoss();
            case SSE -> new SseLoss();
            case HALF_SSE -> new HalfSseLoss();
            case BCE -> new BceLoss();
            case CROSS_ENTROPY -> new CrossEntropyLoss();
        };
    }
}
