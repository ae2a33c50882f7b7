package io.chainproof.render;

import java.util.List;
import java.util.Objects;

/**
 * A format-neutral document: a title and {@link Block}s. {@code TextWriter}, {@code MarkdownWriter},
 * {@code LatexWriter} and {@code HtmlWriter} turn the same document into each format. Instances are
 * immutable.
 *
 * @param title  the title, plain words
 * @param blocks the content, in order
 */
public record Document(String title, List<Block> blocks) {

    /**
     * Validates the components.
     *
     * @param title the title, plain words
     * @param blocks the content, in order
     */
    public Document {
        Objects.requireNonNull(title, "title");
        blocks = List.copyOf(blocks);
    }
}
