package io.chainproof.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chainproof.check.LossFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Renders a loss and its gradient: as text (one parameter per line, with the lecture's notation) or as
 * the JSON contract of DESIGN.md, {@code {"loss": L, "gradients": {"W1": [[…]], "b1": […], …}}}, which
 * mirrors the parameters exactly like PyTorch's {@code {name: p.grad}}. Numbers are printed round-trip
 * exact ({@link Double#toString}).
 */
public final class GradientRenderer {


    private GradientRenderer() {
    }



    /**
     * One JSON object on one line, for any model.
     *
     * @param function the model's loss, for parameter names and layout
     * @param loss     the loss at the spec's point
     * @param gradient the gradient there, layout order
     * @return {@code {"loss": …, "gradients": {name: tensor, …}}}, without a trailing newline
     */
    public static String json(LossFunction function, double loss, double[] gradient) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("loss", loss);
        root.put("gradients", function.tensors(gradient));
        try {
            return io.chainproof.Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write gradient JSON", ex);
        }
    }

    /**
     * A readable listing for any model: header, loss, then {@code ∂L/∂name  notation  value} per parameter (the
     * notation column only where the model has the lecture's notation).
     *
     * @param function the model's loss, for parameter names and notation
     * @param loss     the loss at the spec's point
     * @param gradient the gradient there, layout order
     * @return the listing, lines ending in {@code \n}
     */
    public static String text(LossFunction function, double loss, double[] gradient) {
        StringBuilder s = new StringBuilder();
        s.append(function.name()).append(" (").append(function.source()).append(")\n");
        s.append("loss = ").append(loss).append("\n");
        List<String> names = function.parameterNames();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        int notationWidth = IntStream.range(0, names.size()).map(i -> function.notation(i).length()).max().orElse(0);
        for (int i = 0; i < names.size(); i++) {
            s.append("  ∂L/∂").append(pad(names.get(i), width));
            if (notationWidth > 0) {
                s.append("  ").append(pad(function.notation(i), notationWidth));
            }
            s.append("  ").append(gradient[i]).append("\n");
        }
        return s.toString();
    }


    static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
