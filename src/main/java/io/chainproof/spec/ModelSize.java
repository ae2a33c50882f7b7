package io.chainproof.spec;

import java.util.Locale;

/**
 * The heap a model's shapes imply, estimated from the shapes alone and checked before anything of that size is
 * allocated, so that {@code "units": 1000000000} with an {@code "init"} is bad input naming the layer, and not an
 * {@link OutOfMemoryError}. Shared by the readers of every spec type; each adds its layers and checks once it knows
 * them, before it reads or draws a parameter.
 *
 * <p>The estimate is {@code P·b + S·V·}{@value #BYTES_PER_VALUE} bytes for P parameters at b bytes each (the
 * {@link Budget} of the model's kind), S samples (an RNN: steps of all sequences) and V intermediate values per
 * sample (every layer's outputs); it must fit in {@link Runtime#maxMemory()}, and P must not exceed the budget's
 * maximum whatever the heap. Sums and products saturate at {@link Long#MAX_VALUE}, so no shape overflows them.
 *
 * <table>
 *   <caption>Budgets</caption>
 *   <tr><th>model</th><th>bytes per parameter</th><th>parameters at most</th><th>why</th></tr>
 *   <tr><td>MLP</td><td>48</td><td>2<sup>31</sup> − 9 (a Java array)</td>
 *       <td>a 10,020,001-parameter MLP is read, compiled and checked in fast mode under {@code -Xmx1g}</td></tr>
 *   <tr><td>layered, RNN (a graph of ops)</td><td>160</td><td>2<sup>24</sup></td>
 *       <td>values, gradients and oracle work per parameter in the graph</td></tr>
 * </table>
 */
final class ModelSize {

    /**
     * Heap per parameter and the most parameters in any case, for one kind of model.
     *
     * @param bytesPerParameter heap a parameter takes while the model is read, built and checked
     * @param maxParameters     the most parameters whatever the heap
     */
    record Budget(long bytesPerParameter, long maxParameters) {
    }

    /** An MLP, whose parameters stay in flat arrays of primitives. */
    static final Budget MLP = new Budget(48, Integer.MAX_VALUE - 8);
    /** A model built as a graph of ops: a layered model or an RNN. */
    static final Budget GRAPH = new Budget(160, 1 << 24);
    /** Heap an intermediate value of one sample takes while it is evaluated and checked (value, gradient, complex). */
    static final long BYTES_PER_VALUE = 32;
    /** Past this estimate no heap is suggested: the model is out of reach of any machine. */
    private static final long MOST_HEAP_TO_SUGGEST = 1L << 40;

    private final String source;
    private final Budget budget;
    private long parameters;
    private long valuesPerSample;
    private String largestField = "layers";
    private String largestLayer = "";
    private long largestParameters = -1;
    private String widestLayer = "";
    private long widestValues = -1;

    /**
     * @param source the file, for messages
     * @param budget the model's kind
     */
    ModelSize(String source, Budget budget) {
        this.source = source;
        this.budget = budget;
    }

    /**
     * Adds a layer.
     *
     * @param field           its path in the file, e.g. {@code layers[1]}
     * @param layer           its name in messages, e.g. {@code layer 2 (conv2d)}
     * @param parameters      its parameters
     * @param valuesPerSample the intermediate values it makes per sample
     * @return this
     */
    ModelSize add(String field, String layer, long parameters, long valuesPerSample) {
        this.parameters = sum(this.parameters, parameters);
        this.valuesPerSample = sum(this.valuesPerSample, valuesPerSample);
        if (parameters > largestParameters) {
            largestField = field;
            largestLayer = layer;
            largestParameters = parameters;
        }
        if (valuesPerSample > widestValues) {
            widestLayer = layer;
            widestValues = valuesPerSample;
        }
        return this;
    }

    /** @return the parameters of the layers added so far */
    long parameters() {
        return parameters;
    }

    /**
     * Checks the estimate against the budget's maximum and the heap.
     *
     * @param dataField where the samples are, e.g. {@code data.x}
     * @param samples   how many there are (for an RNN: the steps of all sequences)
     * @param unit      what one of them is called, e.g. {@code sample} or {@code step}
     * @throws SpecException naming the layer with the most parameters, or the samples, with the estimate and a fix
     */
    void check(String dataField, long samples, String unit) {
        if (parameters > budget.maxParameters()) {
            throw new SpecException(source, largestField, count(parameters) + " parameters", "are more than the "
                    + budget.maxParameters() + " chainproof checks whatever the heap (" + largestLayer + " alone has "
                    + count(largestParameters) + ")", "use fewer or smaller layers");
        }
        long limit = ReadLimits.maxParameters();
        if (parameters > limit) {
            throw new SpecException(source, largestField, count(parameters) + " parameters", "are more than the "
                    + "--max-parameters " + limit + " given (" + largestLayer + " alone has " + count(largestParameters)
                    + ")", "use fewer or smaller layers, or raise --max-parameters");
        }
        long heap = Runtime.getRuntime().maxMemory();
        long parameterBytes = product(parameters, budget.bytesPerParameter());
        long valueBytes = product(samples, valuesPerSample, BYTES_PER_VALUE);
        long need = sum(parameterBytes, valueBytes);
        if (need <= heap) {
            return;
        }
        String moreHeap = need > MOST_HEAP_TO_SUGGEST ? ""
                : ", or give Java more heap, e.g. java -Xmx" + gigabytesFor(need) + "g -jar chainproof.jar";
        if (parameterBytes >= valueBytes) {
            throw new SpecException(source, largestField, count(parameters) + " parameters", "are more than this JVM can "
                    + "check: at about " + budget.bytesPerParameter() + " bytes each they need " + bytes(need) + " of heap, "
                    + "and it has " + bytes(heap) + " (" + largestLayer + " alone has " + count(largestParameters) + ")",
                    "use fewer or smaller layers" + moreHeap);
        }
        throw new SpecException(source, dataField, samples + " " + unit + (samples == 1 ? "" : "s"), "of "
                + count(valuesPerSample) + " values each are more than this JVM can check: at about " + BYTES_PER_VALUE
                + " bytes per value they need " + bytes(need) + " of heap, and it has " + bytes(heap) + " ("
                + widestLayer + " alone makes " + count(widestValues) + " per " + unit + ")",
                "give fewer " + unit + "s or use smaller layers" + moreHeap);
    }

    /**
     * @return the product, or {@link Long#MAX_VALUE} if it is larger; 0 if a factor is 0 or negative (a size not yet
     *         checked, which its own rule refuses later)
     */
    static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f <= 0) {
                return 0;
            }
            p = p > Long.MAX_VALUE / f ? Long.MAX_VALUE : p * f;
        }
        return p;
    }

    /** @return the product of a shape's sizes, or {@link Long#MAX_VALUE} if it is larger */
    static long product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p = product(p, d);
        }
        return p;
    }

    /** @return the sum of two terms ≥ 0, or {@link Long#MAX_VALUE} if it is larger */
    static long sum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** @return the count, or {@code 9223372036854775807 or more} where a sum or product saturated */
    static String count(long n) {
        return n == Long.MAX_VALUE ? n + " or more" : Long.toString(n);
    }

    /** @return e.g. {@code 512 KB}, {@code 1024 MB}, {@code 40 GB}, {@code 149 TB}: whole units, rounded down */
    static String bytes(long n) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        long value = n;
        while (value >= 10 * 1024 && u < units.length - 1) {
            value >>= 10;
            u++;
        }
        return String.format(Locale.ROOT, "%d %s", value, units[u]);
    }

    /** @return whole gigabytes of heap for {@code bytes} with a quarter to spare; at least 1 */
    static long gigabytesFor(long bytes) {
        long withSpare = sum(bytes, bytes / 4);
        return Math.max(1, sum(withSpare, (1L << 30) - 1) >> 30);
    }
}
