package io.chainproof;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson {@link ObjectMapper} the renderers write JSON with, made on first use: building it loads some
 * five hundred classes, a fifth of a second that a command printing text should not pay. Thread-safe (an
 * ObjectMapper is, once configured).
 */
public final class Json {

    private Json() {
    }

    private static final class Holder {
        private static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * The shared mapper.
     *
     * @return the mapper, made on the first call
     */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
