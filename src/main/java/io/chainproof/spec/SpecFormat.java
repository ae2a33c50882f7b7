package io.chainproof.spec;

import java.util.Locale;

/** The syntax of a spec file; both have the same keys. */
public enum SpecFormat {
    /** JSON, also accepting {@code NaN} and {@code Infinity} so that they fail as "not finite". */
    JSON,
    /** YAML 1.1 as read by SnakeYAML; {@code .nan} and {@code .inf} read as non-finite numbers. */
    YAML;

    /**
     * @param fileName a file name or path; the extension decides, ignoring case
     * @return JSON for {@code .json}, YAML for {@code .yaml} and {@code .yml}
     * @throws SpecException for any other extension
     */
    public static SpecFormat forFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return YAML;
        }
        throw new SpecException(fileName, "(file)", fileName, "has no spec extension",
                "name the file .json, .yaml or .yml");
    }
}
