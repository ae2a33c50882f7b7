/**
 * The computation graph of a network spec: {@link io.chainproof.graph.ComputationGraph} with its named
 * {@link io.chainproof.graph.Node nodes} (x, z, o, y, L), the flat parameter layout, and
 * {@link io.chainproof.graph.ParameterId parameter names} ({@code W1[0][1]}, {@code b1[0]}) with the
 * lecture's notation (w<sup>(1)</sup><sub>12</sub>).
 */
package io.chainproof.graph;
