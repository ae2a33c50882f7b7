package io.chainproof.cli;

import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {

    @Option(names = "--debug", description = "Print stack traces for errors.")
    boolean debug;
}
