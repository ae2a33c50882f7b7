package io.chainproof.render;

import io.chainproof.spec.LayeredSpec;

import java.util.Arrays;
import java.util.List;

/**
 * A layered model as an SVG picture, read from top (input) to bottom (loss): one box per layer naming its type, its
 * output shape per sample and its parameters; a residual block is a frame around its layers with the identity path
 * drawn beside them, rejoining at the sum ⊕. Self-contained (no scripts, no external fonts), so it works in the
 * offline HTML page.
 */
final class LayerPicture {

    private static final int WIDTH = 460;
    private static final int BOX_HEIGHT = 34;
    private static final int GAP = 18;
    private static final int INDENT = 26;

    private final StringBuilder body = new StringBuilder();
    private final LayeredSpec spec;
    private double y = 10;

    private LayerPicture(LayeredSpec spec) {
        this.spec = spec;
    }

    /**
     * @param spec the model
     * @return the picture, an {@code <svg>} element
     */
    static String svg(LayeredSpec spec) {
        return new LayerPicture(spec).render();
    }

    private String render() {
        box(20, WIDTH - 40, "input", Arrays.toString(spec.inputShape()) + " per sample × " + spec.samples(), false);
        int[] shape = spec.inputShape();
        shape = layers(spec.layers(), shape, 20, WIDTH - 40);
        box(20, WIDTH - 40, "loss: " + spec.loss().specName(), "mean over the " + spec.samples() + " samples", true);
        double height = y + 6;
        return "<svg xmlns=\"" + SvgMarkup.NAMESPACE + "\" id=\"layer-picture\" width=\"" + WIDTH + "\" height=\""
                + SvgMarkup.num(height) + "\" viewBox=\"0 0 " + WIDTH + " " + SvgMarkup.num(height)
                + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                + "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"4\" refY=\"4\" "
                + "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#555\"/></marker></defs>\n" + body + "</svg>";
    }

    /** Draws the layers in order from {@code x}, {@code width} wide; returns the shape after them. */
    private int[] layers(List<LayeredSpec.Layer> layers, int[] shape, double x, double width) {
        for (LayeredSpec.Layer layer : layers) {
            if (layer instanceof LayeredSpec.Residual r) {
                double frameTop = y - GAP / 2.0 + 4;
                y += 16;
                layers(r.layers(), shape, x + INDENT, width - 2 * INDENT);
                double sumY = y + GAP / 2.0 + 9;
                // the frame, the identity path beside the block, and the sum
                body.append("<rect x=\"").append(SvgMarkup.num(x + 6)).append("\" y=\"").append(SvgMarkup.num(frameTop))
                        .append("\" width=\"").append(SvgMarkup.num(width - 12)).append("\" height=\"")
                        .append(SvgMarkup.num(sumY - frameTop + 12)).append("\" rx=\"8\" fill=\"none\" stroke=\"#7a8aa0\" ")
                        .append("stroke-dasharray=\"5,3\"/>\n");
                body.append("<text x=\"").append(SvgMarkup.num(x + 12)).append("\" y=\"").append(SvgMarkup.num(frameTop + 12))
                        .append("\" fill=\"#4a5a70\" font-size=\"10\">").append(SvgMarkup.escape("residual block "
                                + r.position() + ": x + F(x)")).append("</text>\n");
                double side = x + width - 14;
                body.append("<path d=\"M").append(SvgMarkup.num(side)).append(',').append(SvgMarkup.num(frameTop + 4))
                        .append(" L").append(SvgMarkup.num(side)).append(',').append(SvgMarkup.num(sumY))
                        .append(" L").append(SvgMarkup.num(x + width / 2 + 12)).append(',').append(SvgMarkup.num(sumY))
                        .append("\" fill=\"none\" stroke=\"#2a7a3a\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n");
                body.append("<text x=\"").append(SvgMarkup.num(side - 4)).append("\" y=\"").append(SvgMarkup.num(frameTop + 26))
                        .append("\" fill=\"#2a7a3a\" font-size=\"10\" text-anchor=\"end\">identity</text>\n");
                body.append("<circle cx=\"").append(SvgMarkup.num(x + width / 2)).append("\" cy=\"").append(SvgMarkup.num(sumY))
                        .append("\" r=\"9\" fill=\"#fff\" stroke=\"#555\"/>\n");
                body.append("<text x=\"").append(SvgMarkup.num(x + width / 2)).append("\" y=\"").append(SvgMarkup.num(sumY + 4))
                        .append("\" text-anchor=\"middle\">+</text>\n");
                y = sumY + 12 + GAP;
                if (r.activation() != io.chainproof.ops.Activation.IDENTITY) {
                    box(x, width, r.activation().specName(), "after the sum", false);
                }
            } else {
                int[] out = LayeredSpec.shapeAfter(layer, shape);
                String title = layer.position() + "  " + layer.type()
                        + (layer.activation() == io.chainproof.ops.Activation.IDENTITY ? "" : " → " + layer.activation().specName());
                box(x, width, title, Arrays.toString(out) + parameters(layer.position()), false);
                shape = out;
            }
        }
        return shape;
    }

    private String parameters(String position) {
        StringBuilder s = new StringBuilder();
        spec.parameters().forEach((name, w) -> {
            if (name.replaceFirst(io.chainproof.spec.LayeredSpec.OWNER_PREFIX, "").equals(position)) {
                s.append(s.length() == 0 ? "   " : ", ").append(name).append(' ').append(Arrays.toString(w.shape()));
            }
        });
        return s.toString();
    }

    private void box(double x, double width, String title, String detail, boolean last) {
        if (y > 12) {
            body.append("<line x1=\"").append(SvgMarkup.num(x + width / 2)).append("\" y1=\"").append(SvgMarkup.num(y - GAP + 2))
                    .append("\" x2=\"").append(SvgMarkup.num(x + width / 2)).append("\" y2=\"").append(SvgMarkup.num(y - 2))
                    .append("\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n");
        }
        body.append("<rect x=\"").append(SvgMarkup.num(x)).append("\" y=\"").append(SvgMarkup.num(y)).append("\" width=\"")
                .append(SvgMarkup.num(width)).append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"4\" fill=\"")
                .append(last ? "#f3e8e8" : "#eef2f8").append("\" stroke=\"#7a8aa0\"/>\n");
        body.append("<text x=\"").append(SvgMarkup.num(x + 8)).append("\" y=\"").append(SvgMarkup.num(y + 14))
                .append("\" font-weight=\"bold\">").append(SvgMarkup.escape(title)).append("</text>\n");
        body.append("<text x=\"").append(SvgMarkup.num(x + 8)).append("\" y=\"").append(SvgMarkup.num(y + 28))
                .append("\" font-size=\"10\" fill=\"#333\">").append(SvgMarkup.escape(detail)).append("</text>\n");
        y += BOX_HEIGHT + GAP;
    }
}
