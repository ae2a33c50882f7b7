package io.chainproof.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @ForAll NetworkSpec} parameter: the weight scale is log-uniform in {@code [min, max]}, as
 * {@link MlpArbitrary#weightScale(double, double)}; every weight and bias then has {@code |w| ≤ max}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WeightScale {

    /** @return the smallest scale, positive and finite */
    double min();

    /** @return the largest scale, finite and at least {@link #min()} */
    double max();
}
