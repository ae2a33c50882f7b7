package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;
import java.util.Objects;

/**
 * Inline content of a {@link Block}: plain words, a formula, or code. Writers escape text for their
 * format; formulas are written as Unicode text or as LaTeX math ({@code $…$} in Markdown, KaTeX in HTML).
 */
public sealed interface Inline permits Inline.Text, Inline.Math, Inline.Code {

    /** Plain words, escaped by each writer. */
    record Text(String text) implements Inline {
        /**
         * Rejects null text.
         *
         * @param text the words, unescaped
         */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An inline formula. */
    record Math(Formula formula) implements Inline {
        /**
         * Rejects a null formula.
         *
         * @param formula the formula, in text and LaTeX
         */
        public Math {
            Objects.requireNonNull(formula, "formula");
        }
    }

    /** Code or a name from a file, e.g. {@code W1[0][0]}, shown in a fixed-width font. */
    record Code(String text) implements Inline {
        /**
         * Rejects null text.
         *
         * @param text the code, unescaped
         */
        public Code {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Plain words.
     *
     * @param text the words, unescaped
     * @return a {@link Text}
     */
    static Inline text(String text) {
        return new Text(text);
    }

    /**
     * An inline formula.
     *
     * @param formula the formula, in text and LaTeX
     * @return a {@link Math}
     */
    static Inline math(Formula formula) {
        return new Math(formula);
    }

    /**
     * Code in a fixed-width font.
     *
     * @param text the code, unescaped
     * @return a {@link Code}
     */
    static Inline code(String text) {
        return new Code(text);
    }

    /**
     * A run of inline content from words, formulas and inlines, in order.
     *
     * @param parts strings (words), {@link Formula}s, {@link Inline}s and lists of them (spliced in)
     * @return the inlines, in order
     */
    static List<Inline> of(Object... parts) {
        return java.util.Arrays.stream(parts).flatMap(p -> p instanceof List<?> run ? run.stream() : java.util.stream.Stream.of(p))
                .map(p -> {
                    if (p instanceof Inline i) {
                        return i;
                    }
                    if (p instanceof Formula f) {
                        return (Inline) new Math(f);
                    }
                    if (p instanceof String s) {
                        return (Inline) new Text(s);
                    }
                    throw new IllegalArgumentException("Inline part <" + p + "> is not a String, Formula, Inline or a "
                            + "list of them");
                }).toList();
    }
}
