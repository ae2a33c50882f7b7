/**
 * Derivations as data for people: {@link io.chainproof.explain.Explainer} gathers, for a parameter, the
 * paths to the loss, the chain-rule factorisation, the local rules, the closed form and its proof, the
 * numerical checks and the growth bound into a {@link io.chainproof.explain.ParameterExplanation}, and for
 * a whole spec a {@link io.chainproof.explain.SpecExplanation}; {@code io.chainproof.render} writes them as
 * text, Markdown, LaTeX or HTML.
 */
package io.chainproof.explain;
