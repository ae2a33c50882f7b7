package io.chainproof.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @ForAll NetworkSpec} parameter: every hidden layer has a number of units in
 * {@code [min, max]}, as {@link MlpArbitrary#widths(int, int)}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Width {

    /** @return the fewest units of a hidden layer, at least 1 */
    int min();

    /** @return the most units of a hidden layer, at least {@link #min()} */
    int max();
}
