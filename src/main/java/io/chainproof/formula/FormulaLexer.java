package io.chainproof.formula;

import io.chainproof.formula.FormulaToken.Kind;
import io.chainproof.spec.SpecException;

import java.util.Map;

/**
 * Splits formula text into {@link FormulaToken tokens}, rejecting every character and operator outside
 * the grammar with its column: non-ASCII characters (named by code point, so look-alike letters,
 * fullwidth brackets, zero-width joiners and direction overrides are visible in the message), control
 * characters, and the Symja operators that assign, define, apply, read or write
 * ({@link #FORBIDDEN_OPERATORS}).
 */
final class FormulaLexer {

    /**
     * Symja operators a formula may not contain, longest first, each with the Symja function it stands
     * for. Checked before the single-character operators, so {@code :=} is reported as a definition and
     * not as a stray colon.
     */
    static final Map<String, String> FORBIDDEN_OPERATORS = forbiddenOperators();

    private static final String ALLOWED_SYNTAX = "a formula may use numbers, ASCII names, + - * / ^, "
            + "parentheses, calls Name[...], entries v[[i]] and Sum[body, {i, a, b}]";

    private final String source;
    private final String text;
    private FormulaToken token;
    private int at;

    /** A lexer positioned at the start of {@code text}; messages name {@code source}. */
    FormulaLexer(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /**
     * The next token, read only when asked for, so an error is reported at the first offending place
     * in reading order: in {@code URLFetch["http://…"]} the function, not the quote after it.
     *
     * @return the next token; {@link Kind#END} at the end, and again on every later call
     */
    FormulaToken next() {
        token = null;
        while (token == null) {
            if (at >= text.length()) {
                return new FormulaToken(Kind.END, "", text.length() + 1);
            }
            scan();
        }
        return token;
    }

    private static Map<String, String> forbiddenOperators() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        String[][] table = {
            {">>>", "PutAppend"}, {"^:=", "UpSetDelayed"}, {":=", "SetDelayed (a definition)"},
            {"::", "MessageName"}, {":>", "RuleDelayed"}, {"->", "Rule"}, {"==", "Equal"}, {"!=", "Unequal"},
            {"<<", "Get (reads a file)"}, {">>", "Put (writes a file)"}, {"@@", "Apply"}, {"/@", "Map"},
            {"//", "Postfix application"}, {"/.", "ReplaceAll"}, {"/;", "Condition"}, {"&&", "And"},
            {"||", "Or"}, {"++", "Increment"}, {"--", "Decrement"}, {"+=", "AddTo"}, {"-=", "SubtractFrom"},
            {"*=", "TimesBy"}, {"/=", "DivideBy"}, {"**", "NonCommutativeMultiply"}, {"(*", "a comment"},
            {"=", "Set (an assignment)"}, {";", "CompoundExpression"}, {"\"", "a string"}, {"#", "Slot"},
            {"&", "Function"}, {"@", "Prefix application"}, {"%", "Out"}, {"_", "a pattern"},
            {"'", "Derivative"}, {"!", "Not or Factorial"}, {"?", "Information or PatternTest"},
            {"$", "a system symbol"}, {"~", "Infix application"}, {"|", "Alternatives"}, {"<", "Less"},
            {">", "Greater"}, {".", "Dot"}, {"`", "a context mark"}, {"\\", "an escape"}, {":", "Pattern"},
        };
        for (String[] row : table) {
            m.put(row[0], row[1]);
        }
        return m;
    }

    private void scan() {
        char c = text.charAt(at);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            at++;
        } else if (c >= 0x80 || c < 0x20 || c == 0x7f) {
            rejectCharacter();
        } else if (isDigit(c) || (c == '.' && at + 1 < text.length() && isDigit(text.charAt(at + 1)))) {
            number();
        } else if (isLetter(c)) {
            int start = at;
            while (at < text.length() && (isLetter(text.charAt(at)) || isDigit(text.charAt(at)))) {
                at++;
            }
            add(Kind.NAME, start, at);
        } else {
            operator();
        }
    }

    private void rejectCharacter() {
        int codePoint = text.codePointAt(at);
        String name = Character.getName(codePoint);
        String code = String.format("U+%04X", codePoint);
        throw new SpecException(source, "formula", code, "at column " + (at + 1) + " is not an allowed character"
                + (name == null ? "" : " (" + name + ")"), "write the formula in plain ASCII; " + ALLOWED_SYNTAX);
    }

    private void number() {
        int start = at;
        while (at < text.length() && isDigit(text.charAt(at))) {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            while (at < text.length() && isDigit(text.charAt(at))) {
                at++;
            }
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            int sign = at + 1 < text.length() && (text.charAt(at + 1) == '+' || text.charAt(at + 1) == '-') ? 1 : 0;
            if (at + 1 + sign < text.length() && isDigit(text.charAt(at + 1 + sign))) {
                at += 1 + sign;
                while (at < text.length() && isDigit(text.charAt(at))) {
                    at++;
                }
            }
        }
        add(Kind.NUMBER, start, at);
    }

    private void operator() {
        for (Map.Entry<String, String> forbidden : FORBIDDEN_OPERATORS.entrySet()) {
            if (text.startsWith(forbidden.getKey(), at)) {
                throw new SpecException(source, "formula", forbidden.getKey(), "at column " + (at + 1)
                        + " is not allowed (" + forbidden.getValue() + ")", ALLOWED_SYNTAX);
            }
        }
        if (text.startsWith("[[", at)) {
            add(Kind.OPEN_PART, at, at + 2);
            return;
        }
        Kind kind = switch (text.charAt(at)) {
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '*' -> Kind.TIMES;
            case '/' -> Kind.DIVIDE;
            case '^' -> Kind.POWER;
            case '(' -> Kind.OPEN_PAREN;
            case ')' -> Kind.CLOSE_PAREN;
            case '[' -> Kind.OPEN_BRACKET;
            case ']' -> Kind.CLOSE_BRACKET;
            case '{' -> Kind.OPEN_BRACE;
            case '}' -> Kind.CLOSE_BRACE;
            case ',' -> Kind.COMMA;
            default -> throw new SpecException(source, "formula", String.valueOf(text.charAt(at)),
                    "at column " + (at + 1) + " is not allowed", ALLOWED_SYNTAX);
        };
        add(kind, at, at + 1);
    }

    private void add(Kind kind, int start, int end) {
        at = end;
        token = new FormulaToken(kind, text.substring(start, end), start + 1);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
