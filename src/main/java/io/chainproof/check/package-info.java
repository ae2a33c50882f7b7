/**
 * Numeric checks of gradients: {@link io.chainproof.check.GradientVerifier} compares a claimed
 * gradient with {@link io.chainproof.check.CentralDifference central differences} carrying error
 * estimates, under one {@link io.chainproof.check.Tolerance}, and returns a
 * {@link io.chainproof.check.VerificationReport} of sealed {@link io.chainproof.check.Verdict verdicts}
 * with a {@link io.chainproof.check.Localisation} of the fault. For functions that are not networks,
 * {@link io.chainproof.check.GradientChecker} checks any gradient or Jacobian and returns a
 * {@link io.chainproof.check.FunctionCheckReport}.
 */
package io.chainproof.check;
