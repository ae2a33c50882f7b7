package io.chainproof.cli;

import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {

    @Option(names = "--debug", description = "Print stack traces for errors.")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--max-parameters", paramLabel = "N", description = "Refuse a spec whose model has more than N "
            + "parameters, from its shapes before anything is allocated (default: what the heap holds).")
    Long maxParameters;
}
