/**
 * What the user wrote: a network spec read from JSON or YAML and validated into immutable records.
 *
 * <p>The central type is {@link io.chainproof.spec.NetworkSpec} (architecture, loss, concrete parameters
 * and data); {@link io.chainproof.spec.SpecReader} turns a file into one, and every rule a spec can
 * break is reported as a {@link io.chainproof.spec.SpecException} whose message names the file, the
 * field, the value, the rule and a fix.
 */
package io.chainproof.spec;
