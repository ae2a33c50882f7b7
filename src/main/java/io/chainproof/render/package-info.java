/**
 * Output formats: {@link io.chainproof.render.GradientRenderer} for losses and gradients (text and the
 * JSON contract), {@link io.chainproof.render.VerificationRenderer} for check reports, and for people a
 * format-neutral {@link io.chainproof.render.Document} — built from derivations by
 * {@link io.chainproof.render.DerivationDocument} and {@link io.chainproof.render.ExplanationDocument}, with
 * SVG pictures from {@link io.chainproof.render.GraphPicture} and {@link io.chainproof.render.SweepChart} —
 * written as text, Markdown, LaTeX or self-contained HTML by {@link io.chainproof.render.TextWriter},
 * {@link io.chainproof.render.MarkdownWriter}, {@link io.chainproof.render.LatexWriter} and
 * {@link io.chainproof.render.HtmlWriter}.
 */
package io.chainproof.render;
