package io.chainproof.render;

import io.chainproof.ChainproofException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KaTeX's stylesheet, script and licence, read once from the {@code org.webjars.npm:katex} jar on the
 * classpath and made self-contained for {@link HtmlWriter}: every {@code @font-face} keeps only its WOFF2
 * source, inlined as a {@code data:font/woff2;base64,…} URI, so a page opens with no network access.
 * Instances are immutable.
 *
 * @param css     {@code katex.min.css} with the fonts inlined
 * @param script  {@code katex.min.js}
 * @param license KaTeX's licence notice (MIT)
 */
record KatexAssets(String css, String script, String license) {

    /** The KaTeX version the pom declares; the resources live under its directory. */
    static final String VERSION = "0.16.47";

    private static final String ROOT = "META-INF/resources/webjars/katex/" + VERSION + "/";

    /**
     * One {@code @font-face} source list as KaTeX writes it: the WOFF2 file first, then WOFF and TrueType
     * alternatives, e.g. {@code url(fonts/KaTeX_Main-Bold.woff2) format("woff2"),url(fonts/KaTeX_Main-Bold.woff)
     * format("woff"),url(fonts/KaTeX_Main-Bold.ttf) format("truetype")}.
     */
    private static final Pattern FONT_SOURCES = Pattern.compile(
            "url\\(fonts/([A-Za-z0-9_-]+\\.woff2)\\) format\\(\"woff2\"\\)(?:,url\\(fonts/[^)]+\\) format\\(\"[a-z]+\"\\))*");

    /** Loaded on first use, then shared. */
    private static final class Loaded {
        static final KatexAssets INSTANCE = load(KatexAssets.class.getClassLoader());
    }

    /**
     * The assets from this class's class loader, loaded once.
     *
     * @throws ChainproofException if the KaTeX jar is not on the classpath
     */
    static KatexAssets get() {
        return Loaded.INSTANCE;
    }

    /**
     * Reads and inlines the assets from {@code loader}.
     *
     * @throws ChainproofException if a resource is missing or KaTeX's stylesheet has an unexpected form
     */
    static KatexAssets load(ClassLoader loader) {
        String css = inlineFonts(text(loader, "dist/katex.min.css"), loader);
        String script = text(loader, "dist/katex.min.js");
        if (script.toLowerCase(Locale.ROOT).contains("</script")) {
            throw new ChainproofException("KaTeX resource <" + ROOT + "dist/katex.min.js> contains </script and "
                    + "cannot be inlined in an HTML page; use the KaTeX version the pom declares (" + VERSION + ")");
        }
        return new KatexAssets(css, script, text(loader, "LICENSE"));
    }

    private static String inlineFonts(String css, ClassLoader loader) {
        Matcher m = FONT_SOURCES.matcher(css);
        StringBuilder out = new StringBuilder(css.length() * 16);
        while (m.find()) {
            String font = Base64.getEncoder().encodeToString(bytes(loader, "dist/fonts/" + m.group(1)));
            m.appendReplacement(out, Matcher.quoteReplacement(
                    "url(\"data:font/woff2;base64," + font + "\") format(\"woff2\")"));
        }
        m.appendTail(out);
        String inlined = out.toString();
        int left = inlined.indexOf("url(fonts/");
        if (left >= 0) {
            throw new ChainproofException("KaTeX resource <" + ROOT + "dist/katex.min.css> has a font source <"
                    + inlined.substring(left, Math.min(inlined.length(), left + 60)) + "…> that is not of the form "
                    + "url(fonts/NAME.woff2) format(\"woff2\"),…; use the KaTeX version the pom declares (" + VERSION
                    + ")");
        }
        return inlined;
    }

    private static String text(ClassLoader loader, String name) {
        return new String(bytes(loader, name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ClassLoader loader, String name) {
        String path = ROOT + name;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new ChainproofException("KaTeX resource <" + path + "> is not on the classpath; HTML output "
                        + "needs the dependency org.webjars.npm:katex:" + VERSION + " (declared in pom.xml and "
                        + "shaded into chainproof.jar): rebuild with mvn -B package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ChainproofException("KaTeX resource <" + path + "> cannot be read (" + e.getMessage()
                    + "); check that the chainproof jar is intact", e);
        }
    }
}
