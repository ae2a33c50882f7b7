package io.chainproof.spec;


import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits of a document's text that no tree can express: truncation, a whole other content, garbage bytes (not UTF-8),
 * a stray character, a duplicated key, nesting far past the limit, numbers in every syntax a parser might meet, and
 * YAML's aliases ("billion laughs"), anchors, tags, tabs and documents.
 */
final class TextMutator {

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.\"])-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?(?![\\w\"])");
    private static final Pattern JSON_KEY = Pattern.compile("\"([^\"\\\\]{1,40})\"\\s*:");
    private static final Pattern YAML_KEY = Pattern.compile("(?m)^( *)(- )?([A-Za-z_][\\w]*):");
    private static final String[] WHOLE = {"", "   \n", "\uFEFF", "null", "[]", "{}", "\"spec\"", "42", "---\n", "...\n",
            "~", "!!binary aGVsbG8=", "%YAML 1.2\n---\n{}", "\uFEFF{}", "{\"type\": \"formula\"}", "[{}]"};
    private static final String[] CHARACTERS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\t", "\n", "#",
            "&", "*", "!", "|", ">", "-", "?", "%", "@", "`", "'", "\u00e9", "\uFFFD", "\u2028", "\uD800", " "};
    private static final String[] JSON_NUMBERS = {"1e400", "-1e400", "1" + "0".repeat(400), "9".repeat(1001), "NaN",
            "Infinity", "-Infinity", "+1", "01", ".5", "0x1F", "1_000", "1e99999999999", "-0", "1.", "1e", "4.9e-325",
            "1E+308", "2.2250738585072011e-308", "-", "1e-99999999999", "18446744073709551616", "0.0000000000000000001"};
    private static final String[] YAML_NUMBERS = {".nan", ".inf", "-.inf", ".NaN", "0o17", "0b101", "1_000", "0x1F",
            "1:20", "~", "yes", "no", "on", "off", "1e400", "1.0e400", "-1.0e+400", "9".repeat(1001), "0.", "+.5",
            "!!int 3", "!!float 1", "!!str 1", "!!bool true", "&n 2"};
    private static final String[] YAML_ROOT_LINES = {
            "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                    + "a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
                    + "a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n"
                    + "a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n"
                    + "a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n"
                    + "a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n"
                    + "a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n"
                    + "a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n"
                    + "a8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]\n",
            "x: !!python/object/apply:os.system [\"ls\"]\n", "x: !!javax.script.ScriptEngineManager [1]\n",
            "x: !<tag:yaml.org,2002:str> 1\n", "? [a, b]\n: 1\n", "<<: {loss: mse}\n", "\tx: 1\n", "x: |\n  text\n",
            "x: \"unterminated\n", "%TAG ! tag:example.com,2000:\n", "&anchor x: 1\n", "*alias : 1\n",
            "x: &a {b: *a}\n", "...\n", "---\n", "x: !!binary aGVsbG8=\n", "x: !!set {a, b}\n", "x: !!omap [a: 1]\n"};

    private TextMutator() {
    }

    /** One edit of the text. */
    static byte[] edit(String text, SpecFormat format, Random r, List<String> done) {
        boolean yaml = format == SpecFormat.YAML;
        switch (r.nextInt(yaml ? 10 : 9)) {
            case 0 -> {
                int at = r.nextInt(text.length() + 1);
                done.add("truncate at " + at);
                return utf8(text.substring(0, at));
            }
            case 1 -> {
                String whole = WHOLE[r.nextInt(WHOLE.length)];
                done.add("whole text " + SpecException.printable(whole));
                return utf8(whole);
            }
            case 2 -> {
                byte[] garbage = new byte[1 + r.nextInt(64)];
                r.nextBytes(garbage);
                byte[] original = utf8(text);
                int at = r.nextBoolean() ? 0 : r.nextInt(original.length + 1);
                byte[] out = new byte[original.length + garbage.length];
                System.arraycopy(original, 0, out, 0, at);
                System.arraycopy(garbage, 0, out, at, garbage.length);
                System.arraycopy(original, at, out, at + garbage.length, original.length - at);
                done.add(garbage.length + " garbage bytes at " + at);
                return r.nextInt(8) == 0 ? garbage : out;
            }
            case 3 -> {
                String c = CHARACTERS[r.nextInt(CHARACTERS.length)];
                int at = r.nextInt(text.length() + 1);
                done.add("insert " + SpecException.printable(c) + " at " + at);
                return utf8(text.substring(0, at) + c + text.substring(at));
            }
            case 4 -> {
                return utf8(duplicateKey(text, yaml, r, done));
            }
            case 5 -> {
                int depth = new int[] {SpecReader.MAX_NESTING + 1, 1000, 100_000}[r.nextInt(3)];
                String deep = r.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
                done.add("nest " + depth + " levels");
                return utf8(replaceNumber(text, deep, r));
            }
            case 6, 7 -> {
                String[] numbers = yaml ? YAML_NUMBERS : JSON_NUMBERS;
                String number = numbers[r.nextInt(numbers.length)];
                done.add("number text " + (number.length() > 40 ? number.length() + " characters" : number));
                return utf8(replaceNumber(text, number, r));
            }
            case 8 -> {
                String escape = new String[] {"\\u0000", "\\ud800", "\\udc00x", "\\u202e", "\\u0007", "\\n", "\\uffff",
                        "\\ud83d\\ude00", "\\u00"}[r.nextInt(9)];
                Matcher m = Pattern.compile("\"[^\"\\\\]*\"").matcher(text);
                List<Integer> strings = new ArrayList<>();
                while (m.find()) {
                    strings.add(m.start() + 1);
                }
                if (yaml || strings.isEmpty()) {
                    done.add("nothing: no string for an escape");
                    return utf8(text);
                }
                int at = strings.get(r.nextInt(strings.size()));
                done.add("escape " + escape + " at " + at);
                return utf8(text.substring(0, at) + escape + text.substring(at));
            }
            default -> {
                String line = YAML_ROOT_LINES[r.nextInt(YAML_ROOT_LINES.length)];
                String body = text.startsWith("---\n") ? text.substring(4) : text;
                done.add("yaml lines " + SpecException.printable(line.length() > 60 ? line.substring(0, 60) : line));
                return utf8(r.nextBoolean() ? line + body : body + line);
            }
        }
    }

    /** A key written twice in its object: JSON {@code "k": 0, "k": ...}, YAML a line {@code k: 0} beside it. */
    private static String duplicateKey(String text, boolean yaml, Random r, List<String> done) {
        Matcher m = (yaml ? YAML_KEY : JSON_KEY).matcher(text);
        List<MatchResult> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(new MatchResult(m.start(), m.end(), yaml ? m.group(3) : m.group(1), yaml ? m.group(1) : "",
                    yaml && m.group(2) != null));
        }
        if (keys.isEmpty()) {
            done.add("nothing: no key to duplicate");
            return text;
        }
        MatchResult k = keys.get(r.nextInt(keys.size()));
        done.add("duplicate key " + k.key());
        if (!yaml) {
            return text.substring(0, k.start()) + "\"" + k.key() + "\": 0, " + text.substring(k.start());
        }
        int lineEnd = text.indexOf('\n', k.end());
        int end = lineEnd < 0 ? text.length() : lineEnd + 1;
        String indent = k.indent() + (k.listItem() ? "  " : "");
        return text.substring(0, end) + indent + k.key() + ": 0\n" + text.substring(end);
    }

    private record MatchResult(int start, int end, String key, String indent, boolean listItem) {
    }

    /** The text with one of its numbers (chosen by {@code r}) replaced. */
    private static String replaceNumber(String text, String replacement, Random r) {
        Matcher m = NUMBER.matcher(text);
        List<int[]> numbers = new ArrayList<>();
        while (m.find()) {
            numbers.add(new int[] {m.start(), m.end()});
        }
        if (numbers.isEmpty()) {
            return text + replacement;
        }
        int[] n = numbers.get(r.nextInt(numbers.size()));
        return text.substring(0, n[0]) + replacement + text.substring(n[1]);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
