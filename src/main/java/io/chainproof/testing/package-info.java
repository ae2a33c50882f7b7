/**
 * For other projects' test suites: {@link io.chainproof.testing.GradientAssertions}, JUnit 5 style assertions
 * that a gradient is correct (failures name the parameter, the layer, the error, the tolerance and the likely
 * bug), and {@link io.chainproof.testing.Networks}, jqwik arbitraries of random networks that shrink to the
 * smallest failing one. JUnit's and jqwik's APIs are provided by the user's own test dependencies.
 *
 * <p>Thread safety: the assertions are stateless and may be called from any number of threads at once (JUnit's
 * parallel execution, parallel jqwik properties); each call verifies with its own objects, and what they share
 * (compiled kernels, op graphs, derived rules, Symja behind its lock) is thread-safe. The arbitraries are
 * immutable: every configuring method returns a new one.
 */
package io.chainproof.testing;
