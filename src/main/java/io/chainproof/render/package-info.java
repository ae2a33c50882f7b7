/**
 * Output formats: {@link io.chainproof.render.GradientRenderer} for losses and gradients (text and the
 * JSON contract), {@link io.chainproof.render.VerificationRenderer} for check reports.
 */
package io.chainproof.render;
