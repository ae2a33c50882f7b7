package io.chainproof.bounds;

import java.util.StringJoiner;

/**
 * Renders a {@link SweepResult} as CSV: a header row, then one row per scale. Doubles are written with
 * {@link Double#toString(double)}, so {@link Double#parseDouble} reads back the same value.
 *
 * <p>Columns: {@code scale}, {@code spectral_norm_W<l>}, then for every layer k {@code actual_<k>},
 * {@code gamma_bound_<k>}, {@code data_bound_<k>}, {@code regime_<k>}, and last {@code regime} (layer 1's,
 * see {@link SweepPoint#regime()}).
 */
public final class SweepCsv {

    private SweepCsv() {
    }

    /**
     * @param result a sweep
     * @return the CSV text, every line ending in {@code \n}
     */
    public static String of(SweepResult result) {
        StringBuilder out = new StringBuilder();
        StringJoiner header = new StringJoiner(",");
        header.add("scale").add("spectral_norm_W" + result.layer());
        for (int k = 1; k <= result.layerCount(); k++) {
            header.add("actual_" + k).add("gamma_bound_" + k).add("data_bound_" + k).add("regime_" + k);
        }
        header.add("regime");
        out.append(header).append('\n');
        for (SweepPoint p : result.points()) {
            StringJoiner row = new StringJoiner(",");
            row.add(Double.toString(p.scale())).add(Double.toString(p.spectralNorm()));
            for (LayerBound b : p.layers()) {
                row.add(Double.toString(b.actual())).add(Double.toString(b.gammaBound()))
                        .add(Double.toString(b.dataBound())).add(b.regime().label());
            }
            row.add(p.regime().label());
            out.append(row).append('\n');
        }
        return out.toString();
    }
}
