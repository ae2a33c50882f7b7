package io.chainproof.cli;

import io.chainproof.ChainproofException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code chainproof} command line: {@code java -jar chainproof.jar <command> …}.
 *
 * <p>Exit codes: 0 success (every check passed), 1 a check found a wrong gradient, 2 bad input — the
 * message names the file, the field, the value, the rule and a fix, with no stack trace unless
 * {@code --debug}.
 */
@Command(name = "chainproof", mixinStandardHelpOptions = true, version = "chainproof 0.1.0",
        header = "Symbolic and numeric verification of neural-network gradients.",
        description = "Derives the chain-rule gradient of a network's loss with a symbolic engine, compiles it, "
                + "and checks it against finite differences.",
        subcommands = {GradientCommand.class, CheckCommand.class, VerifyCommand.class, DeriveCommand.class, ExplainCommand.class, BoundCommand.class, SweepCommand.class, CompareCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success; every check passed", "1:a check found a wrong gradient",
                "2:bad input (the message says what and where)", "3:internal error (please report it)"})
public final class Main {

    /** Commands that compile a network: the compiler starts warming while their spec is read. */
    private static final java.util.Set<String> COMPILING = java.util.Set.of("gradient", "check", "verify", "bound",
            "sweep", "explain", "derive");

    /** Exit code: a check found a wrong gradient. */
    public static final int CHECK_FAILED = 1;
    /** Exit code: bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code: a bug in chainproof. */
    public static final int INTERNAL_ERROR = 3;

    /**
     * Runs the command line and exits with its code: 0 passed, 1 check failed, 2 bad input, 3 internal error.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        if (args.length > 0 && COMPILING.contains(args[0])) {
            io.chainproof.numeric.NetworkCompiler.warmUpInBackground();
        }
        System.exit(execute(commandLine(), args, System.err));
    }

    /**
     * Runs a command line with the last-resort handler: a command that runs out of heap or stack (which the readers'
     * limits should prevent) ends with one line on {@code err} and exit code 3, not a stack trace.
     *
     * @param cl   the command line
     * @param args its arguments
     * @param err  where the one line goes
     * @return the exit code
     */
    static int execute(CommandLine cl, String[] args, java.io.PrintStream err) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("chainproof: internal error: out of memory (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB of heap) although the input passed the size limits; give Java more heap, e.g. java -Xmx4g "
                    + "-jar chainproof.jar, and please report the input");
        } catch (StackOverflowError e) {
            err.println("chainproof: internal error: the stack overflowed (an input nested too deeply that the "
                    + "readers did not refuse); please report the input");
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    /**
     * The configured command line, with chainproof's error handling; used by {@link #main} and tests.
     *
     * @return a new command line; not yet executed
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        return cl;
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = isDebug(parsed);
        if (e instanceof ChainproofException) {
            err.println("chainproof: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return ((ChainproofException) e).exitCode();
        }
        err.println("chainproof: internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("chainproof: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cl.usage(err);
        }
        err.flush();
        return BAD_INPUT;
    }

    private static boolean isDebug(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed;
        while (sub != null) {
            if (sub.hasMatchedOption("--debug")) {
                return true;
            }
            sub = sub.subcommand();
        }
        return false;
    }
}
