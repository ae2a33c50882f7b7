package io.chainproof.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A valid document made hostile by {@link DocumentMutator}: what it was made from, how, and the bytes of the file.
 *
 * @param seed      the name of the valid document it was made from
 * @param format    the syntax of the file (its extension)
 * @param mutations what was done to it, in order
 * @param bytes     the file's content; copied in and out
 */
public record MutatedDocument(String seed, SpecFormat format, List<String> mutations, byte[] bytes) {

    /** Characters of the text shown when a property fails. */
    static final int SHOWN = 600;

    /** Copies the mutations and the bytes. */
    public MutatedDocument {
        mutations = List.copyOf(mutations);
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the file name extension of the format: {@code .json} or {@code .yaml} */
    public String extension() {
        return format == SpecFormat.JSON ? ".json" : ".yaml";
    }

    /** @return the seed, the format, the mutations and the start of the text, for a failure message */
    public String describe() {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String shown = text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "... (" + text.length() + " chars)";
        return "seed " + seed + " as " + format + ", mutations " + mutations + ":\n" + SpecException.printable(shown);
    }

    @Override
    public String toString() {
        return seed + " " + format + " " + mutations;
    }
}
