package io.chainproof.testing;

import io.chainproof.ops.Activation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @ForAll NetworkSpec} parameter: hidden layers use only these activations, as
 * {@link MlpArbitrary#activations(Activation...)}; with {@link #output()} the output layer uses only
 * those, as {@link MlpArbitrary#outputActivations(Activation...)}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Activations {

    /** @return the activations of hidden layers: elementwise, at least one */
    Activation[] value();

    /** @return the activations of the output layer; empty (the default) for every one that fits a loss */
    Activation[] output() default {};
}
