package io.chainproof.render;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.JavaScriptNetwork;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.DerivativeBounds;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliders for an MLP's weights and biases that recompute, in the page, what the lecture is about: the loss, the
 * gradient of the moved parameters and of every layer's first weight, and for a scalar chain every chain-rule factor
 * of ∂L/∂w₁ (∂L/∂o_n, φ'(z_k)·w_k, φ'(z₁)·a₀), its γ bound |L'|·|a₀|·∏γ_k·∏_{k≥2}|w_k| and whether the bound is
 * attained. The numbers come from {@link JavaScriptNetwork}: the same emitter, operations and order as the kernel the
 * command line runs, so the page shows what {@code chainproof gradient} prints at the slider's weight.
 *
 * <p>Each read-out cell carries its full double in {@code data-value} and shows it to {@link #DIGITS} significant
 * digits; the page sets {@code data-updates} on the panel to the number of recomputations, so a test can tell that a
 * real input event reached the script.
 */
public final class InteractivePanel {

    /** Significant digits a read-out shows. */
    public static final int DIGITS = 6;
    /** Sliders at most: the chosen layer's weights first, then its biases. */
    static final int MAX_SLIDERS = 12;
    /** Steps of a slider across its range. */
    static final int STEPS = 2000;
    /** Units per layer whose z and o the panel shows for the first sample. */
    static final int FORWARD_UNITS = 4;
    /** The scale slider's range when there is no sweep to follow: the explain command's sweep range. */
    static final double DEFAULT_FROM = 1e-3;
    /** The largest scale by default. */
    static final double DEFAULT_TO = 10;

    private InteractivePanel() {
    }

    /**
     * The panel for {@code spec}, with sliders for the weights and the bias of {@code layer}.
     *
     * @param spec  an MLP
     * @param layer the layer whose parameters get sliders, 1 to the number of layers
     * @return the block; text, Markdown and LaTeX show its caption only
     * @throws IllegalArgumentException if the layer does not exist
     */
    public static Block.Interactive of(NetworkSpec spec, int layer) {
        return of(spec, layer, List.of(), DEFAULT_FROM, DEFAULT_TO);
    }

    /**
     * The panel with the default scale range ({@value #DEFAULT_FROM} to {@value #DEFAULT_TO}, the range explain
     * sweeps).
     *
     * @param spec   an MLP
     * @param layer  the layer the scale slider scales
     * @param chosen the parameters that get sliders, by name; empty for {@code layer}'s weights and biases
     * @return the block
     * @throws IllegalArgumentException as {@link #of(NetworkSpec, int, List, double, double)}
     */
    public static Block.Interactive of(NetworkSpec spec, int layer, List<String> chosen) {
        return of(spec, layer, chosen, DEFAULT_FROM, DEFAULT_TO);
    }

    /**
     * The panel for {@code spec}: a slider that scales every weight of {@code layer} by s (log scale, from
     * {@code from} to {@code to}, the sweep's range, moving a marker along the page's first sweep plot), and sliders
     * for the {@code chosen} parameters, or when none are chosen for the weights and the bias of {@code layer}.
     *
     * @param spec   an MLP
     * @param layer  the layer the scale slider scales, 1 to the number of layers
     * @param chosen the parameters that get sliders, by name ({@code W1[0][0]}, {@code b2[1]}); empty for the
     *               default; at most {@value #MAX_SLIDERS}
     * @param from   the smallest scale, &gt; 0
     * @param to     the largest scale, &gt; from
     * @return the block; text, Markdown and LaTeX show its caption only
     * @throws IllegalArgumentException if the layer or a chosen name does not exist, too many are chosen, or the
     *                                  range is empty
     */
    public static Block.Interactive of(NetworkSpec spec, int layer, List<String> chosen, double from, double to) {
        ComputationGraph graph = ComputationGraph.of(spec);
        if (layer < 1 || layer > graph.layerCount()) {
            throw new IllegalArgumentException("Layer <" + layer + "> is not a layer of " + spec.name() + " (1 to "
                    + graph.layerCount() + ")");
        }
        if (!(from > 0 && to > from && Double.isFinite(to))) {
            throw new IllegalArgumentException("The scale range <" + from + ", " + to + "> must have 0 < from < to < ∞");
        }
        if (chosen.size() > MAX_SLIDERS) {
            throw new IllegalArgumentException(chosen.size() + " sliders chosen; a page takes at most " + MAX_SLIDERS);
        }
        List<String> names = graph.parameterNames();
        double[] values = graph.parameterValues();
        List<Integer> sliders = new ArrayList<>();
        for (String name : chosen) {
            int i = names.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("<" + name + "> is not a parameter of " + spec.name() + " (its "
                        + "parameters are " + names.get(0) + " … " + names.get(names.size() - 1) + ")");
            }
            if (!sliders.contains(i)) {
                sliders.add(i);
            }
        }
        int weights = graph.units(layer) * graph.units(layer - 1);
        for (int i = 0; chosen.isEmpty() && i < weights && sliders.size() < MAX_SLIDERS - 1; i++) {
            sliders.add(graph.weightOffset(layer) + i);
        }
        for (int j = 0; chosen.isEmpty() && j < graph.units(layer) && sliders.size() < MAX_SLIDERS; j++) {
            sliders.add(graph.biasOffset(layer) + j);
        }
        List<Integer> scaled = new ArrayList<>();
        for (int i = 0; i < weights; i++) {
            scaled.add(graph.weightOffset(layer) + i);
        }
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < graph.units(1) * graph.units(0); i++) {
            first.add(graph.weightOffset(1) + i);
        }
        List<Integer> shown = new ArrayList<>(sliders);
        for (int l = 1; l <= graph.layerCount(); l++) {
            if (!shown.contains(graph.weightOffset(l))) {
                shown.add(graph.weightOffset(l));
            }
        }
        shown.sort(Integer::compare);
        boolean chain = graph.isScalarChain();
        boolean fused = spec.loss() == Loss.BCE && graph.layer(graph.layerCount()).activation() == Activation.SIGMOID;

        StringBuilder html = new StringBuilder();
        html.append("<div class=\"panel\" id=\"chainproof-panel\" data-updates=\"0\">\n<h2>Move a weight</h2>\n");
        double lo = StrictMath.log10(from);
        double hi = StrictMath.log10(to);
        html.append("<div class=\"sliders\">\n");
        html.append("<label>scale s of W").append(layer).append(" (every weight of layer ").append(layer)
                .append(" times s) <input type=\"range\" id=\"scale-slider\" min=\"").append(lo).append("\" max=\"")
                .append(hi).append("\" step=\"").append((hi - lo) / STEPS).append("\" value=\"0\"> <output id=\"")
                .append("scale-slider-value\"></output></label>\n");
        for (int n = 0; n < sliders.size(); n++) {
            int i = sliders.get(n);
            double v = values[i];
            double half = Math.max(2 * Math.abs(v), 1.0);
            html.append("<label>").append(HtmlWriter.escape(names.get(i))).append(" <input type=\"range\" id=\"slider-")
                    .append(n).append("\" data-index=\"").append(i).append("\" min=\"").append(v - half)
                    .append("\" max=\"").append(v + half).append("\" step=\"").append(2 * half / STEPS)
                    .append("\" value=\"").append(v).append("\"> <output id=\"slider-").append(n).append("-value\">")
                    .append("</output></label>\n");
        }
        html.append("</div>\n<table class=\"readout\">\n<tbody>\n");
        row(html, "readout-loss", "L");
        row(html, "readout-norm-1", "‖∂L/∂W1‖_F (the marker on the first sweep plot)");
        for (int i : shown) {
            row(html, "readout-gradient-" + i, "∂L/∂" + names.get(i));
        }
        int n = graph.layerCount();
        boolean outputBound = !fused && graph.layer(n).activation() != Activation.SOFTMAX;
        for (int l = 1; l <= n; l++) {
            row(html, "readout-norm-layer-" + l, "‖∂L/∂W" + l + "‖_F");
            row(html, "readout-growth-" + l, "g" + l + " = ‖∂L/∂W" + l + "‖_F / ‖∂L/∂W" + n + "‖_F (vanishing if < 1e−3, "
                    + "exploding if > 1e3)");
            if (outputBound) {
                row(html, "readout-gamma-bound-" + l, "γ bound mean‖∇ℓ‖·‖o" + (l - 1) + "‖·∏γ·∏‖W_k‖₂ on ‖∂L/∂W" + l + "‖_F");
                row(html, "readout-gamma-attained-" + l, "layer " + l + "'s γ bound attained");
            }
        }
        for (int l = 1; l <= n; l++) {
            for (int j = 0; j < Math.min(graph.units(l), FORWARD_UNITS); j++) {
                boolean one = graph.units(l) == 1;
                row(html, "readout-z-" + l + "-" + j, io.chainproof.graph.Node.preActivation(l, j).unicode(one)
                        + " (sample 1)");
                row(html, "readout-o-" + l + "-" + j, io.chainproof.graph.Node.activation(l, j).unicode(one)
                        + " (sample 1)");
            }
        }
        if (!chain && outputBound) {
            String o = io.chainproof.graph.Node.activation(1, 0).unicode(graph.units(1) == 1);
            String z = io.chainproof.graph.Node.preActivation(1, 0).unicode(graph.units(1) == 1);
            String w = io.chainproof.graph.ParameterId.weight(1, 0, 0).unicode();
            row(html, "readout-wide-factor-output", "∂L/∂" + o + " (sample 1, backpropagated from ∂L/∂o" + n + ")");
            row(html, "readout-wide-factor-slope", "∂" + o + "/∂" + z + " = φ′(" + z + ") (sample 1)");
            row(html, "readout-wide-factor-input", "∂" + z + "/∂" + w + " = x₁ (sample 1)");
        }
        if (chain) {
            row(html, "readout-factor-output", "∂L/∂o" + n + " (sample 1)");
            for (int k = n; k >= 2; k--) {
                row(html, "readout-factor-" + k, "∂o" + k + "/∂o" + (k - 1) + " = φ′(z" + k + ")·w" + k);
            }
            row(html, "readout-factor-1", "∂o1/∂w1 = φ′(z1)·a0");
            if (!fused) {
                row(html, "readout-bound", "γ bound |L′|·|a0|·∏γ·∏|w_k| on |∂L/∂w1|");
                row(html, "readout-attained", "bound attained (|φ′(z_k)| = γ_k at every layer)");
            }
        }
        html.append("</tbody>\n</table>\n</div>");

        StringBuilder script = new StringBuilder(JavaScriptNetwork.of(graph));
        script.append("(function () {\n");
        script.append("    const net = chainproofNetwork;\n");
        script.append("    const p = Float64Array.from(net.parameters);\n");
        script.append("    const g = new Float64Array(p.length);\n");
        script.append("    const shown = ").append(shown).append(";\n");
        script.append("    const chain = ").append(chain).append(";\n");
        script.append("    const fused = ").append(fused).append(";\n");
        script.append("    const layers = ").append(n).append(";\n");
        script.append("    const weightOffsets = ").append(offsets(graph, true)).append(";\n");
        script.append("    const gamma = ").append(gammas(graph)).append(";\n");
        script.append("    const scaled = ").append(scaled).append(";\n");
        script.append("    const units = ").append(unitList(graph)).append(";\n");
        script.append("    const outputBound = ").append(outputBound).append(";\n");
        script.append("    const forwardUnits = ").append(FORWARD_UNITS).append(";\n");
        script.append("    const firstWeights = ").append(first).append(";\n");
        script.append("""
                    const panel = document.getElementById('chainproof-panel');
                    function show(id, v) {
                        const cell = document.getElementById(id);
                        if (cell) {
                            cell.dataset.value = String(v);
                            cell.textContent = typeof v === 'number' ? format(v) : v;
                        }
                    }
                    function format(v) {
                        return Number.isFinite(v) ? v.toPrecision(%d) : String(v);
                    }
                    // the largest eigenvalue of a symmetric matrix by cyclic Jacobi rotations (a[i][j], n × n)
                    function largestEigenvalue(a) {
                        const n = a.length;
                        for (let sweep = 0; sweep < 100; sweep++) {
                            let off = 0;
                            let scale = 0;
                            for (let i = 0; i < n; i++) {
                                for (let j = 0; j < n; j++) {
                                    if (i === j) {
                                        scale += a[i][j] * a[i][j];
                                    } else {
                                        off += a[i][j] * a[i][j];
                                    }
                                }
                            }
                            if (off <= 1e-32 * scale) {
                                break;
                            }
                            for (let p = 0; p < n; p++) {
                                for (let q = p + 1; q < n; q++) {
                                    if (a[p][q] === 0) {
                                        continue;
                                    }
                                    const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                                    const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                                    const c = 1 / Math.sqrt(t * t + 1);
                                    const sn = t * c;
                                    for (let k = 0; k < n; k++) {
                                        const akp = a[k][p];
                                        const akq = a[k][q];
                                        a[k][p] = c * akp - sn * akq;
                                        a[k][q] = sn * akp + c * akq;
                                    }
                                    for (let k = 0; k < n; k++) {
                                        const apk = a[p][k];
                                        const aqk = a[q][k];
                                        a[p][k] = c * apk - sn * aqk;
                                        a[q][k] = sn * apk + c * aqk;
                                    }
                                }
                            }
                        }
                        let largest = 0;
                        for (let i = 0; i < n; i++) {
                            largest = Math.max(largest, a[i][i]);
                        }
                        return largest;
                    }
                    // ‖W_l‖₂: the square root of the largest eigenvalue of W·Wᵀ or Wᵀ·W, whichever is smaller
                    function spectralNorm(l) {
                        const rows = units[l];
                        const cols = units[l - 1];
                        const w = (j, k) => p[weightOffsets[l] + j * cols + k];
                        const n = Math.min(rows, cols);
                        const a = [];
                        for (let i = 0; i < n; i++) {
                            a.push(new Array(n).fill(0));
                            for (let j = 0; j < n; j++) {
                                let sum = 0;
                                for (let k = 0; k < (rows <= cols ? cols : rows); k++) {
                                    sum += rows <= cols ? w(i, k) * w(j, k) : w(k, i) * w(k, j);
                                }
                                a[i][j] = sum;
                            }
                        }
                        return Math.sqrt(largestEigenvalue(a));
                    }
                    function euclidean(v) {
                        let sum = 0;
                        for (const e of v) {
                            sum += e * e;
                        }
                        return Math.sqrt(sum);
                    }
                    // per layer: ‖∂L/∂W_l‖_F, the growth from the last layer, and the γ bound of GrowthBounds
                    function layerRows() {
                        const norms = [null];
                        for (let l = 1; l <= layers; l++) {
                            let squares = 0;
                            for (let i = weightOffsets[l]; i < weightOffsets[l] + units[l] * units[l - 1]; i++) {
                                squares += g[i] * g[i];
                            }
                            norms.push(Math.sqrt(squares));
                        }
                        for (let l = 1; l <= layers; l++) {
                            const growth = norms[l] / norms[layers];
                            show('readout-norm-layer-' + l, norms[l]);
                            show('readout-growth-' + l, growth);
                            const word = Number.isNaN(growth) ? 'undefined' : growth < 1e-3 ? 'vanishing'
                                : growth > 1e3 ? 'exploding' : 'neither';
                            const cell = document.getElementById('readout-growth-' + l);
                            cell.textContent += ' (' + word + ')';
                            cell.dataset.regime = word;
                        }
                        if (!outputBound) {
                            return;
                        }
                        const spectral = [null];
                        for (let l = 1; l <= layers; l++) {
                            spectral.push(spectralNorm(l));
                        }
                        const bound = new Array(layers + 1).fill(0);
                        for (let s = 0; s < net.x.length; s++) {
                            const f = net.forward(p, net.x[s], net.y[s]);
                            const outputNorm = euclidean(f.dLdo);
                            let product = 1;
                            for (let l = layers; l >= 1; l--) {
                                product *= gamma[l];
                                bound[l] += outputNorm * euclidean(f.o[l - 1]) * product / net.x.length;
                                product *= spectral[l];
                            }
                        }
                        for (let l = 1; l <= layers; l++) {
                            show('readout-gamma-bound-' + l, bound[l]);
                            show('readout-gamma-attained-' + l, bound[l] > 0 && norms[l] >= bound[l] * (1 - 1e-12)
                                ? 'yes' : 'no');
                        }
                    }
                    // sample 1's forward pass, and for a wide network the chain-rule factors of ∂L/∂W1[0][0]
                    function forwardRows() {
                        const f = net.forward(p, net.x[0], net.y[0]);
                        for (let l = 1; l <= layers; l++) {
                            for (let j = 0; j < Math.min(units[l], forwardUnits); j++) {
                                show('readout-z-' + l + '-' + j, f.z[l - 1][j]);
                                show('readout-o-' + l + '-' + j, f.o[l][j]);
                            }
                        }
                        if (chain || !outputBound) {
                            return;
                        }
                        let back = Array.from(f.dLdo);
                        for (let l = layers; l >= 2; l--) {
                            const next = new Array(units[l - 1]).fill(0);
                            for (let j = 0; j < units[l]; j++) {
                                const delta = back[j] * f.dphi[l - 1][j];
                                for (let k = 0; k < units[l - 1]; k++) {
                                    next[k] += p[weightOffsets[l] + j * units[l - 1] + k] * delta;
                                }
                            }
                            back = next;
                        }
                        show('readout-wide-factor-output', back[0]);
                        show('readout-wide-factor-slope', f.dphi[0][0]);
                        show('readout-wide-factor-input', net.x[0][0]);
                    }
                    const base = Float64Array.from(net.parameters);
                    let scale = 1;
                    let onSweep = true;
                    function marker(norm) {
                        const chart = document.querySelector('svg.chainproof-sweep');
                        const area = chart && chart.querySelector('rect.plot-area');
                        if (!area) {
                            return;
                        }
                        const [xLo, xHi] = area.dataset.xDecades.split(' ').map(Number);
                        const [yLo, yHi] = area.dataset.yDecades.split(' ').map(Number);
                        const left = Number(area.getAttribute('x'));
                        const top = Number(area.getAttribute('y'));
                        const width = Number(area.getAttribute('width'));
                        const height = Number(area.getAttribute('height'));
                        let dot = chart.querySelector('circle.marker');
                        if (!dot) {
                            dot = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
                            dot.setAttribute('class', 'marker');
                            dot.setAttribute('r', '6');
                            dot.setAttribute('style', 'fill:#d9480f;stroke:#fff;stroke-width:2');
                            chart.appendChild(dot);
                        }
                        const fx = (Math.log10(scale) - xLo) / (xHi - xLo);
                        const fy = norm > 0 ? (Math.log10(norm) - yLo) / (yHi - yLo) : -Infinity;
                        const clip = v => Math.min(1, Math.max(0, v));
                        dot.setAttribute('cx', String(left + clip(fx) * width));
                        dot.setAttribute('cy', String(top + height - clip(fy) * height));
                        dot.dataset.scale = String(scale);
                        dot.dataset.value = String(norm);
                        dot.dataset.clipped = String(fx < 0 || fx > 1 || !(fy >= 0 && fy <= 1));
                        dot.dataset.onSweep = String(onSweep);
                        dot.style.opacity = onSweep ? '1' : '0.35';
                    }
                    function update() {
                        show('readout-loss', net.lossAndGradient(p, g));
                        let squares = 0;
                        for (const i of firstWeights) {
                            squares += g[i] * g[i];
                        }
                        const norm = Math.sqrt(squares);
                        show('readout-norm-1', norm);
                        marker(norm);
                        for (const i of shown) {
                            show('readout-gradient-' + i, g[i]);
                        }
                        layerRows();
                        forwardRows();
                        if (chain) {
                            let bound = 0;
                            let attained = true;
                            for (let s = 0; s < net.x.length; s++) {
                                const f = net.forward(p, net.x[s], net.y[s]);
                                let product = Math.abs(f.dLdo[0]) * Math.abs(net.x[s][0]);
                                for (let k = 1; k <= layers; k++) {
                                    product *= gamma[k] * (k >= 2 ? Math.abs(p[weightOffsets[k]]) : 1);
                                    attained = attained && Math.abs(f.dphi[k - 1][0]) === gamma[k];
                                }
                                bound += product / net.x.length;
                                if (s === 0) {
                                    show('readout-factor-output', f.dLdo[0]);
                                    for (let k = layers; k >= 2; k--) {
                                        show('readout-factor-' + k, f.dphi[k - 1][0] * p[weightOffsets[k]]);
                                    }
                                    show('readout-factor-1', f.dphi[0][0] * net.x[0][0]);
                                }
                            }
                            if (!fused) {
                                show('readout-bound', bound);
                                show('readout-attained', attained ? 'yes' : 'no');
                            }
                        }
                        panel.dataset.updates = String(Number(panel.dataset.updates) + 1);
                    }
                    const scaleInput = document.getElementById('scale-slider');
                    const weightSliders = Array.from(panel.querySelectorAll('input[type=range][data-index]'));
                    document.getElementById('scale-slider-value').textContent = format(scale);
                    scaleInput.addEventListener('input', () => {
                        scale = Math.pow(10, Number(scaleInput.value));
                        for (const i of scaled) {
                            p[i] = scale * base[i];
                        }
                        for (const input of weightSliders) {
                            const i = Number(input.dataset.index);
                            input.value = String(p[i]);
                            document.getElementById(input.id + '-value').textContent = format(p[i]);
                        }
                        onSweep = true;
                        document.getElementById('scale-slider-value').textContent = format(scale);
                        update();
                    });
                    for (const input of weightSliders) {
                        document.getElementById(input.id + '-value').textContent = format(p[Number(input.dataset.index)]);
                        input.addEventListener('input', () => {
                            const v = Number(input.value);
                            p[Number(input.dataset.index)] = v;
                            document.getElementById(input.id + '-value').textContent = format(v);
                            onSweep = false;
                            update();
                        });
                    }
                    // the sweep plots come after the panel: the first update waits for the whole page
                    if (document.readyState === 'loading') {
                        document.addEventListener('DOMContentLoaded', update);
                    } else {
                        update();
                    }
                })();
                """.formatted(DIGITS));
        return new Block.Interactive(html.toString(), script.toString(), Inline.of("A slider scales layer " + layer
                + "'s weights by s, moving a marker along the first sweep plot, and sliders for " + (chosen.isEmpty()
                ? "layer " + layer + "'s weights and biases" : String.join(", ", chosen)) + " recompute the loss, "
                + "the gradient" + (chain ? ", every chain-rule factor of ∂L/∂w1 and its γ bound" : "")
                + " in the page."));
    }

    private static String unitList(ComputationGraph graph) {
        StringBuilder s = new StringBuilder("[");
        for (int l = 0; l <= graph.layerCount(); l++) {
            s.append(l > 0 ? ", " : "").append(graph.units(l));
        }
        return s.append(']').toString();
    }

    private static void row(StringBuilder html, String id, String label) {
        html.append("<tr><td>").append(HtmlWriter.escape(label)).append("</td><td class=\"value\" id=\"").append(id)
                .append("\"></td></tr>\n");
    }

    private static String offsets(ComputationGraph graph, boolean weights) {
        StringBuilder s = new StringBuilder("[null");
        for (int l = 1; l <= graph.layerCount(); l++) {
            s.append(", ").append(weights ? graph.weightOffset(l) : graph.biasOffset(l));
        }
        return s.append(']').toString();
    }

    /** γ_k = sup|φ′| of every layer (softmax has none: the page shows no chain bound for it). */
    private static String gammas(ComputationGraph graph) {
        StringBuilder s = new StringBuilder("[null");
        for (int l = 1; l <= graph.layerCount(); l++) {
            Activation a = graph.layer(l).activation();
            s.append(", ").append(a == Activation.SOFTMAX ? "null" : Double.toString(DerivativeBounds.of(a).gamma()));
        }
        return s.append(']').toString();
    }
}
