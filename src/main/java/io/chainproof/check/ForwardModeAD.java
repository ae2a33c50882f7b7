package io.chainproof.check;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.LossDerivative;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * The forward-mode AD oracle: the loss evaluated once per parameter in dual numbers (Commons Math
 * {@link DerivativeStructure}, one free variable, order 1), seeded with dθ_i = 1, so the derivative part
 * of the result is ∂L/∂θ_i. Independent of the symbolic gradient (only the activations' and loss's
 * <em>values</em> are taken from the spec's definitions; their derivatives come from the elementary
 * rules of forward-mode AD) and of finite differences (nothing is subtracted, no step).
 *
 * <p>Elementary rules used through {@code compose(f(x₀), f'(x₀))}: σ' = σ'(x) (stable form),
 * softplus' = σ, erf' = 2/√π·e^{−x²}, sech' = −sech·tanh, (σ')' = σ'(1 − 2σ); exp, log and tanh are
 * Commons Math's. Softmax is shifted by the (constant) maximum, which changes neither value nor
 * derivative. Cost: one dual forward pass per parameter — for small and medium networks.
 *
 * <p>Error estimate: {@code 64·ε·|value|} — forward mode rounds like the forward pass itself, with no
 * cancellation beyond what the true derivative has.
 */
public final class ForwardModeAD {

    /** Relative error charged to a forward-mode value (64 ulps). */
    static final double RELATIVE_ERROR = 64 * Math.ulp(1.0);

    private ForwardModeAD() {
    }

    /**
     * ∂L/∂θ_index at {@code point} (flat layout of {@code graph}).
     *
     * @param graph the network
     * @param point the parameters, flat layout; not modified
     * @param index the flat index of θ
     * @return the derivative with its error estimate
     */
    public static Estimate derivative(ComputationGraph graph, double[] point, int index) {
        double[][] x = graph.spec().data().x();
        double[][] y = graph.spec().data().y();
        DerivativeStructure total = constant(0);
        for (int s = 0; s < x.length; s++) {
            total = total.add(sampleLoss(graph, point, index, x[s], y[s]));
        }
        double value = total.divide(x.length).getPartialDerivative(1);
        return new Estimate(value, RELATIVE_ERROR * Math.abs(value), 0.0);
    }

    /**
     * Every ∂L/∂θ_i, in parallel.
     *
     * @param graph the network
     * @param point the parameters, flat layout; not modified
     * @return one estimate per parameter, in flat order
     */
    public static Estimate[] gradient(ComputationGraph graph, double[] point) {
        Estimate[] out = new Estimate[point.length];
        IntStream.range(0, point.length).parallel().forEach(i -> out[i] = derivative(graph, point, i));
        return out;
    }

    private static DerivativeStructure sampleLoss(ComputationGraph g, double[] p, int index, double[] input, double[] target) {
        int layers = g.layerCount();
        DerivativeStructure[] o = new DerivativeStructure[input.length];
        for (int k = 0; k < input.length; k++) {
            o[k] = constant(input[k]);
        }
        DerivativeStructure[] z = null;
        for (int l = 1; l <= layers; l++) {
            int n = g.units(l);
            int in = g.units(l - 1);
            z = new DerivativeStructure[n];
            for (int j = 0; j < n; j++) {
                DerivativeStructure acc = parameter(p, index, g.biasOffset(l) + j);
                for (int k = 0; k < in; k++) {
                    acc = acc.add(parameter(p, index, g.weightOffset(l) + j * in + k).multiply(o[k]));
                }
                z[j] = acc;
            }
            o = activate(g.layer(l).activation(), z);
        }
        return loss(g, z, o, target);
    }

    private static DerivativeStructure[] activate(Activation act, DerivativeStructure[] z) {
        DerivativeStructure[] o = new DerivativeStructure[z.length];
        if (act == Activation.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (DerivativeStructure v : z) {
                max = Math.max(max, v.getValue());
            }
            DerivativeStructure sum = constant(0);
            for (int j = 0; j < z.length; j++) {
                o[j] = z[j].subtract(max).exp();
                sum = sum.add(o[j]);
            }
            for (int j = 0; j < z.length; j++) {
                o[j] = o[j].divide(sum);
            }
            return o;
        }
        Expr value = LocalDerivatives.activation(act).value();
        for (int j = 0; j < z.length; j++) {
            o[j] = evaluate(value, Map.of(ActivationDerivative.ARGUMENT, z[j]));
        }
        return o;
    }

    private static DerivativeStructure loss(ComputationGraph g, DerivativeStructure[] z, DerivativeStructure[] a, double[] y) {
        LossDerivative loss = LocalDerivatives.loss(g.spec().loss());
        Activation out = g.layer(g.layerCount()).activation();
        DerivativeStructure logSum = null;
        double max = Double.NEGATIVE_INFINITY;
        if (out == Activation.SOFTMAX) {
            for (DerivativeStructure v : z) {
                max = Math.max(max, v.getValue());
            }
            DerivativeStructure sum = constant(0);
            for (DerivativeStructure v : z) {
                sum = sum.add(v.subtract(max).exp());
            }
            logSum = sum.log();
        }
        DerivativeStructure total = constant(0);
        for (int j = 0; j < a.length; j++) {
            DerivativeStructure logA;
            DerivativeStructure oneMinusA;
            DerivativeStructure log1mA;
            if (out == Activation.SIGMOID) {
                logA = softplus(z[j].negate()).negate();
                oneMinusA = sigmoid(z[j].negate());
                log1mA = softplus(z[j]).negate();
            } else {
                logA = out == Activation.SOFTMAX ? z[j].subtract(max).subtract(logSum) : a[j].log();
                oneMinusA = a[j].negate().add(1);
                log1mA = a[j].negate().log1p();
            }
            total = total.add(evaluate(loss.term(), Map.of(LossDerivative.OUTPUT, a[j], LossDerivative.TARGET, constant(y[j]),
                    LossDerivative.LOG_OUTPUT, logA, LossDerivative.ONE_MINUS_OUTPUT, oneMinusA,
                    LossDerivative.LOG_ONE_MINUS_OUTPUT, log1mA)));
        }
        return total.multiply(loss.reduction().factor(a.length));
    }

    /** Evaluates {@code e} in dual numbers. */
    static DerivativeStructure evaluate(Expr e, Map<String, DerivativeStructure> values) {
        if (e instanceof Expr.Num n) {
            return constant(n.value());
        }
        if (e instanceof Expr.Sym s) {
            DerivativeStructure v = values.get(s.name());
            if (v == null) {
                throw new IllegalArgumentException("Symbol <" + s.name() + "> has no value; bound: " + values.keySet());
            }
            return v;
        }
        if (e instanceof Expr.Sum s) {
            DerivativeStructure acc = constant(0);
            for (Expr t : s.terms()) {
                acc = acc.add(evaluate(t, values));
            }
            return acc;
        }
        if (e instanceof Expr.Product p) {
            DerivativeStructure acc = constant(1);
            for (Expr f : p.factors()) {
                acc = acc.multiply(evaluate(f, values));
            }
            return acc;
        }
        if (e instanceof Expr.Power p) {
            DerivativeStructure base = evaluate(p.base(), values);
            if (p.exponent() instanceof Expr.Num n) {
                double k = n.value();
                return k == Math.rint(k) && Math.abs(k) <= 64 ? base.pow((int) k) : base.pow(k);
            }
            return base.pow(evaluate(p.exponent(), values));
        }
        if (e instanceof Expr.Call c) {
            return call(c.fn(), evaluate(c.argument(), values));
        }
        Expr.Conditional c = (Expr.Conditional) e;
        return evaluate(c.test(), values).getValue() > 0 ? evaluate(c.ifPositive(), values) : evaluate(c.otherwise(), values);
    }

    private static DerivativeStructure call(Expr.Fn fn, DerivativeStructure x) {
        double v = x.getValue();
        return switch (fn) {
            case EXP -> x.exp();
            case LOG -> x.log();
            case TANH -> x.tanh();
            case SIGMOID -> sigmoid(x);
            case SOFTPLUS -> softplus(x);
            case SIGMOID_PRIME -> x.compose(StableFunctions.sigmoidPrime(v),
                    StableFunctions.sigmoidPrime(v) * (1 - 2 * StableFunctions.sigmoid(v)));
            case SECH -> x.compose(StableFunctions.sech(v), -StableFunctions.sech(v) * Math.tanh(v));
            case ERF -> x.compose(StableFunctions.erf(v), 2 / Math.sqrt(Math.PI) * Math.exp(-v * v));
            case EXPM1 -> x.expm1();
        };
    }

    private static DerivativeStructure sigmoid(DerivativeStructure x) {
        double v = x.getValue();
        return x.compose(StableFunctions.sigmoid(v), StableFunctions.sigmoidPrime(v));
    }

    private static DerivativeStructure softplus(DerivativeStructure x) {
        double v = x.getValue();
        return x.compose(StableFunctions.softplus(v), StableFunctions.sigmoid(v));
    }

    private static DerivativeStructure parameter(double[] p, int index, int i) {
        return i == index ? new DerivativeStructure(1, 1, 0, p[i]) : constant(p[i]);
    }

    private static DerivativeStructure constant(double v) {
        return new DerivativeStructure(1, 1, v);
    }
}
