package io.chainproof.cli;

import io.chainproof.render.Document;
import io.chainproof.render.HtmlWriter;
import io.chainproof.render.LatexWriter;
import io.chainproof.render.MarkdownWriter;
import io.chainproof.render.TextWriter;
import io.chainproof.spec.SpecException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --format} and {@code --output} options of the commands that write a {@link Document}. */
final class DocumentOutput {

    /** The document formats. */
    enum Format { text, markdown, latex, html }

    @Option(names = "--format", defaultValue = "text",
            description = "text, markdown ($…$ math), latex (standalone, pdflatex) or html (self-contained, "
                    + "KaTeX bundled; default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    /** Writes {@code document} in the chosen format to the output file, or to {@code out}. */
    void write(Document document, PrintWriter out, Path spec) {
        String text = switch (format) {
            case text -> TextWriter.write(document);
            case markdown -> MarkdownWriter.write(document);
            case latex -> LatexWriter.write(document);
            case html -> HtmlWriter.write(document);
        };
        if (output == null) {
            out.print(text);
            out.flush();
            return;
        }
        writeFile(output, text, spec, "--output", "give a writable file path");
    }

    /**
     * Writes {@code text} to {@code file} as UTF-8, creating its folder.
     *
     * @param file   the file
     * @param text   its content
     * @param spec   the spec the command was given, named in the message
     * @param option the option that named the file, e.g. {@code --output}
     * @param fix    what the user can do when the file cannot be written
     * @throws SpecException if the file cannot be written
     */
    static void writeFile(Path file, String text, Path spec, String option, String fix) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(spec.toString(), option, file.toString(), "cannot be written ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", fix);
        }
    }
}
