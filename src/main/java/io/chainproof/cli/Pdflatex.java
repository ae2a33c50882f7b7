package io.chainproof.cli;

import io.chainproof.spec.SpecException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Typesets a LaTeX file that chainproof wrote into a PDF beside it, with {@code pdflatex} from the PATH. The PDF is
 * reproducible: the date it records is fixed ({@code SOURCE_DATE_EPOCH=0}, {@code FORCE_SOURCE_DATE=1}), so the same
 * source and TeX give the same bytes. The auxiliary and log files are removed unless typesetting fails, when the
 * log's first error line is reported.
 */
final class Pdflatex {

    private static final long TIMEOUT_SECONDS = 120;

    private Pdflatex() {
    }

    /**
     * @param tex  the LaTeX file; the PDF is written next to it
     * @param spec the spec the command was given, named in messages
     * @throws SpecException if pdflatex is not on the PATH, fails, or runs past two minutes
     */
    static void typeset(Path tex, Path spec) {
        Path dir = tex.toAbsolutePath().getParent();
        String base = tex.getFileName().toString().replaceFirst("\\.tex$", "");
        if (!onPath("pdflatex")) {
            throw new SpecException(spec.toString(), "--pdf", "pdflatex", "is not on the PATH",
                    "install TeX Live (Debian: texlive-latex-base), or leave --pdf out and typeset " + tex + " later");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                tex.getFileName().toString())).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SOURCE_DATE_EPOCH", "0");
        pb.environment().put("FORCE_SOURCE_DATE", "1");
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SpecException(spec.toString(), "--pdf", tex.toString(), "pdflatex ran past "
                        + TIMEOUT_SECONDS + " s", "typeset the file by hand: pdflatex " + tex);
            }
            Path log = dir.resolve(base + ".log");
            if (p.exitValue() != 0) {
                String first = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                        .filter(l -> l.startsWith("!")).findFirst().orElse("no error line in the log") : "no log";
                throw new SpecException(spec.toString(), "--pdf", tex.toString(), "pdflatex failed (" + first
                        + "; the log is " + log + ")", "report it; the .tex and .html are written");
            }
            for (String ext : List.of(".aux", ".log", ".out")) {
                Files.deleteIfExists(dir.resolve(base + ext));
            }
        } catch (IOException e) {
            throw new SpecException(spec.toString(), "--pdf", tex.toString(), "pdflatex could not run ("
                    + e.getMessage() + ")", "typeset the file by hand: pdflatex " + tex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpecException(spec.toString(), "--pdf", tex.toString(), "was interrupted", "run it again");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
