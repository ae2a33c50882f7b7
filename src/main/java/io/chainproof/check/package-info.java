/**
 * Numeric checks of gradients: {@link io.chainproof.check.FiniteDifferenceChecker} compares a claimed
 * gradient with {@link io.chainproof.check.CentralDifference central differences} carrying error
 * estimates, under one {@link io.chainproof.check.Tolerance}, and returns a
 * {@link io.chainproof.check.CheckReport} of sealed {@link io.chainproof.check.Verdict verdicts}.
 */
package io.chainproof.check;
