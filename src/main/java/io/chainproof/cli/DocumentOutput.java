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
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(spec.toString(), "--output", output.toString(), "cannot be written ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", "give a writable file path");
        }
    }
}
