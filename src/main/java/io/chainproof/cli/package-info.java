/**
 * The command line ({@link io.chainproof.cli.Main}, picocli): one class per command — {@code gradient},
 * {@code check}, {@code verify}, {@code derive}, {@code explain}, {@code bound}, {@code sweep}. Every command
 * works through the model; where it must tell spec kinds apart it dispatches with
 * {@link io.chainproof.spec.Spec.Visitor}, and a kind it cannot serve is an {@code Unsupported} outcome. Exit 0
 * success, 1 a check failed, 2 bad input, 3 an internal error.
 */
package io.chainproof.cli;
