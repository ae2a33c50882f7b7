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
}
