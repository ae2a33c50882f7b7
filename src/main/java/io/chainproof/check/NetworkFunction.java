package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.model.Models;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.ComplexNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An MLP's loss served from its compiled code: the compiled chain rule, the compiled complex-step network (all
 * 6,273 partials of a 64-64-32-1 MLP in about 0.5 ms, by propagating each unit's imaginary part once), the relu
 * kink detector and the MLP {@link Localiser}, which knows the classic backprop faults layer by layer; forward-mode
 * AD walks the network's op graph in dual numbers, as for every model. Thread-safe.
 */
public final class NetworkFunction implements LossFunction {

    private final CompiledNetwork network;
    private final ComputationGraph graph;
    private final List<String> names;
    /** Each compiled network's op graph, built once however many verifications wrap the network. */
    private static final java.util.Map<CompiledNetwork, GraphFunction> WALKED = new java.util.WeakHashMap<>();
    /** The network's op graph, for the oracles that walk it (looked up on first use; a benign race). */
    private volatile GraphFunction walked;
    /** The kink detector of the last point asked about (its forward pass is reused for every parameter). */
    private volatile PointDetector detector;

    private record PointDetector(double[] point, KinkDetector kinks) {
    }

    /**
     * @param network the compiled network, at its spec's parameters and data
     */
    public NetworkFunction(CompiledNetwork network) {
        this.network = network;
        this.graph = network.graph();
        this.names = graph.parameterNames();
    }

    /** @return the compiled network */
    public CompiledNetwork network() {
        return network;
    }

    @Override
    public String name() {
        return graph.spec().name();
    }

    @Override
    public String source() {
        return graph.spec().source();
    }

    @Override
    public List<String> parameterNames() {
        return names;
    }

    @Override
    public String notation(int index) {
        return graph.parameters().get(index).unicode();
    }

    @Override
    public double[] point() {
        return graph.parameterValues();
    }

    @Override
    public double loss(double[] theta) {
        return network.loss(theta);
    }

    @Override
    public double[] gradient(double[] theta) {
        return network.evaluate(theta).gradient();
    }

    @Override
    public Map<String, Object> tensors(double[] flat) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int l = 1; l <= graph.layerCount(); l++) {
            int in = graph.units(l - 1);
            double[][] w = new double[graph.units(l)][in];
            for (int j = 0; j < w.length; j++) {
                System.arraycopy(flat, graph.weightOffset(l) + j * in, w[j], 0, in);
            }
            m.put("W" + l, w);
            m.put("b" + l, Arrays.copyOfRange(flat, graph.biasOffset(l), graph.biasOffset(l) + graph.units(l)));
        }
        return m;
    }

    @Override
    public List<Block> tensorBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (int l = 1; l <= graph.layerCount(); l++) {
            blocks.add(new Block("W" + l, graph.weightOffset(l), graph.biasOffset(l)));
            blocks.add(new Block("b" + l, graph.biasOffset(l), graph.biasOffset(l) + graph.units(l)));
        }
        return blocks;
    }

    @Override
    public List<Block> directionBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (int l = 1; l <= graph.layerCount(); l++) {
            blocks.add(new Block(Integer.toString(l), graph.weightOffset(l), graph.biasOffset(l) + graph.units(l)));
        }
        return blocks;
    }

    @Override
    public ComplexStep.Result[] complexStep(double[] point) {
        return ComplexStep.gradient(network.complexStep(), point);
    }

    /**
     * Every partial at once (the compiled unit-by-unit propagation), whichever are asked for; where its worst-case
     * rounding bound is uninformative (deep networks: it multiplies |W| along every path), the statistical estimate
     * of a dual pass through the op graph replaces it if smaller, as for every graph.
     */
    @Override
    public ComplexStep.Result[] complexStep(double[] point, int[] indices) {
        if (indices.length == 0) {
            return new ComplexStep.Result[point.length];
        }
        ComplexStep.Result[] all = complexStep(point);
        int[] vague = java.util.stream.IntStream.of(indices).filter(i -> vague(all[i])).toArray();
        java.util.stream.IntStream.of(vague).parallel().forEach(i -> {
            double[] e = new double[point.length];
            e[i] = 1;
            all[i] = sharpened(point, all[i], e);
        });
        return all;
    }

    /** {@link #complexStep(double[], int[])} as columns: one object per vague entry, none per parameter. */
    @Override
    public ComplexStep.Columns complexStepColumns(double[] point, int[] indices) {
        if (indices.length == 0) {
            return new ComplexStep.Columns(point.length);
        }
        ComplexStep.Columns all = ComplexStep.columns(network.complexStep(), point);
        int[] vague = java.util.stream.IntStream.of(indices).filter(i -> vague(all.estimate(i))).toArray();
        java.util.stream.IntStream.of(vague).parallel().forEach(i -> {
            double[] e = new double[point.length];
            e[i] = 1;
            all.set(i, sharpened(point, all.get(i), e));
        });
        return all;
    }

    @Override
    public ComplexStep.Result complexStep(double[] point, double[] direction) {
        ComplexStep.Result r = ComplexStep.directional(network.complexStep(), point, direction);
        return vague(r) ? sharpened(point, r, direction) : r;
    }

    @Override
    public ComplexStep.Result complexStep(double[] point, Block block, double[] v) {
        return complexStep(point, block, v, 0);
    }

    /**
     * The compiled directional complex step; its worst-case bound is sharpened by a walk through the op graph only
     * where it is vague and the verdict's other slack does not already exceed it (on a block of 10 million
     * parameters the claimed side's own rounding allowance is ~1e−6 relative, and the walk would hold an object per
     * parameter).
     */
    @Override
    public ComplexStep.Result complexStep(double[] point, Block block, double[] v, double slack) {
        ComplexStep.Result r = ComplexStep.directional(network.complexStep(), point, block.from(), v);
        if (!vague(r) || r.estimate().errorEstimate() <= slack) {
            return r;
        }
        double[] direction = new double[point.length];
        System.arraycopy(v, 0, direction, block.from(), v.length);
        return sharpened(point, r, direction);
    }

    /** Whether the compiled bound is too wide to decide a claim to the tolerance's relative slack. */
    private static boolean vague(ComplexStep.Result r) {
        return vague(r.estimate());
    }

    private static boolean vague(Estimate e) {
        return e.errorEstimate() > Tolerance.DEFAULT_RELATIVE * Math.abs(e.value());
    }

    private ComplexStep.Result sharpened(double[] point, ComplexStep.Result r, double[] direction) {
        Estimate e = r.estimate();
        double error = walked().errorEstimate(e.value(), e.errorEstimate(), point, direction);
        return error == e.errorEstimate() ? r
                : new ComplexStep.Result(new Estimate(e.value(), error, e.step()), r.nearKink());
    }

    /** Forward-mode AD through the network's op graph: dual numbers in the ops' forward rules, as for any model. */
    @Override
    public ComplexStep.Result forwardAD(double[] point, int index) {
        return walked().forwardAD(point, index);
    }

    private GraphFunction walked() {
        GraphFunction g = walked;
        if (g == null) {
            synchronized (WALKED) {
                g = WALKED.computeIfAbsent(network, n -> new GraphFunction(Models.mlp(n.graph().spec())));
            }
            walked = g;
        }
        return g;
    }

    @Override
    public Optional<String> kink(double[] point, int index, double step) {
        return detector(point).kink(point, index, step);
    }

    private KinkDetector detector(double[] point) {
        PointDetector d = detector;
        if (d == null || !Arrays.equals(d.point(), point)) {
            d = new PointDetector(point.clone(), new KinkDetector(graph, point));
            detector = d;
        }
        return d.kinks();
    }

    @Override
    public Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing) {
        return localise(point, claimed, failing, null);
    }

    @Override
    public Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing, double[] allowed) {
        List<ParameterId> ids = graph.parameters();
        return Localiser.localise(graph, point, network.evaluate(point).gradient(), claimed,
                failing.stream().map(ids::get).toList(), allowed);
    }

    /** The MLP's op graph, built from its spec (the compiled kernel computes the same ops). */
    @Override
    public Optional<io.chainproof.model.Model> opGraph() {
        return Optional.of(Models.mlp(graph.spec()));
    }

    @Override
    public boolean hasBackpropBound() {
        return true;
    }

    @Override
    public double[] backpropBound(double unitRoundoff) {
        return BackpropBound.judged(Models.mlp(graph.spec()), unitRoundoff);
    }

    @Override
    public double[] ownBackpropBound(double unitRoundoff) {
        return BackpropBound.judged(Models.mlp(graph.spec()), unitRoundoff, io.chainproof.symbolic.SymbolicRules.instance());
    }
}
