package io.chainproof.formula;

import java.util.List;
import java.util.Random;

/**
 * Makes hostile formulas from valid ones: calls of heads outside the allow-list (Symja's {@code Get},
 * {@code URLFetch}, {@code Run} and their kin, lowercase and look-alike spellings), deep nesting of every kind, huge
 * and non-finite constants, sum bombs, non-ASCII and control characters, Symja operators, and plain typing
 * accidents (a character inserted, deleted or doubled; the text cut). One {@code long} decides everything.
 */
final class FormulaMutator {

    /** Heads that read, write, run, evaluate or loop in Symja, or are spelt like an allowed one. */
    static final List<String> FORBIDDEN_CALLS = List.of("Get[\"/etc/passwd\"]", "URLFetch[\"http://example.com\"]",
            "Run[\"rm -rf /\"]", "RunProcess[{\"ls\"}]", "Import[\"x.csv\"]", "Export[\"x\", w]", "Put[w, \"f\"]",
            "ReadString[\"f\"]", "OpenWrite[\"f\"]", "DeleteFile[\"f\"]", "CreateFile[]", "SystemDialogInput[]",
            "JavaNew[\"java.io.File\", \"x\"]", "LoadJavaClass[\"java.lang.Runtime\"]", "Symbol[\"Get\"]",
            "ToExpression[\"Get[x]\"]", "Evaluate[w]", "Set[w, 1]", "Clear[w]", "Function[x, x][w]",
            "Table[w, {i, 1000000000}]", "Do[w, {10^9}]", "While[True]", "Nest[Exp, w, 1000000]",
            "FixedPoint[Exp, w]", "Integrate[w, w]", "D[w, w]", "N[Pi, 1000000]", "Factorial[1000000]",
            "Prime[10^12]", "exp[w]", "EXP[w]", "Foo[w]", "Sin[w]", "Hold[w]", "Compile[{x}, x]",
            "SetDirectory[\"/\"]", "Install[\"x\"]", "Names[\"*\"]", "Information[Get]", "Quit[]",
            "Exp[w][w]", "Log[w, 2]", "Sum[w]", "E\u0445p[w]");
    private static final String[] INSERTS = {"(", ")", "[", "]", "[[", "]]", "{", "}", ",", "+", "-", "*", "/", "^",
            ":=", "->", ";", "//", "@@", "&", "#", "%", "\"", "\\", "`", "!", "'", "?", "~", "<<", ">>", "=", "==",
            ".", "_", "$", "|", "\u0000", "\t", "\n", "\u00e9", "\u0435", "\u200B", "\u202E", "\uFF08", "\uD83D\uDE00",
            "\u2028", "\u00A0", "\uFEFF", "1e400", "9".repeat(400), "1e-400", "0.", ".5e", "w w", "E", "Pi", "Sum"};

    private FormulaMutator() {
    }

    /**
     * A hostile formula: one to three edits of {@code formula}.
     *
     * @param formula a valid formula over w, b and the list inputs x, y of three entries
     * @param random  decides everything
     * @param done    receives a description of each edit
     * @return the formula
     */
    static String mutate(String formula, long random, List<String> done) {
        Random r = new Random(random);
        String f = formula;
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            f = edit(f, r, done);
        }
        return f;
    }

    /**
     * A valid formula with a call of a forbidden head inserted where a term may stand, then maybe other edits.
     *
     * @param formula a valid formula
     * @param random  decides everything
     * @param done    receives a description of each edit
     * @return the formula, which calls a head outside the allow-list
     */
    static String withForbiddenCall(String formula, long random, List<String> done) {
        Random r = new Random(random);
        String call = FORBIDDEN_CALLS.get(r.nextInt(FORBIDDEN_CALLS.size()));
        String f = switch (r.nextInt(4)) {
            case 0 -> call + " + " + formula;
            case 1 -> formula + " * " + call;
            case 2 -> "Exp[" + call + "] - (" + formula + ")";
            default -> "Sum[" + call + " * x[[i]], {i, 1, 3}] + " + formula;
        };
        done.add("call " + call);
        if (r.nextBoolean()) {
            // an insertion keeps the call in the text (a deletion or a cut might remove it)
            String s = INSERTS[r.nextInt(INSERTS.length)];
            int at = r.nextInt(f.length() + 1);
            done.add("insert " + printable(s) + " at " + at);
            f = f.substring(0, at) + s + f.substring(at);
        }
        return f;
    }

    private static String edit(String f, Random r, List<String> done) {
        int at = r.nextInt(f.length() + 1);
        switch (r.nextInt(12)) {
            case 0 -> {
                String s = INSERTS[r.nextInt(INSERTS.length)];
                done.add("insert " + printable(s) + " at " + at);
                return f.substring(0, at) + s + f.substring(at);
            }
            case 1 -> {
                if (f.isEmpty()) {
                    return f;
                }
                int i = Math.min(at, f.length() - 1);
                done.add("delete " + printable(f.substring(i, i + 1)) + " at " + i);
                return f.substring(0, i) + f.substring(i + 1);
            }
            case 2 -> {
                done.add("cut at " + at);
                return f.substring(0, at);
            }
            case 3 -> {
                int depth = new int[] {50, FormulaParser.MAX_DEPTH, FormulaParser.MAX_DEPTH + 1, 10_000}[r.nextInt(4)];
                String[][] wraps = {{"(", ")"}, {"Exp[", "]"}, {"-", ""}, {"w^", ""}, {"Sum[", ", {i, 1}]"},
                        {"Sqrt[", "]"}, {"{", "}"}, {"x[[", "]]"}};
                String[] wrap = wraps[r.nextInt(wraps.length)];
                done.add("nest " + wrap[0] + " " + depth + " deep");
                String inner = r.nextBoolean() ? "w" : f;
                String nested = wrap[0].repeat(depth) + inner + wrap[1].repeat(depth);
                return nested.length() > FormulaParser.MAX_LENGTH + 10 ? nested.substring(0, FormulaParser.MAX_LENGTH + 10)
                        : nested;
            }
            case 4 -> {
                String[] constants = {"10^400", "2^(10^8)", "(2*w)^(10^8)", "1e400", "1e-400", "0^-1", "Log[0]",
                        "(-1)^0.5", "Sqrt[-1]", "Exp[1000]", "10^308*10", "1/0", "0/0", "Exp[Exp[Exp[10]]]",
                        "w^1e308", "Erf[1e308]", "Tanh[-1e308]"};
                String c = constants[r.nextInt(constants.length)];
                done.add("term " + c);
                return r.nextBoolean() ? f + " + " + c : c + " * (" + f + ")";
            }
            case 5 -> {
                String[] sums = {"Sum[w, {i, 1, 10^9}]", "Sum[Sum[Sum[w, {k, 100}], {j, 100}], {i, 100}]",
                        "Sum[w, {i, 1, 1e400}]", "Sum[w, {i, 1.5}]", "Sum[w, {w, 1, 2}]", "Sum[w, {i, 3, 1}]",
                        "Sum[w, {i, -10^9, 10^9}]", "Sum[x[[i]], {i, 0, 3}]", "Sum[x[[i]], {i, 1, 4}]",
                        "Sum[w, {i, 1, 2, 3, 4}]", "Sum[w, i]", "Sum[w, {1, 2}]", "Sum[w, {i, 1, w}]",
                        "Sum[Sum[w, {i, 5000}], {j, 5000}]", "Sum[x[[i]] * x[[i + 1]], {i, 1, 3}]"};
                String s = sums[r.nextInt(sums.length)];
                done.add("sum " + s);
                return f + " + " + s;
            }
            case 6 -> {
                String c = FORBIDDEN_CALLS.get(r.nextInt(FORBIDDEN_CALLS.size()));
                done.add("insert call " + c + " at " + at);
                return f.substring(0, at) + c + f.substring(at);
            }
            case 7 -> {
                int from = r.nextInt(f.length() + 1);
                int to = from + r.nextInt(f.length() - from + 1);
                int copies = r.nextInt(4) == 0 ? 100 : 1;
                done.add("repeat [" + from + ", " + to + ") " + copies + " times");
                String repeated = f.substring(0, to) + f.substring(from, to).repeat(copies) + f.substring(to);
                // just past the longest formula is as good as far past it, and far cheaper to write and read
                return repeated.substring(0, Math.min(repeated.length(), FormulaParser.MAX_LENGTH + 10));
            }
            case 8 -> {
                String[] names = {"z", "W", "x[[1]]", "x", "y[[4]]", "w[[1]]", "b", "E", "Pi", "Exp", "Sum", "i",
                        "a".repeat(70), "cpv1", "True", "I", "Infinity", "Indeterminate", "$Path", "w1"};
                String n = names[r.nextInt(names.length)];
                done.add("name " + n);
                return f + " * " + n;
            }
            case 9 -> {
                String[] wholes = {"", " ", "\n", "w", "-w", "((w))", "w +", "+", "()", "[]", "{}", "Exp[]", "x[[]]",
                        "1", "0", "w*0 + 1e-320", "\u0000", "w".repeat(FormulaParser.MAX_LENGTH + 1)};
                String w = wholes[r.nextInt(wholes.length)];
                done.add("whole " + printable(w.length() > 40 ? w.substring(0, 40) + "..." : w));
                return w;
            }
            default -> {
                StringBuilder b = new StringBuilder(f);
                int n = 1 + r.nextInt(5);
                for (int k = 0; k < n; k++) {
                    b.insert(r.nextInt(b.length() + 1), (char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000)));
                }
                done.add(n + " random characters");
                return b.toString();
            }
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c)
                : String.valueOf((char) c)));
        return out.toString();
    }
}
