package io.chainproof.render;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An outside program that some tests run, looked up by name in the directories of {@code PATH}, then in
 * {@code /usr/bin}. {@code -Dchainproof.toolPath=DIRS} (a list like {@code PATH}; empty for none) searches DIRS
 * instead of both, so the tests that need a tool can be run as on a machine without it ({@link MissingToolTests}
 * does). Tests look the tool up before each test, so without it each is reported by name, as skipped or failed,
 * with the message of {@link #notFound()}.
 */
public enum ExternalTool {

    /** TeX's pdflatex (Debian: {@code texlive-latex-base}). */
    PDFLATEX("pdflatex", List.of("pdflatex")),
    /** Chromium or Chrome, run headless (Debian: {@code chromium}). */
    CHROMIUM("Chromium", List.of("chromium", "chromium-browser", "google-chrome"));

    /** The system property that replaces the directories searched. */
    static final String SEARCH_PATH_PROPERTY = "chainproof.toolPath";

    private static final String SYSTEM_BIN = "/usr/bin";

    private final String label;
    private final List<String> names;

    ExternalTool(String label, List<String> names) {
        this.label = label;
        this.names = names;
    }

    /** The first executable of one of the tool's names, searching the directories in order. */
    public Optional<Path> find() {
        return directories().filter(dir -> !dir.isEmpty())
                .flatMap(dir -> names.stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** Why {@link #find()} is empty: the names looked for and where. */
    public String notFound() {
        String named = names.size() == 1 ? names.get(0) : "none of " + names;
        String where = System.getProperty(SEARCH_PATH_PROPERTY) != null
                ? "in -D" + SEARCH_PATH_PROPERTY + "=<" + System.getProperty(SEARCH_PATH_PROPERTY) + ">"
                : "on the PATH or in " + SYSTEM_BIN;
        return label + " is missing: " + named + (names.size() == 1 ? " is not " : " is ") + where;
    }

    private static Stream<String> directories() {
        String searchPath = System.getProperty(SEARCH_PATH_PROPERTY);
        if (searchPath != null) {
            return Stream.of(searchPath.split(File.pathSeparator));
        }
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                Stream.of(SYSTEM_BIN));
    }
}
