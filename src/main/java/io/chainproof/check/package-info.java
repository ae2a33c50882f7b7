/**
 * Numeric checks of gradients, one pipeline for every model: {@link io.chainproof.check.GradientVerifier} checks a
 * claimed gradient of any {@link io.chainproof.check.LossFunction} — an op graph walked by
 * {@link io.chainproof.check.GraphFunction}, an MLP served from compiled code by
 * {@link io.chainproof.check.NetworkFunction} ({@link io.chainproof.check.LossFunctions#of} picks), a user's plain
 * function — against the complex step, forward-mode AD or {@link io.chainproof.check.CentralDifference central
 * differences}, each with its error estimate, under one {@link io.chainproof.check.Tolerance} and the
 * {@link io.chainproof.check.Thresholds}; it returns a {@link io.chainproof.check.VerificationReport} of sealed
 * {@link io.chainproof.check.Verdict verdicts} with a {@link io.chainproof.check.Localisation} of the fault, found
 * from the ops' own fault catalogues. {@link io.chainproof.check.GradientChecker} is the front for plain Java
 * functions (gradients through the same verifier, Jacobians column by column).
 *
 * <p>Thread safety: a {@code GradientVerifier} is immutable, and a {@code LossFunction} from
 * {@link io.chainproof.check.LossFunctions#of} may be used by many threads at once (its kernels are per thread,
 * its lazily built op graph, tape and compiled walk are published safely), each getting the numbers it would
 * get alone, bit for bit. A plain function given to {@link io.chainproof.check.GradientChecker} is called from
 * the checking thread only, one call at a time ({@link io.chainproof.check.LossFunction#threadSafe()}), since it
 * may reuse buffers of its own.
 */
package io.chainproof.check;
