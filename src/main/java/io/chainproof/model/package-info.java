/**
 * A model as a graph of ops over named, shaped tensors: {@link io.chainproof.model.Model} holds the tensors
 * (parameters, data, intermediates), the {@link io.chainproof.model.Node nodes} in evaluation order, the flat
 * parameter layout with the spec's names ({@code W1[0][1]}, {@code Wh[0][1]}, {@code v[1]}) and the loss.
 * {@link io.chainproof.model.Models} builds one from any spec: an MLP becomes dense, activation and loss ops; an
 * RNN its cell unrolled over time with shared weights (so backpropagation through time is the reverse walk); a
 * formula one expression op. Every later stage works on the graph.
 */
package io.chainproof.model;
