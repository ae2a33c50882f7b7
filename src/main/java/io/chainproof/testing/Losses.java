package io.chainproof.testing;

import io.chainproof.spec.Loss;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @ForAll NetworkSpec} parameter: the loss is one of these, as
 * {@link MlpArbitrary#losses(Loss...)}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Losses {

    /** @return the losses, at least one */
    Loss[] value();
}
