package io.chainproof.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that derive nothing new do not start Symja (its classes alone cost seconds): {@code gradient} (of an MLP
 * and of an LSTM walked as an op graph), {@code verify} and {@code bound} each run in a fresh JVM that must load no
 * {@code org.matheclipse} class; so must {@code derive}, which proves by composing the bundled Symja-derived op rules,
 * while {@code derive --symja} (Symja's D of the whole loss) does load it. ({@code check} takes {@code verify}'s path.)
 */
class ColdStartTests {

    private static String classesLoaded(String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new java.util.ArrayList<>(List.of(java, "-verbose:class", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command finished");
        assertEquals(0, p.exitValue(), out.lines().filter(l -> !l.startsWith("[")).toList().toString());
        return out;
    }

    @Test
    void commands_that_derive_nothing_new_load_no_symja_class() throws Exception {
        for (String[] args : List.of(new String[] {"gradient", CliTests.LECTURE},
                new String[] {"verify", "examples/mlp-2-3-2-1.json", "--gradients",
                        "examples/claimed/mlp-2-3-2-1.torch.json", "--quiet"},
                new String[] {"bound", CliTests.LECTURE},
                new String[] {"gradient", "examples/lstm-language-model.json"})) {
            String log = classesLoaded(args);
            assertTrue(log.contains("io.chainproof.cli.Main"), "class loading is logged");
            assertTrue(log.lines().noneMatch(l -> l.contains("org.matheclipse")), String.join(" ", args)
                    + " loaded Symja");
        }
        String derive = classesLoaded("derive", CliTests.LECTURE, "--parameter", "W3[0][0]");
        assertTrue(derive.contains("proved by composition"), "derive proves by composing the bundled local rules");
        assertTrue(derive.lines().noneMatch(l -> l.contains("org.matheclipse")), "derive loaded Symja");
        assertTrue(classesLoaded("derive", CliTests.LECTURE, "--parameter", "W3[0][0]", "--symja").contains("org.matheclipse"),
                "derive --symja proves with Symja");
    }
}
