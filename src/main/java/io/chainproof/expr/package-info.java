/**
 * Symja-free real expressions: {@link io.chainproof.expr.Expr}, the form in which symbolic results
 * (local derivatives, chain-rule factors) travel to the numeric compiler and the evaluators.
 * {@link io.chainproof.expr.ExprEvaluator} evaluates one directly in double precision, for checks
 * that need no speed.
 */
package io.chainproof.expr;
