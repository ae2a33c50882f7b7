package io.chainproof;

import java.util.SplittableRandom;

/** Data for specs built in tests and benchmarks. */
public final class TestData {

    private TestData() {
    }

    /**
     * Images as a JSON array {@code [samples][channels][size][size]}, each entry uniform in ±1 rounded to three
     * decimals, from a seeded generator.
     *
     * @param samples  the number of images
     * @param channels the channels per image
     * @param size     the height and width
     * @param seed     the generator's seed
     * @return the JSON text
     */
    public static String images(int samples, int channels, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder x = new StringBuilder("[");
        for (int s = 0; s < samples; s++) {
            x.append(s == 0 ? "[" : ",[");
            for (int c = 0; c < channels; c++) {
                x.append(c == 0 ? "[" : ",[");
                for (int i = 0; i < size; i++) {
                    x.append(i == 0 ? "[" : ",[");
                    for (int j = 0; j < size; j++) {
                        x.append(j == 0 ? "" : ",").append(Math.round(random.nextDouble(-1, 1) * 1000) / 1000.0);
                    }
                    x.append(']');
                }
                x.append(']');
            }
            x.append(']');
        }
        return x.append(']').toString();
    }

    /**
     * A spec of one lstm layer of {@code hidden} units over a sequence of {@code steps} scalars, returning its last
     * state to one linear output unit, mse loss, two samples, weights by Xavier init (seed 1): with hidden 32 and 50
     * steps the 4,513-parameter model of the sequence benchmarks.
     *
     * @param steps  the sequence length
     * @param hidden the lstm's units
     * @return the spec, JSON
     */
    public static String lstm(int steps, int hidden) {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder x = new StringBuilder("[");
        for (int n = 0; n < 2; n++) {
            x.append(n == 0 ? "[" : ",[");
            for (int t = 0; t < steps; t++) {
                x.append(t == 0 ? "[" : ",[").append(Math.round(random.nextDouble(-1, 1) * 1000) / 1000.0).append(']');
            }
            x.append(']');
        }
        x.append(']');
        return "{\"name\": \"lstm" + hidden + "x" + steps + "\", \"inputs\": [" + steps + ", 1], \"layers\": ["
                + "{\"type\": \"lstm\", \"hidden\": " + hidden + ", \"return\": \"last\"},"
                + "{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\","
                + "\"init\": {\"scheme\": \"xavier_uniform\", \"seed\": 1},"
                + "\"data\": {\"x\": " + x + ", \"y\": [[0.5], [-0.5]]}}";
    }
}
