package io.chainproof.check;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.DualNumber;
import io.chainproof.number.VarianceDualNumber;
import io.chainproof.numeric.CompiledGraph;
import io.chainproof.numeric.ComplexTape;
import io.chainproof.numeric.GraphCompiler;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.ElementwiseOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Any op graph's loss, served by walking the graph ({@link ModelEvaluator}): chainproof's gradient is the reverse
 * walk; the complex step and forward-mode AD run the ops' forward rules in {@link ComplexStepNumber} and
 * {@link DualNumber} arithmetic, one pass per parameter, each with its running rounding-error bound (or, where that
 * worst case is uninformative, the statistical estimate of {@link VarianceDualNumber}); kinks are
 * the branch points of piecewise ops; faults are localised by {@link GraphLocaliser}. Interpreted: for models of
 * up to a few thousand parameters. Thread-safe.
 */
public final class GraphFunction implements LossFunction {

    private final Model model;
    private final List<String> names;
    private final java.util.concurrent.atomic.AtomicLong walking = new java.util.concurrent.atomic.AtomicLong();
    private volatile CompiledGraph compiledGraph;
    /** Set once the model is found too long to compile: the walk serves it. */
    private volatile boolean uncompiled;

    /** Time spent walking the graph (loss and gradient) before the model is compiled: 100 ms. */
    static final long WALK_NANOS_BEFORE_COMPILING = 100_000_000L;

    /**
     * @param model the model, at its spec's parameters and data
     */
    public GraphFunction(Model model) {
        this.model = model;
        this.names = model.parameterNames();
    }

    /** @return the model */
    public Model model() {
        return model;
    }

    @Override
    public Optional<Model> opGraph() {
        return Optional.of(model);
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public String source() {
        return model.source();
    }

    @Override
    public List<String> parameterNames() {
        return names;
    }

    @Override
    public double[] point() {
        return model.point();
    }

    @Override
    public double loss(double[] theta) {
        CompiledGraph c = compiled();
        if (c != null) {
            return c.loss(theta);
        }
        long start = System.nanoTime();
        double loss = ModelEvaluator.loss(model, theta);
        walking.addAndGet(System.nanoTime() - start);
        return loss;
    }

    @Override
    public double[] gradient(double[] theta) {
        CompiledGraph c = compiled();
        if (c != null) {
            return c.gradient(theta);
        }
        long start = System.nanoTime();
        double[] g = ModelEvaluator.gradient(model, theta);
        walking.addAndGet(System.nanoTime() - start);
        return g;
    }

    /** @return whether the loss and gradient now run compiled */
    boolean isCompiled() {
        return compiledGraph != null;
    }

    /**
     * The compiled loss and gradient once walking the graph has taken {@value #WALK_NANOS_BEFORE_COMPILING} ns in all,
     * or null while the walk serves: like a JIT, compiling pays only
     * for many evaluations — it takes 50 ms to a second, a check of a small RNN walks for 1 ms, a sweep for much
     * longer. Both give the same numbers, bit for bit ({@code GraphCompilerTests}), so only the speed depends on when.
     */
    private CompiledGraph compiled() {
        CompiledGraph c = compiledGraph;
        if (c == null) {
            if (uncompiled || walking.get() < WALK_NANOS_BEFORE_COMPILING) {
                return null;
            }
            synchronized (this) {
                c = compiledGraph;
                if (c == null && !uncompiled) {
                    if (GraphCompiler.compiles(model)) {
                        try {
                            c = GraphCompiler.compile(model);
                            compiledGraph = c;
                        } catch (GraphCompiler.TooLargeToCompile | OutOfMemoryError tooLarge) {
                            // compiling is an optimisation with the walk's numbers bit for bit: a heap too small for
                            // the compiler (its garbage is free again here) leaves the walk to serve
                            uncompiled = true;
                        }
                    } else {
                        uncompiled = true;
                    }
                }
            }
        }
        return c;
    }

    @Override
    public Map<String, Object> tensors(double[] flat) {
        return model.tensors(flat);
    }

    /** One interpreted pass per parameter, each as many scalar operations as the graph's ops perform. */
    @Override
    public double exhaustiveWork() {
        return perPass() * model.parameterCount();
    }

    /**
     * For the complex step, where one pass per parameter is more than {@link GradientVerifier#AUTO_FAST_WORK} and a
     * {@link ComplexTape} fits, the tape's work ({@link ComplexTape#work}), the tape recorded here at the spec's point
     * for the check to use; for every other oracle one pass per parameter.
     */
    @Override
    public double exhaustiveWork(Oracle oracle) {
        double literal = exhaustiveWork();
        if (oracle != Oracle.COMPLEX_STEP || literal <= GradientVerifier.AUTO_FAST_WORK
                || !ComplexTape.fits(perPass())) {
            return literal;
        }
        ComplexTape tape = tape(model.point());
        return Math.min(literal, tape.size() + tape.work(IntStream.range(0, model.parameterCount()).toArray()));
    }

    /** The scalar operations of one forward pass, as the ops estimate them. */
    private double perPass() {
        double perPass = 0;
        for (Node node : model.nodes()) {
            int[] sizes = new int[node.inputCount()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = model.tensor(node.input(i)).size();
            }
            perPass += node.op().work(sizes);
        }
        return perPass;
    }

    @Override
    public List<Block> tensorBlocks() {
        return model.parameters().stream().map(p -> new Block(p.name(), p.offset(), p.offset() + p.size())).toList();
    }

    @Override
    public List<Block> directionBlocks() {
        return tensorBlocks();
    }

    @Override
    public ComplexStep.Result[] complexStep(double[] point) {
        return complexStep(point, IntStream.range(0, point.length).toArray());
    }

    /**
     * The complex step of each parameter asked: one pass of the graph each, or — where those passes would do more
     * than {@value #TAPE_WORK} operations and the tape fits — on a {@link ComplexTape} recorded once at
     * {@code point}, by superposition ({@link ComplexTape#losses}). Both give the same values up to rounding, within
     * each other's rounding bounds ({@code ComplexTapeProperties}). From the tape each result carries its rigorous
     * rounding bound; the statistical refinement, which walks the graph once more ({@link #refine}), is left to the
     * verifier for the few parameters whose verdict depends on it — except on a recurrent model, whose tape stitches
     * its cones at the states ({@link ComplexTape#stitches}) and estimates the stitched computation's rounding
     * statistically itself, as {@link #errorEstimate} would: where the bound is not informative, that estimate.
     */
    @Override
    public ComplexStep.Result[] complexStep(double[] point, int[] indices) {
        double perPass = perPass();
        // a tape recorded already (by exhaustiveWork) is used: checking that it fits again, with itself in memory,
        // would send a check the tape makes fast back to one full pass per parameter
        if (indices.length * perPass < TAPE_WORK || !recorded(point) && !ComplexTape.fits(perPass)) {
            return LossFunction.super.complexStep(point, indices);
        }
        double[] statistical = new double[indices.length];
        ComplexStepNumber[] losses = tape(point).losses(indices, statistical);
        ComplexStep.Result[] results = new ComplexStep.Result[point.length];
        for (int k = 0; k < indices.length; k++) {
            ComplexStepNumber l = losses[k];
            double bound = l.errorBound();
            // stitched along a recurrence: the estimate of the stitched computation's own rounding, where the
            // worst-case bound is not informative (as errorEstimate does for a literal pass)
            double error = bound > Tolerance.DEFAULT_RELATIVE * Math.abs(l.derivative()) && statistical[k] < bound
                    ? statistical[k] : bound;
            results[indices[k]] = new ComplexStep.Result(new Estimate(l.derivative(), error, ComplexStepNumber.STEP),
                    l.nearKink());
        }
        return results;
    }

    /** The statistical refinement of {@link #errorEstimate}, which walks the graph once. */
    @Override
    public Estimate refine(double[] point, int index, Estimate estimate) {
        double[] e = new double[point.length];
        e[index] = 1;
        double error = errorEstimate(estimate.value(), estimate.errorEstimate(), point, e);
        return error == estimate.errorEstimate() ? estimate : new Estimate(estimate.value(), error, estimate.step());
    }

    @Override
    public boolean hasBackpropBound() {
        return true;
    }

    @Override
    public double[] backpropBound(double unitRoundoff) {
        return BackpropBound.judged(model, unitRoundoff);
    }

    @Override
    public double[] ownBackpropBound(double unitRoundoff) {
        return BackpropBound.judged(model, unitRoundoff, io.chainproof.symbolic.SymbolicRules.instance());
    }

    /** Literal complex-step work (operations) above which many parameters' complex steps run on a tape. */
    static final double TAPE_WORK = 2e7;

    /** The tape at the last point asked about. */
    private volatile ComplexTape tape;
    private volatile double[] tapePoint;

    private synchronized boolean recorded(double[] point) {
        return tape != null && java.util.Arrays.equals(tapePoint, point);
    }

    private synchronized ComplexTape tape(double[] point) {
        if (tape == null || !java.util.Arrays.equals(tapePoint, point)) {
            tape = ComplexTape.record(model, point);
            tapePoint = point.clone();
        }
        return tape;
    }

    @Override
    public ComplexStep.Result complexStep(double[] point, double[] direction) {
        ComplexStepNumber l = ModelEvaluator.loss(model, ComplexStepNumber.FIELD,
                k -> direction[k] == 0 ? ComplexStepNumber.FIELD.constant(point[k])
                        : ComplexStepNumber.seed(point[k], direction[k]));
        double error = errorEstimate(l.derivative(), l.errorBound(), point, direction);
        return new ComplexStep.Result(new Estimate(l.derivative(), error, ComplexStepNumber.STEP), l.nearKink());
    }

    @Override
    public ComplexStep.Result forwardAD(double[] point, int index) {
        DualNumber l = ModelEvaluator.loss(model, DualNumber.FIELD,
                k -> k == index ? DualNumber.seed(point[k], 1) : DualNumber.FIELD.constant(point[k]));
        double[] direction = new double[point.length];
        direction[index] = 1;
        return new ComplexStep.Result(new Estimate(l.tangent(), errorEstimate(l.tangent(), l.errorBound(), point,
                direction), 0), l.nearKink());
    }

    /**
     * The error the verdict allows an exact oracle: its rigorous running bound where that is informative, else —
     * when the worst case over every sign of every rounding is larger than the tolerance's relative slack, as it is
     * along long recurrences — the statistical estimate of {@link VarianceDualNumber}, if smaller.
     */
    double errorEstimate(double derivative, double bound, double[] point, double[] direction) {
        if (!(bound > Tolerance.DEFAULT_RELATIVE * Math.abs(derivative))) {
            return bound;
        }
        VarianceDualNumber l = ModelEvaluator.loss(model, VarianceDualNumber.FIELD,
                k -> direction[k] == 0 ? VarianceDualNumber.FIELD.constant(point[k])
                        : VarianceDualNumber.seed(point[k], direction[k]));
        return Math.min(bound, l.errorEstimate());
    }

    @Override
    public Optional<String> kink(double[] point, int index, double step) {
        double[][] base = baseValues(point);
        double[] p = point.clone();
        p[index] = point[index] + step;
        double[][] up = ModelEvaluator.values(model, p);
        p[index] = point[index] - step;
        double[][] down = ModelEvaluator.values(model, p);
        String moves = names.get(index) + " moves by ±" + String.format(java.util.Locale.ROOT, "%.2g", step);
        for (Node node : model.nodes()) {
            if (node.op() instanceof ElementwiseOp op) {
                if (!op.kinked()) {
                    continue;
                }
                int in = node.input(0);
                for (Expr test : op.branchTests()) {
                    for (int j = 0; j < base[in].length; j++) {
                        double z = test(test, base[in][j]);
                        double zUp = test(test, up[in][j]);
                        double zDown = test(test, down[in][j]);
                        if (Math.signum(zUp) != Math.signum(zDown) || (z == 0 && zUp != zDown)) {
                            return Optional.of(op.kind() + " pre-activation " + model.tensor(in).name() + "[" + j
                                    + "] (" + node.label() + ") is " + base[in][j] + " and crosses 0 when " + moves);
                        }
                    }
                }
            } else if (!branches(node, up).sameBranches(branches(node, down))) {
                // any other op that branches (max pooling): its forward rule takes another branch between the points
                return Optional.of(node.op().kind() + " (" + node.label() + ", " + model.tensor(node.output()).name()
                        + ") takes another branch when " + moves + ": a tie such as two equal maxima lies between");
            }
        }
        return Optional.empty();
    }

    /** The branches {@code node}'s forward rule takes on the given values. */
    private static io.chainproof.number.BranchNumber.Trace branches(Node node, double[][] values) {
        io.chainproof.number.BranchNumber.Trace trace = new io.chainproof.number.BranchNumber.Trace();
        List<io.chainproof.number.BranchNumber[]> inputs = new ArrayList<>(node.inputCount());
        for (int i = 0; i < node.inputCount(); i++) {
            inputs.add(trace.constants(values[node.input(i)]));
        }
        node.op().forward(trace, inputs);
        return trace;
    }

    /** The values at the last point asked about (every parameter's kink check starts from them). */
    private volatile Base base;

    private record Base(double[] point, double[][] values) {
    }

    private double[][] baseValues(double[] point) {
        Base b = base;
        if (b == null || !java.util.Arrays.equals(b.point(), point)) {
            b = new Base(point.clone(), ModelEvaluator.values(model, point));
            base = b;
        }
        return b.values();
    }

    private static double test(Expr test, double z) {
        return ExprEvaluator.evaluate(test, name -> z);
    }

    @Override
    public Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing) {
        return localise(point, claimed, failing, null);
    }

    @Override
    public Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing, double[] allowed) {
        return GraphLocaliser.localise(model, point, gradient(point), claimed, new ArrayList<>(failing), allowed);
    }
}
