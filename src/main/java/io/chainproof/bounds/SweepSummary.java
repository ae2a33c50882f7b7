package io.chainproof.bounds;

import java.util.Locale;

/**
 * A short text account of a {@link SweepResult}: the runs of consecutive scales that share a regime (of
 * layer 1, see {@link SweepPoint#regime()}), and the growth of the γ bound and the actual gradient of layer 1
 * from the smallest to the largest scale.
 */
public final class SweepSummary {

    private SweepSummary() {
    }

    /**
     * @param result a sweep
     * @return a few lines, each ending in {@code \n}
     */
    public static String of(SweepResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "sweep of %s: W%d scaled by %s to %s, %d points, bias %s%n",
                result.name(), result.layer(), number(result.first().scale()), number(result.last().scale()),
                result.points().size(), result.bias().label()));
        out.append("regime of layer 1 by scale:\n");
        int start = 0;
        for (int i = 1; i <= result.points().size(); i++) {
            boolean end = i == result.points().size()
                    || result.points().get(i).regime() != result.points().get(start).regime();
            if (end) {
                int count = i - start;
                String range = count == 1 ? "scale " + number(result.points().get(start).scale())
                        : "scales " + number(result.points().get(start).scale()) + " to " + number(result.points().get(i - 1).scale());
                out.append(String.format(Locale.ROOT, "  %-10s %s (%d %s)%n", result.points().get(start).regime().label(),
                        range, count, count == 1 ? "point" : "points"));
                start = i;
            }
        }
        LayerBound first = result.first().layer(1);
        LayerBound last = result.last().layer(1);
        out.append(String.format(Locale.ROOT, "layer 1: γ bound %s -> %s, actual ‖∂L/∂W1‖_F %s -> %s%n",
                number(first.gammaBound()), number(last.gammaBound()), number(first.actual()),
                number(last.actual())));
        return out.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
