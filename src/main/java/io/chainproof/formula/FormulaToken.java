package io.chainproof.formula;

/**
 * One token of a formula: its kind, its text as written and its 1-based column.
 *
 * @param kind   what the token is
 * @param text   the characters of the token
 * @param column the 1-based column of its first character
 */
record FormulaToken(Kind kind, String text, int column) {

    /** The kinds of token the grammar knows; everything else is rejected by the lexer. */
    enum Kind { NUMBER, NAME, PLUS, MINUS, TIMES, DIVIDE, POWER, OPEN_PAREN, CLOSE_PAREN, OPEN_BRACKET, OPEN_PART,
        CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, COMMA, END }

    /** @return the token as shown in messages: its text, or {@code end of formula} */
    String shown() {
        return kind == Kind.END ? "end of formula" : text;
    }
}
