package io.chainproof.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The spec files and output format shared by commands that take several specs. */
final class SpecFiles {

    @Option(names = "--format", defaultValue = "text", description = "text or json: one line per spec, in order "
            + "(JSON Lines); a spec that fails gives {\"file\": …, \"error\": …} in its place (default: "
            + "${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "Network spec files (.json, .yaml, .yml).")
    List<Path> specs;

    boolean json() {
        return format == OutputFormat.json;
    }
}
