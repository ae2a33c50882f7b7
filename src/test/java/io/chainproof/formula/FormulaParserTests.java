package io.chainproof.formula;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.symbolic.SymbolicEngine;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("FormulaParser")
class FormulaParserTests {

    private static final String SYNTAX = "a formula may use numbers, ASCII names, + - * / ^, parentheses, "
            + "calls Name[...], entries v[[i]] and Sum[body, {i, a, b}]";
    private static final String ALLOWED = "allowed: Exp, Log, Sqrt, Tanh, Sech, Erf, LogisticSigmoid, Sigmoid, "
            + "Softplus, Sum";
    private static final String KNOWN = "parameters: w, v; inputs: x, y, xs; constants: E, Pi";

    private static FormulaSpec spec(String formula) {
        Map<String, FormulaSpec.Value> parameters = new LinkedHashMap<>();
        parameters.put("w", FormulaSpec.Value.scalar(0.5));
        parameters.put("v", FormulaSpec.Value.vector(1, 2, 3));
        Map<String, FormulaSpec.Value> inputs = new LinkedHashMap<>();
        inputs.put("x", FormulaSpec.Value.scalar(2));
        inputs.put("y", FormulaSpec.Value.scalar(3));
        inputs.put("xs", FormulaSpec.Value.vector(4, 5, 6));
        return new FormulaSpec("test", "<string>", formula, parameters, inputs);
    }

    private static Expr parse(String formula) {
        return FormulaParser.parse(spec(formula));
    }

    private static double value(String formula) {
        Map<String, Double> values = Map.of("w", 0.5, "v[1]", 1.0, "v[2]", 2.0, "v[3]", 3.0, "x", 2.0, "y", 3.0,
                "xs[1]", 4.0, "xs[2]", 5.0, "xs[3]", 6.0);
        return ExprEvaluator.evaluate(parse(formula), values);
    }

    private static String rejection(String formula) {
        return assertThrows(SpecException.class, () -> parse(formula)).getMessage();
    }

    private static Expr sym(String name) {
        return Expr.sym(name);
    }

    private static Expr num(double v) {
        return Expr.num(v);
    }

    @Nested
    class Grammar {

        @Test
        void readsScientificNumbersSumsAndProducts() {
            assertEquals(new Expr.Sum(List.of(new Expr.Product(List.of(sym("w"), sym("x"))), num(1.5e-3))),
                    parse("w*x + 1.5e-3"));
        }

        @Test
        void writesDifferencesQuotientsAndNegationsAsSumsProductsAndPowers() {
            assertEquals(new Expr.Sum(List.of(sym("w"), new Expr.Product(List.of(num(-1), sym("x"),
                    new Expr.Power(sym("y"), num(-1)))))), parse("w - x/y"));
        }

        @Test
        void bindsPowerTighterThanUnaryMinusAndRightToLeft() {
            assertEquals(new Expr.Product(List.of(num(-1), new Expr.Power(sym("w"), num(2)))), parse("-w^2"));
            assertEquals(num(512), parse("2^3^2"));
            assertEquals(new Expr.Power(sym("w"), num(-1)), parse("w^-1"));
        }

        @Test
        void callsTheAllowedFunctionsWithSigmoidAndSoftplusAliases() {
            assertEquals(Expr.call(Fn.SIGMOID, sym("w")), parse("LogisticSigmoid[w]"));
            assertEquals(Expr.call(Fn.SIGMOID, sym("w")), parse("Sigmoid[w]"));
            assertEquals(Expr.call(Fn.SOFTPLUS, sym("w")), parse("Softplus[w]"));
            assertEquals(Expr.call(Fn.TANH, Expr.call(Fn.LOG, Expr.call(Fn.EXP, sym("w")))), parse("Tanh[Log[Exp[w]]]"));
            assertEquals(new Expr.Power(sym("w"), num(0.5)), parse("Sqrt[w]"));
            assertEquals(Expr.call(Fn.ERF, Expr.call(Fn.SECH, sym("w"))), parse("Erf[Sech[w]]"));
        }

        @Test
        void foldsConstantsInDoublePrecision() {
            assertEquals(num(1), parse("Exp[0]"));
            assertEquals(num(Math.E * Math.PI), parse("E*Pi"));
            assertEquals(num(1e8), parse("10^8"));
        }

        @Test
        void expandsSumsWithIndicesAsNumbersAndEntriesAsSymbols() {
            assertEquals(1 * 4 + 2 * 5 + 3 * 6, value("Sum[v[[i]]*xs[[i]], {i, 1, 3}]"));
            assertEquals(new Expr.Sum(List.of(sym("v[1]"), sym("v[2]"))), parse("Sum[v[[k]], {k, 2}]"));
            assertEquals(1 + 2 + 2 + 4 + 3 + 6, value("Sum[i*j, {i, 1, 3}, {j, 1, 2}]"));
            assertEquals(0.0, value("Sum[w, {i, 1, 0}]"));
            assertEquals(3.0, value("v[[1 + 2]]"));
        }

        @Test
        void acceptsWhitespaceNewlinesAndNestingUpToTheLimit() {
            assertEquals(num(2.5), parse(" 1 +\n\t1.5 "));
            String deep = "(".repeat(FormulaParser.MAX_DEPTH - 1) + "w" + ")".repeat(FormulaParser.MAX_DEPTH - 1);
            assertEquals(sym("w"), parse(deep));
        }
    }

    @Nested
    class MistakesAreReportedWithTheirColumn {

        static Stream<Arguments> mistakes() {
            return Stream.of(
                    Arguments.of("w x", "<x> at column 3 is unexpected; write an operator (*, +, ...) between two terms"),
                    Arguments.of("2 w", "<w> at column 3 is unexpected; write an operator (*, +, ...) between two terms"),
                    Arguments.of("(w + x", "<end of formula> at column 7 is unexpected; close the ( at column 1 with )"),
                    Arguments.of("((w)", "<end of formula> at column 5 is unexpected; close the ( at column 1 with )"),
                    Arguments.of("w + x)", "<)> at column 6 is unexpected; remove it or add its opening bracket"),
                    Arguments.of("w]]", "<]> at column 2 is unexpected; remove it or add its opening bracket"),
                    Arguments.of("Exp[w", "<end of formula> at column 6 is unexpected; close the [ at column 4 with ]"),
                    Arguments.of("v[[1]", "<end of formula> at column 6 is unexpected; close the entry v[[...]] with ]]"),
                    Arguments.of("w +", "<end of formula> at column 4 is unexpected; "
                            + "write a number, a name, a call such as Exp[x] or a parenthesis here"),
                    Arguments.of("", "<> is empty; write the loss, e.g. \"(w*x - y)^2\""),
                    Arguments.of("  \n ", "<  \\n > is empty; write the loss, e.g. \"(w*x - y)^2\""),
                    Arguments.of("w*z", "<z> at column 3 is not a parameter, input, sum index or constant; " + KNOWN),
                    Arguments.of("w + v", "<v> at column 5 is a list of 3 numbers; write v[[i]] for its entry i (1 to 3)"),
                    Arguments.of("v[[4]]", "<v[[4]]> at column 1 is out of range; v has entries 1 to 3"),
                    Arguments.of("w[[1]]", "<w> at column 1 is a single number, not a list; write w without [[...]]"),
                    Arguments.of("v[[1.5]]", "<1.5> at column 4 is not a whole number from -1000000000 to 1000000000 "
                            + "(index of v); write a whole number, or an expression of numbers and sum indices"),
                    Arguments.of("Exp", "<Exp> at column 1 is a function; call it with brackets, e.g. Exp[x]"),
                    Arguments.of("Exp[w, x]", "<Exp> at column 1 takes one argument, not 2; write Exp[x]"),
                    Arguments.of("{w}", "<{> at column 1 is only allowed as the range of a Sum; write Sum[body, {i, 1, n}]"),
                    Arguments.of("Sum[w]", "<Sum> at column 1 needs a body and a range; write Sum[body, {i, 1, n}]"),
                    Arguments.of("Sum[w, {1, 3}]", "<Sum> at column 1 has a range that is not {i, a, b} or {i, b}; "
                            + "write Sum[body, {i, 1, n}]"),
                    Arguments.of("Sum[w, {w, 3}]", "<w> at column 9 cannot be a sum index: the name is taken; "
                            + "use another name for the index, e.g. k"),
                    Arguments.of("1/0", "<0^-1> at column 3 is not finite (Infinity in double precision); "
                            + "keep constants within ±1.8e308; every number is a double"),
                    Arguments.of("Log[0]", "<Log[0]> at column 1 is not finite (-Infinity in double precision); "
                            + "keep constants within ±1.8e308; every number is a double"),
                    Arguments.of("Sqrt[-1]", "<-1^0.5> at column 1 is not finite (NaN in double precision); "
                            + "keep constants within ±1.8e308; every number is a double"));
        }

        @ParameterizedTest(name = "<{0}>")
        @MethodSource("mistakes")
        void withAnExactMessage(String formula, String message) {
            assertEquals("<string>: formula: " + message, rejection(formula));
        }
    }

    /**
     * Hostile input: every case is rejected by the parser with an exact message, within a second, without
     * creating a file and without one Symja evaluation (so nothing of it can reach Symja's parser, which
     * could run {@code Get} at parse time).
     */
    @Nested
    class HostileInput {

        @TempDir
        static Path dir;

        @BeforeAll
        static void startSymja() {
            SymbolicEngine.instance();
        }

        private static String deep(String open, String middle, String close, int n) {
            return open.repeat(n) + middle + close.repeat(n);
        }

        private static String forbidden(String function, int column) {
            return "<" + function + "> at column " + column + " is not an allowed function; " + ALLOWED;
        }

        private static String operator(String token, int column, String meaning) {
            return "<" + token + "> at column " + column + " is not allowed (" + meaning + "); " + SYNTAX;
        }

        private static String character(String code, int column, String name) {
            return "<" + code + "> at column " + column + " is not an allowed character (" + name
                    + "); write the formula in plain ASCII; " + SYNTAX;
        }

        private static String tooLong(int length) {
            return "<" + length + " characters> is longer than 100000 characters; shorten the formula, e.g. with Sum";
        }

        private static String tooDeep(String token, int column) {
            return "<" + token + "> at column " + column + " nests deeper than 200 levels; simplify the formula or use Sum";
        }

        static Stream<Arguments> hostile() {
            String file = dir.resolve("pwned.txt").toString();
            String notFinite = " is not finite (Infinity in double precision); "
                    + "keep constants within ±1.8e308; every number is a double";
            String bigSum = "Sum[Tanh[w*i + x*i + y*i + w*x*i + (w - x)^2 + Exp[w*y] + Log[x + i] + Sqrt[w]], {i, 1, 10000}]";
            return Stream.of(
                    // functions that read, write, connect, run code or loop
                    Arguments.of("Get", "Get[\"/etc/passwd\"]", forbidden("Get", 1)),
                    Arguments.of("URLFetch", "w + URLFetch[\"http://example.com/\"]", forbidden("URLFetch", 5)),
                    Arguments.of("URLRead", "URLRead[\"http://example.com/\"]", forbidden("URLRead", 1)),
                    Arguments.of("Import", "Import[\"/etc/passwd\"]", forbidden("Import", 1)),
                    Arguments.of("ReadString", "ReadString[\"/etc/passwd\"]", forbidden("ReadString", 1)),
                    Arguments.of("Export", "Export[\"" + file + "\", w]", forbidden("Export", 1)),
                    Arguments.of("Put", "Put[w, \"" + file + "\"]", forbidden("Put", 1)),
                    Arguments.of("OpenWrite", "OpenWrite[\"" + file + "\"]", forbidden("OpenWrite", 1)),
                    Arguments.of("CreateFile", "CreateFile[\"" + file + "\"]", forbidden("CreateFile", 1)),
                    Arguments.of("DeleteFile", "DeleteFile[\"/tmp/x\"]", forbidden("DeleteFile", 1)),
                    Arguments.of("JavaNew", "JavaNew[\"java.io.File\", \"" + file + "\"]", forbidden("JavaNew", 1)),
                    Arguments.of("Run", "Run[\"touch " + file + "\"]", forbidden("Run", 1)),
                    Arguments.of("ToExpression", "ToExpression[\"Get[x]\"]", forbidden("ToExpression", 1)),
                    Arguments.of("Do", "Do[w, {i, 1, 10^9}]", forbidden("Do", 1)),
                    Arguments.of("For", "For[i = 0, True, i++, w]", forbidden("For", 1)),
                    Arguments.of("While", "While[True]", forbidden("While", 1)),
                    Arguments.of("Table", "Table[w, {i, 10^9}]", forbidden("Table", 1)),
                    Arguments.of("Module", "Module[{a}, a]", forbidden("Module", 1)),
                    Arguments.of("Block", "Block[{w = 1}, w]", forbidden("Block", 1)),
                    Arguments.of("Set", "Set[w, 1]", forbidden("Set", 1)),
                    Arguments.of("SetDelayed", "SetDelayed[w, 1]", forbidden("SetDelayed", 1)),
                    Arguments.of("Pause", "Pause[1000]", forbidden("Pause", 1)),
                    Arguments.of("Quit", "Quit[]", forbidden("Quit", 1)),
                    Arguments.of("D", "D[w^2, w]", forbidden("D", 1)),
                    Arguments.of("Abs", "Abs[w]", forbidden("Abs", 1)),
                    Arguments.of("lowercase exp", "exp[w]", forbidden("exp", 1)),
                    Arguments.of("Get as a bare name", "Get", "<Get> at column 1 is not a parameter, input, sum index "
                            + "or constant; " + KNOWN),
                    // operators that define, assign, apply, read or write
                    Arguments.of(":=", "x := 1", operator(":=", 3, "SetDelayed (a definition)")),
                    Arguments.of("f[x_] :=", "w + f[x_] := 1", forbidden("f", 5)),
                    Arguments.of("=", "w = 1", operator("=", 3, "Set (an assignment)")),
                    Arguments.of("^:=", "w^:=1", operator("^:=", 2, "UpSetDelayed")),
                    Arguments.of("<<", "<<file", operator("<<", 1, "Get (reads a file)")),
                    Arguments.of(">>", "w >> " + file, operator(">>", 3, "Put (writes a file)")),
                    Arguments.of(">>>", "w >>> " + file, operator(">>>", 3, "PutAppend")),
                    Arguments.of(";", "w; w", operator(";", 2, "CompoundExpression")),
                    Arguments.of("->", "w /. w -> 1", operator("/.", 3, "ReplaceAll")),
                    Arguments.of("rule", "w -> 1", operator("->", 3, "Rule")),
                    Arguments.of(":>", "w :> 1", operator(":>", 3, "RuleDelayed")),
                    Arguments.of("string", "\"w\"", operator("\"", 1, "a string")),
                    Arguments.of("#&", "#^2 &", operator("#", 1, "Slot")),
                    Arguments.of("&", "w &", operator("&", 3, "Function")),
                    Arguments.of("@", "Exp @ w", operator("@", 5, "Prefix application")),
                    Arguments.of("@@", "Exp @@ {w}", operator("@@", 5, "Apply")),
                    Arguments.of("/@", "Exp /@ {w}", operator("/@", 5, "Map")),
                    Arguments.of("//", "w // Exp", operator("//", 3, "Postfix application")),
                    Arguments.of("%", "% + w", operator("%", 1, "Out")),
                    Arguments.of("_", "w_", operator("_", 2, "a pattern")),
                    Arguments.of("'", "Exp'[w]", operator("'", 4, "Derivative")),
                    Arguments.of("!", "w!", operator("!", 2, "Not or Factorial")),
                    Arguments.of("?", "?Get", operator("?", 1, "Information or PatternTest")),
                    Arguments.of("$", "$Version", operator("$", 1, "a system symbol")),
                    Arguments.of("~", "w ~Exp~ x", operator("~", 3, "Infix application")),
                    Arguments.of("|", "w | x", operator("|", 3, "Alternatives")),
                    Arguments.of("<", "w < x", operator("<", 3, "Less")),
                    Arguments.of("==", "w == x", operator("==", 3, "Equal")),
                    Arguments.of(".", "v . v", operator(".", 3, "Dot")),
                    Arguments.of("++", "w++", operator("++", 2, "Increment")),
                    Arguments.of("--", "w--x", operator("--", 2, "Decrement")),
                    Arguments.of("comment", "(* Get[x] *) w", operator("(*", 1, "a comment")),
                    Arguments.of("backslash", "\\[Alpha]", operator("\\", 1, "an escape")),
                    Arguments.of("context", "System`Get[x]", operator("`", 7, "a context mark")),
                    // depth, size and number blow-ups
                    Arguments.of("10^5 parentheses", deep("(", "w", ")", 100_000), tooLong(200_001)),
                    Arguments.of("10^5 nested Exp", deep("Exp[", "w", "]", 100_000), tooLong(500_001)),
                    Arguments.of("10^5 power tower", "w^".repeat(100_000) + "w", tooLong(200_001)),
                    Arguments.of("49999 parentheses", deep("(", "w", ")", 49_999), tooDeep("(", 201)),
                    Arguments.of("10^4 nested Exp", deep("Exp[", "w", "]", 10_000), tooDeep("Exp", 801)),
                    Arguments.of("10^4 signs", "-+".repeat(5_000) + "w", tooDeep("+", 200)),
                    Arguments.of("10^4 power tower", "w^".repeat(10_000) + "w", tooDeep("^", 400)),
                    Arguments.of("10^4 nested lists", deep("{", "w", "}", 10_000), tooDeep("{", 201)),
                    Arguments.of("5000 nested Sums", deep("Sum[", "w", ", {i, 1}]", 5_000), tooDeep("Sum", 801)),
                    Arguments.of("10^4 nested entries", deep("v[[", "1", "]]", 10_000), tooDeep("v", 601)),
                    Arguments.of("2^(10^8)", "2^(10^8)", "<2^100000000> at column 2" + notFinite),
                    Arguments.of("x + 2^(10^8)", "w + 2^(10^8)", "<2^100000000> at column 6" + notFinite),
                    Arguments.of("Exp[10^6]", "Exp[10^6]", "<Exp[1000000]> at column 1" + notFinite),
                    Arguments.of("1e400", "w*1e400", "<1e400> at column 3" + notFinite),
                    Arguments.of("a long literal", "9".repeat(400), "<" + "9".repeat(60) + "...> at column 1" + notFinite),
                    Arguments.of("Sum to 10^9", "Sum[w, {i, 1, 10^9}]", "<Sum> at column 1 expands to more than 10000 "
                            + "terms (1000000000 for i from 1 to 1000000000); sum over fewer terms"),
                    Arguments.of("Sum to 10^12", "Sum[w, {i, 1, 10^12}]", "<1000000000000> at column 17 is not a whole "
                            + "number from -1000000000 to 1000000000 (upper bound of i); "
                            + "write a whole number, or an expression of numbers and sum indices"),
                    Arguments.of("nested sums", "Sum[Sum[w, {j, 1, 200}], {i, 1, 200}]", "<Sum> at column 5 expands to "
                            + "more than 10000 terms (200 for j from 1 to 200); sum over fewer terms"),
                    Arguments.of("a sum of 10^4 large terms", bigSum, "<Sum> at column 1 expands to more than 200000 "
                            + "expression nodes; use fewer or shorter terms"),
                    Arguments.of("10^5 characters", "w+".repeat(50_001) + "w",
                            "<100003 characters> is longer than 100000 characters; shorten the formula, e.g. with Sum"),
                    // unicode tricks
                    Arguments.of("Cyrillic Е in Exp", "\u0415xp[w]", character("U+0415", 1, "CYRILLIC CAPITAL LETTER IE")),
                    Arguments.of("Cyrillic е in Get", "G\u0435t[w]", character("U+0435", 2, "CYRILLIC SMALL LETTER IE")),
                    Arguments.of("Greek letter", "\u03b1*w", character("U+03B1", 1, "GREEK SMALL LETTER ALPHA")),
                    Arguments.of("fullwidth bracket", "Exp\uFF3Bw\uFF3D", character("U+FF3B", 4, "FULLWIDTH LEFT SQUARE BRACKET")),
                    Arguments.of("fullwidth letter", "\uFF57*x", character("U+FF57", 1, "FULLWIDTH LATIN SMALL LETTER W")),
                    Arguments.of("zero-width joiner", "w\u200D*x", character("U+200D", 2, "ZERO WIDTH JOINER")),
                    Arguments.of("zero-width space", "Ex\u200Bp[w]", character("U+200B", 3, "ZERO WIDTH SPACE")),
                    Arguments.of("right-to-left override", "w*x\u202E]w[teG", character("U+202E", 4, "RIGHT-TO-LEFT OVERRIDE")),
                    Arguments.of("no-break space", "w\u00A0*x", character("U+00A0", 2, "NO-BREAK SPACE")),
                    Arguments.of("NUL", "w\u0000", character("U+0000", 2, "NULL")),
                    Arguments.of("emoji", "w*\uD83D\uDE00", character("U+1F600", 3, "GRINNING FACE")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("hostile")
        void isRejectedWithinASecondWithoutFilesOrSymja(String what, String formula, String message) {
            long evaluations = SymbolicEngine.instance().evaluations();
            SpecException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> assertThrows(SpecException.class, () -> FormulaModel.of(spec(formula))));
            assertEquals("<string>: formula: " + message, e.getMessage());
            assertEquals(evaluations, SymbolicEngine.instance().evaluations(), "Symja evaluations");
            assertArrayEquals(new File[0], dir.toFile().listFiles(), "files created");
        }
    }
}
