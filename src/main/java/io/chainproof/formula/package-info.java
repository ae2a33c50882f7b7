/**
 * Losses written as formulas: {@link io.chainproof.formula.FormulaParser} reads the text of a
 * {@code "type": "formula"} spec with its own small grammar (the user's text never reaches Symja) and
 * an allow-list of functions, rejecting anything else with its column; the central type
 * {@link io.chainproof.formula.FormulaModel} holds the parsed loss, its symbolic derivatives by every
 * parameter (derived under a time limit) and evaluates both in double precision.
 */
package io.chainproof.formula;
