package io.chainproof.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @ForAll NetworkSpec} parameter: the number of layers (hidden layers plus the output layer)
 * is in {@code [min, max]}, as {@link MlpArbitrary#depth(int, int)}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Depth {

    /** @return the fewest layers, at least 1 */
    int min();

    /** @return the most layers, at least {@link #min()} */
    int max();
}
