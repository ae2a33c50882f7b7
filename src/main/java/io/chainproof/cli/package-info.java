/**
 * The command line ({@link io.chainproof.cli.Main}, picocli): one class per command — {@code gradient},
 * {@code check}, {@code derive}. Exit 0 success, 1 a check failed, 2 bad input.
 */
package io.chainproof.cli;
