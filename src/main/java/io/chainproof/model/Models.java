package io.chainproof.model;

import io.chainproof.formula.FormulaModel;
import io.chainproof.ops.Activations;
import io.chainproof.ops.Add;
import io.chainproof.ops.Dense;
import io.chainproof.ops.ExpressionOp;
import io.chainproof.ops.Losses;
import io.chainproof.ops.OutputLoss;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the graph of any spec — the readers' one exit into the rest of chainproof:
 * <ul>
 *   <li>an MLP: per layer l a dense op {@code z_l = W_l·o_{l−1} + b_l} on all samples at once ({@code [N][units]}),
 *       the activation {@code o_l = φ_l(z_l)}, and for the last layer the output activation fused with the loss
 *       (mean over samples);</li>
 *   <li>an RNN: its cell unrolled over every sample's steps with the weights shared,
 *       {@code z_t = (W_x·x_t + b) + W_h·h_{t−1}}, {@code h_t = φ(z_t)}, {@code u_t = W_y·h_t + b_y} and the output
 *       activation with the loss at the last or every step, weighted 1/N — so backpropagation through time is
 *       simply the reverse walk of this graph; its tensors are named by sequence and step, both from 1
 *       ({@code h[2][3]} is h_3 of the second sequence);</li>
 *   <li>a formula: one expression op over its parameters and inputs, with the derivatives Symja derived for it
 *       ({@link FormulaModel}, sandboxed and under its time limit).</li>
 * </ul>
 * Parameter names and the flat layout are the spec's own: {@code W1[0][1]}, …; {@code Wh}, {@code Wx}, {@code b},
 * {@code Wy}, {@code by}; a formula's {@code w} and {@code v[1]} in file order.
 */
public final class Models {

    private Models() {
    }

    /**
     * The graph of {@code spec}.
     *
     * @param spec a validated spec of any kind
     * @return its model
     */
    public static Model of(Spec spec) {
        return spec.accept(new Spec.Visitor<>() {
            @Override
            public Model mlp(NetworkSpec s) {
                return Models.mlp(s);
            }

            @Override
            public Model rnn(RnnSpec s) {
                return Models.rnn(s);
            }

            @Override
            public Model formula(FormulaSpec s) {
                return Models.formula(FormulaModel.of(s));
            }

            @Override
            public Model layered(LayeredSpec s) {
                return LayeredModels.of(s);
            }
        });
    }

    /**
     * The graph of an MLP.
     *
     * @param spec the network
     * @return its model
     */
    public static Model mlp(NetworkSpec spec) {
        ModelBuilder b = new ModelBuilder(spec.name(), spec.source(), "MLP");
        int samples = spec.data().samples();
        int layers = spec.layerCount();
        int[] weights = new int[layers + 1];
        int[] biases = new int[layers + 1];
        for (int l = 1; l <= layers; l++) {
            weights[l] = b.parameter("W" + l, Shape.of(spec.units(l), spec.units(l - 1)),
                    flat(spec.parameters().weight(l)), 0);
            biases[l] = b.parameter("b" + l, Shape.of(spec.units(l)), spec.parameters().bias(l).clone(), 0);
        }
        int x = b.data("x", Shape.of(samples, spec.inputs()), flat(spec.data().x()));
        int y = b.data("y", Shape.of(samples, spec.outputs()), flat(spec.data().y()));
        int o = x;
        int z = -1;
        for (int l = 1; l <= layers; l++) {
            int n = spec.units(l);
            z = b.node(new Dense(samples, spec.units(l - 1), n, true), "z" + l, Shape.of(samples, n), "layer " + l, 0,
                    o, weights[l], biases[l]);
            if (l < layers) {
                o = b.node(Activations.of(spec.layers().get(l - 1).activation(), samples * n, n), "o" + l,
                        Shape.of(samples, n), "layer " + l, 0, z);
            }
        }
        int loss = b.node(new OutputLoss(Losses.of(spec.loss()), spec.layers().get(layers - 1).activation(), samples,
                spec.outputs(), 1.0 / samples), "L", Shape.SCALAR, "layer " + layers, 0, z, y);
        return b.build(loss, samples);
    }

    /**
     * The graph of an RNN, unrolled over every sample's steps.
     *
     * @param spec the network
     * @return its model
     */
    public static Model rnn(RnnSpec spec) {
        ModelBuilder b = new ModelBuilder(spec.name(), spec.source(), "RNN");
        int n = spec.hidden();
        int in = spec.inputs();
        int out = spec.outputs();
        int samples = spec.samples();
        int wh = b.parameter("Wh", Shape.of(n, n), flat(spec.wh()), 0);
        int wx = b.parameter("Wx", Shape.of(n, in), flat(spec.wx()), 0);
        int bias = b.parameter("b", Shape.of(n), spec.b(), 0);
        int wy = b.parameter("Wy", Shape.of(out, n), flat(spec.wy()), 0);
        int by = b.parameter("by", Shape.of(out), spec.by(), 0);
        int h0 = b.data("h0", Shape.of(n), spec.h0());
        double[][][] x = spec.x();
        double[][][] y = spec.y();
        boolean every = spec.lossAt() == RnnSpec.LossAt.EVERY;
        List<Integer> losses = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            int h = h0;
            int steps = x[s].length;
            for (int t = 1; t <= steps; t++) {
                String at = "[" + (s + 1) + "][" + t + "]";
                String label = "step " + t + " of sequence " + (s + 1);
                int xt = b.data("x" + at, Shape.of(in), x[s][t - 1]);
                int input = b.node(new Dense(1, in, n, true), "Wx·x+b" + at, Shape.of(n), label, t, xt, wx, bias);
                int recurrent = b.node(new Dense(1, n, n, false), "Wh·h" + at, Shape.of(n), label, t, h, wh);
                int z = b.node(new Add(n, 2), "z" + at, Shape.of(n), label, t, input, recurrent);
                h = b.node(Activations.of(spec.activation(), n, n), "h" + at, Shape.of(n), label, t, z);
                if (every || t == steps) {
                    int u = b.node(new Dense(1, n, out, true), "u" + at, Shape.of(out), label, t, h, wy, by);
                    int target = b.data("y" + at, Shape.of(out), y[s][every ? t - 1 : 0]);
                    losses.add(b.node(new OutputLoss(Losses.of(spec.loss()), spec.outputActivation(), 1, out,
                            1.0 / samples), "L" + at, Shape.SCALAR, label, t, u, target));
                }
            }
        }
        int loss = losses.size() == 1 ? losses.get(0)
                : b.node(new Add(1, losses.size()), "L", Shape.SCALAR, "loss", 0,
                        losses.stream().mapToInt(Integer::intValue).toArray());
        return b.build(loss, samples);
    }

    /**
     * The graph of a formula: one expression op.
     *
     * @param formula the parsed, sandboxed and differentiated formula
     * @return its model
     */
    public static Model formula(FormulaModel formula) {
        FormulaSpec spec = formula.spec();
        ModelBuilder b = new ModelBuilder(spec.name(), spec.source(), "formula");
        List<Integer> inputs = new ArrayList<>();
        List<List<String>> symbols = new ArrayList<>();
        for (Map.Entry<String, FormulaSpec.Value> e : spec.parameters().entrySet()) {
            Shape shape = e.getValue().vector() ? Shape.of(e.getValue().size()) : Shape.SCALAR;
            inputs.add(b.parameter(e.getKey(), shape, e.getValue().entries(), 1));
            symbols.add(new Parameter(0, e.getKey(), shape, 0, 1).entryNames());
        }
        for (Map.Entry<String, FormulaSpec.Value> e : spec.inputs().entrySet()) {
            Shape shape = e.getValue().vector() ? Shape.of(e.getValue().size()) : Shape.SCALAR;
            inputs.add(b.data(e.getKey(), shape, e.getValue().entries()));
            symbols.add(new Parameter(0, e.getKey(), shape, 0, 1).entryNames());
        }
        int loss = b.node(new ExpressionOp(formula.lossExpression(), symbols, formula.derivatives()), "L",
                Shape.SCALAR, "formula", 0, inputs.stream().mapToInt(Integer::intValue).toArray());
        return b.build(loss, 1);
    }

    private static double[] flat(double[][] m) {
        int n = 0;
        for (double[] row : m) {
            n += row.length;
        }
        double[] f = new double[n];
        int k = 0;
        for (double[] row : m) {
            System.arraycopy(row, 0, f, k, row.length);
            k += row.length;
        }
        return f;
    }
}
