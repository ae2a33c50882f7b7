package io.chainproof.rnn;

import io.chainproof.check.DifferentiableLoss;
import io.chainproof.spec.RnnSpec;

import java.util.List;
import java.util.Map;

/** A recurrent network as a {@link DifferentiableLoss}: its loss and its BPTT gradient, for the commands. */
public final class RnnLoss implements DifferentiableLoss {

    private final RnnNetwork network;

    /** @param spec the recurrent network, with its parameters and data */
    public RnnLoss(RnnSpec spec) {
        this.network = new RnnNetwork(spec);
    }

    /** @return the network */
    public RnnNetwork network() {
        return network;
    }

    @Override
    public String name() {
        return network.spec().name();
    }

    @Override
    public String source() {
        return network.spec().source();
    }

    @Override
    public List<String> parameterNames() {
        return network.parameterNames();
    }

    @Override
    public double[] point() {
        return network.parameters();
    }

    @Override
    public double loss(double[] theta) {
        return network.loss(theta);
    }

    @Override
    public double[] gradient(double[] theta) {
        return network.gradient(theta);
    }

    @Override
    public Map<String, Object> tensors(double[] flat) {
        return network.tensors(flat);
    }
}
