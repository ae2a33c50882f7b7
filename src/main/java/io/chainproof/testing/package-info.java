/**
 * For other projects' test suites: {@link io.chainproof.testing.GradientAssertions}, JUnit 5 style assertions
 * that a gradient is correct (failures name the parameter, the layer, the error, the tolerance and the likely
 * bug), and {@link io.chainproof.testing.Networks}, jqwik arbitraries of random networks that shrink to the
 * smallest failing one. JUnit's and jqwik's APIs are provided by the user's own test dependencies.
 */
package io.chainproof.testing;
