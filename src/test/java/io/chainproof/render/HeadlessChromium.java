package io.chainproof.render;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens a local HTML page in headless Chromium, with the network unused, and reports what the page's scripts
 * left in the DOM. Each call runs the browser twice, once with {@code --dump-dom} and once with
 * {@code --screenshot}, each with a fresh profile directory that is deleted afterwards and a
 * {@value #TIMEOUT_SECONDS}-second limit.
 *
 * <p>Chromium is found from {@code -Dchainproof.chromium=PATH}, else as {@link ExternalTool#CHROMIUM}
 * ({@code chromium}, {@code chromium-browser} or {@code google-chrome} on the {@code PATH} or in {@code /usr/bin}).
 * If none exists the calling test fails, saying how to install it, unless {@code -Dchainproof.skipBrowser=true}
 * is set, in which case it is skipped. Tests call {@link #locate()} before each test, so either way each test
 * is reported by name.
 */
public final class HeadlessChromium {

    /** The limit on one browser run, in seconds. */
    public static final int TIMEOUT_SECONDS = 90;

    private static final String INSTALL = "install it with `apt-get install chromium` (.ci/run installs it), "
            + "or name it with -Dchainproof.chromium=PATH, or skip browser tests with -Dchainproof.skipBrowser=true";
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--virtual-time-budget=10000");
    private static final Pattern RENDERED = Pattern.compile("data-katex-rendered=\"(\\d+)\"");
    private static final Pattern ERRORS = Pattern.compile("data-katex-errors=\"(\\d+)\"");
    private static final Pattern KATEX = Pattern.compile("class=\"katex\"");
    private static final Pattern KATEX_ERROR = Pattern.compile("class=\"(?:[^\"]*\\s)?katex-error(?:\\s[^\"]*)?\"");
    private static final Pattern SVG = Pattern.compile("<svg[\\s>]");

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /**
     * What a page showed after its scripts ran.
     *
     * @param dom                the serialized DOM ({@code --dump-dom})
     * @param katexRendered      {@code <body data-katex-rendered>}, empty if the typesetting script did not finish
     * @param katexErrors        {@code <body data-katex-errors>}, empty if the typesetting script did not finish
     * @param katexElements      elements with {@code class="katex"}: one per typeset formula
     * @param katexErrorElements elements with class {@code katex-error}: one per formula KaTeX rejected
     * @param svgElements        {@code <svg>} elements (figures and KaTeX's own)
     */
    public record RenderedPage(String dom, OptionalInt katexRendered, OptionalInt katexErrors, int katexElements,
                               int katexErrorElements, int svgElements) {

        static RenderedPage of(String dom) {
            return new RenderedPage(dom, attribute(RENDERED, dom), attribute(ERRORS, dom), count(KATEX, dom),
                    count(KATEX_ERROR, dom), count(SVG, dom));
        }

        private static OptionalInt attribute(Pattern pattern, String dom) {
            Matcher m = pattern.matcher(dom);
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        }

        private static int count(Pattern pattern, String dom) {
            return (int) pattern.matcher(dom).results().count();
        }
    }

    /**
     * The Chromium to use. Fails the calling test if there is none (or skips it under
     * {@code -Dchainproof.skipBrowser=true}).
     */
    public static HeadlessChromium locate() {
        String named = System.getProperty("chainproof.chromium");
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            if (!Files.isExecutable(path)) {
                Assertions.fail("-Dchainproof.chromium=<" + named + "> is not an executable file; " + INSTALL);
            }
            return new HeadlessChromium(path);
        }
        Optional<Path> found = ExternalTool.CHROMIUM.find();
        if (found.isPresent()) {
            return new HeadlessChromium(found.get());
        }
        String message = ExternalTool.CHROMIUM.notFound() + "; it is needed to check that HTML reports typeset "
                + "their formulas; " + INSTALL;
        if (Boolean.getBoolean("chainproof.skipBrowser")) {
            Assumptions.abort(message);
        }
        return Assertions.fail(message);
    }

    /** The browser executable. */
    public Path executable() {
        return executable;
    }

    /**
     * Opens {@code html}, returns its DOM after the scripts ran and saves a 1280×2400 screenshot.
     *
     * @param html       a local HTML file
     * @param screenshot where to write the PNG
     */
    public RenderedPage open(Path html, Path screenshot) {
        String url = html.toAbsolutePath().toUri().toString();
        String dom = run(List.of("--dump-dom", url), "--dump-dom " + html);
        Path png = screenshot.toAbsolutePath();
        run(List.of("--screenshot=" + png, "--window-size=1280,2400", url), "--screenshot " + html);
        if (!Files.isRegularFile(png)) {
            Assertions.fail("Chromium exited normally but wrote no screenshot <" + png + ">");
        }
        return RenderedPage.of(dom);
    }

    /**
     * Opens {@code html} and returns its DOM after the scripts ran, without a screenshot: for pages that compute
     * something and write it into the document.
     *
     * @param html a local HTML file
     * @return the serialised DOM
     */
    public String dom(Path html) {
        return run(List.of("--dump-dom", html.toAbsolutePath().toUri().toString()), "--dump-dom " + html);
    }

    /** Runs the browser once with a fresh profile; returns its standard output. */
    private String run(List<String> arguments, String what) {
        Path work = temporaryDirectory();
        try {
            Path profile = Files.createDirectory(work.resolve("profile"));
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            List<String> command = new ArrayList<>();
            command.add(executable.toString());
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return Assertions.fail("Chromium (" + what + ") did not finish within " + TIMEOUT_SECONDS
                        + " s and was killed; the end of its stderr:\n" + tail(err));
            }
            if (process.exitValue() != 0) {
                return Assertions.fail("Chromium (" + what + ") exited with " + process.exitValue()
                        + "; the end of its stderr:\n" + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable + " (" + what + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Chromium ran (" + what + ")", e);
        } finally {
            delete(work);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("chainproof-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Chromium profile directory", e);
        }
    }

    private static String tail(Path err) {
        try {
            String text = Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
            return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Deletes the profile; Chromium's helper processes may still be closing files, so a few attempts are made.
     */
    private static void delete(Path dir) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
