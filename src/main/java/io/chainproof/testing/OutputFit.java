package io.chainproof.testing;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;

import java.util.List;

/**
 * Which output activations {@link MlpArbitrary} may draw with which loss: bce and cross_entropy need a
 * sigmoid or softmax output (the rule of {@link io.chainproof.spec.NetworkSpec}), and softmax needs 2 or
 * more outputs, so it is usable only if the outputs may be 2 or more. Losses and activations the user
 * configured must each fit one of the other; defaults that fit nothing are left out.
 */
final class OutputFit {

    private final List<Loss> losses;
    private final List<Activation> activations;

    /**
     * @throws IllegalArgumentException if a configured loss or output activation fits none of the other
     */
    OutputFit(List<Loss> losses, boolean lossesGiven, List<Activation> activations, boolean activationsGiven,
              int maxOutputs) {
        List<Activation> usable = activations.stream()
                .filter(a -> a != Activation.SOFTMAX || maxOutputs >= 2).toList();
        if (activationsGiven && usable.size() < activations.size()) {
            throw new IllegalArgumentException("outputActivations(...): <softmax> needs 2 or more outputs, but "
                    + "outputs(min, max) allows at most " + maxOutputs + "; allow 2 or more outputs or drop softmax");
        }
        for (Loss loss : losses) {
            if (lossesGiven && usable.stream().noneMatch(a -> fits(loss, a))) {
                throw new IllegalArgumentException("losses(...): <" + loss.specName() + "> fits none of the output "
                        + "activations " + MlpArbitrary.names(usable) + "; bce and cross_entropy need a sigmoid or "
                        + "softmax output");
            }
        }
        for (Activation activation : usable) {
            if (activationsGiven && losses.stream().noneMatch(l -> fits(l, activation))) {
                throw new IllegalArgumentException("outputActivations(...): <" + activation.specName() + "> fits none "
                        + "of the losses " + losses.stream().map(Loss::specName).toList() + "; bce and cross_entropy "
                        + "need a sigmoid or softmax output");
            }
        }
        this.losses = losses.stream().filter(l -> usable.stream().anyMatch(a -> fits(l, a))).toList();
        this.activations = usable.stream().filter(a -> losses.stream().anyMatch(l -> fits(l, a))).toList();
    }

    /** @return true if the loss accepts outputs of this activation */
    static boolean fits(Loss loss, Activation output) {
        boolean probabilities = output == Activation.SIGMOID || output == Activation.SOFTMAX;
        return probabilities || (loss != Loss.BCE && loss != Loss.CROSS_ENTROPY);
    }

    /** @return the losses to draw from, in the configured order */
    List<Loss> losses() {
        return losses;
    }

    /**
     * @return the output activations to draw with {@code loss} and that many outputs, in the configured
     *         order; empty only if {@code outputs} is 1 and softmax alone fits the loss
     */
    List<Activation> activationsFor(Loss loss, int outputs) {
        return activations.stream()
                .filter(a -> fits(loss, a) && (a != Activation.SOFTMAX || outputs >= 2)).toList();
    }
}
