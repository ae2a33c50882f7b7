package io.chainproof.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns a Jackson (JSON) or SnakeYAML (YAML) parse error into a {@link SpecException}: the field path is
 * {@code line L, column C} (1-based, from SnakeYAML's problem mark or Jackson's location), the value is
 * the text of that line, and the rule is the parser's complaint with its jargon replaced by plain words.
 */
final class SyntaxError {

    /** Characters of a long line shown around the error column. */
    static final int LINE_WINDOW = 60;

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");
    private static final Pattern UNCLOSED = Pattern.compile(
            "Unexpected end-of-input: expected close marker for (Array|Object) "
                    + "\\(start marker at .*?line: (\\d+), column: (\\d+)\\]\\)");
    private static final String[][] JSON_WORDS = {
            {" \\(code \\d+\\)", ""},
            {"Unexpected character \\('(.*?)'\\)", "unexpected character '$1'"},
            {"Unrecognized token '(.*?)'", "unknown word '$1'"},
            {"\\(JSON String, Number \\(or 'NaN'/'\\+INF'/'-INF'\\), Array, Object or token 'null', 'true' or 'false'\\)",
                    "a value (a \"string\", number, list, object, true, false or null)"},
            {"was expecting double-quote to start field name", "was expecting a key in double quotes"},
            {"was expecting comma to separate (Object|Array) entries", "was expecting a comma between entries"},
            {"Unexpected end-of-input", "the text ends too early"},
            {"\\s*\\(?\\[Source: .*?\\]\\)?", ""},
    };
    /** Jackson's own complaints about YAML, which name SnakeYAML's event classes. */
    private static final String[][] YAML_EVENT_WORDS = {
            {"Expected a field name \\(Scalar value in YAML\\), got this instead: "
                    + "<org\\.yaml\\.snakeyaml\\.events\\.AliasEvent\\(anchor=(.*?)\\)>",
                    "a key is the alias *$1, and a spec may not use aliases"},
            {"Expected a field name \\(Scalar value in YAML\\), got this instead: "
                    + "<org\\.yaml\\.snakeyaml\\.events\\.(Sequence|Mapping)StartEvent.*",
                    "a key is a list or an object, where a name should be"},
            {"Expected a field name \\(Scalar value in YAML\\)", "expected a key"},
            {"<?org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event\\b[^>]*>?", "a YAML $1"},
            {"\\s*\\(?\\[Source: .*?\\]\\)?", ""},
    };
    private static final String[][] YAML_WORDS = {
            {"found character '\\\\t\\(TAB\\)' that cannot start any token\\. \\(Do not use \\\\t\\(TAB\\) for indentation\\)",
                    "found a tab, which YAML does not allow for indentation"},
            {"while scanning for the next token", ""},
            {"'?<stream end>'?", "the end of the file"},
            {"end of stream", "end of the file"},
            {"'?<block end>'?", "the end of the indented block"},
            {"'?<block sequence start>'?", "a '-' list item"},
            {"'?<block mapping start>'?", "a 'key: value' entry"},
            {"mapping values are not allowed here", "a ':' is not allowed here"},
            {"quoted scalar", "quoted text"},
            {"flow sequence", "[...] list"},
            {"flow mapping", "{...} object"},
            {"a block mapping", "an indented object"},
            {"block mapping", "indented object"},
            {"(scanning|parsing)", "reading"},
            {" got ([^\\s<'][^\\s]*)$", " got '$1'"},
            {"\\.$", ""},
    };

    private SyntaxError() {
    }

    static SpecException translate(JsonProcessingException e, String text, String source, SpecFormat format) {
        int line;
        int column;
        String complaint;
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            line = mark.getLine() + 1;
            column = mark.getColumn() + 1;
            String context = yaml.getContext() == null ? "" : plain(yaml.getContext(), YAML_WORDS);
            complaint = plain(yaml.getProblem(), YAML_WORDS) + (context.isEmpty() ? "" : " (" + context + ")");
        } else {
            JsonLocation at = e.getLocation();
            line = at == null ? 1 : at.getLineNr();
            column = at == null ? 1 : at.getColumnNr();
            complaint = e.getOriginalMessage();
        }
        String fix = format == SpecFormat.JSON
                ? "check the brackets, commas and double quotes just before this point"
                : "check the indentation (spaces only), brackets and quotes just before this point";
        Matcher duplicate = DUPLICATE.matcher(complaint);
        Matcher unclosed = UNCLOSED.matcher(complaint);
        if (duplicate.matches()) {
            complaint = "key \"" + duplicate.group(1) + "\" appears twice";
            fix = "keep only one \"" + duplicate.group(1) + "\"";
        } else if (unclosed.matches()) {
            boolean list = unclosed.group(1).equals("Array");
            complaint = "the text ends before the " + (list ? "list '['" : "object '{'") + " opened at line "
                    + unclosed.group(2) + ", column " + unclosed.group(3) + " is closed";
            fix = "add the missing " + (list ? "']'" : "'}'");
        } else {
            complaint = plain(complaint, format == SpecFormat.JSON ? JSON_WORDS : YAML_EVENT_WORDS);
        }
        return new SpecException(source, location(line, column), lineAt(text, line, column),
                "is not valid " + format.name() + ": " + complaint, fix, e);
    }

    /**
     * Turns a broken limit of the parser ({@link SpecReader#MAX_NESTING} and the others) into a {@link SpecException}
     * at the place the parser had reached.
     */
    static SpecException limit(StreamConstraintsException e, JsonLocation at, String text, String source,
                               SpecFormat format) {
        int line = Math.max(1, at.getLineNr());
        int column = Math.max(1, at.getColumnNr());
        String complaint = e.getOriginalMessage().toLowerCase(Locale.ROOT);
        String rule;
        String fix;
        if (complaint.contains("nesting depth")) {
            rule = "nests lists and objects more than " + SpecReader.MAX_NESTING + " levels deep (a spec needs a few)";
            fix = "look for brackets opened by mistake, or nest fewer levels";
        } else if (complaint.contains("number value length")) {
            rule = "has a number longer than " + SpecReader.MAX_NUMBER_LENGTH + " characters";
            fix = "write it with fewer digits, e.g. 1.5e300";
        } else if (complaint.contains("string value length")) {
            rule = "has a text longer than " + SpecReader.MAX_TEXT_LENGTH + " characters";
            fix = "shorten the text";
        } else if (complaint.contains("name length")) {
            rule = "has a key longer than " + SpecReader.MAX_KEY_LENGTH + " characters";
            fix = "shorten the key";
        } else {
            rule = "is beyond a limit of the " + format.name() + " reader (" + plain(e.getOriginalMessage(), JSON_WORDS)
                    + ")";
            fix = "make the spec smaller";
        }
        return new SpecException(source, location(line, column), lineAt(text, line, column), rule, fix, e);
    }

    /** @return {@code line L, column C} */
    static String location(int line, int column) {
        return "line " + line + ", column " + column;
    }

    /**
     * @return line {@code line} (1-based) of the text without surrounding blanks, cut to
     *         {@link #LINE_WINDOW} characters around the column; {@code end of text} past the last line
     */
    static String lineAt(String text, int line, int column) {
        String[] lines = text.split("\\R", -1);
        if (line < 1 || line > lines.length) {
            return "end of text";
        }
        String content = lines[line - 1];
        if (content.length() > LINE_WINDOW) {
            int start = Math.max(0, Math.min(column - 1 - LINE_WINDOW / 2, content.length() - LINE_WINDOW));
            content = (start > 0 ? "..." : "") + content.substring(start, start + LINE_WINDOW)
                    + (start + LINE_WINDOW < content.length() ? "..." : "");
        }
        return content.strip();
    }

    private static String plain(String complaint, String[][] words) {
        String text = complaint.lines().findFirst().orElse("").strip();
        for (String[] replacement : words) {
            text = text.replaceAll(replacement[0], replacement[1]);
        }
        text = text.strip();
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
