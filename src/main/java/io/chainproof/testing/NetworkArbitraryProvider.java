package io.chainproof.testing;

import io.chainproof.spec.NetworkSpec;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.providers.ArbitraryProvider;
import net.jqwik.api.providers.TypeUsage;

import java.util.Optional;
import java.util.Set;

/**
 * Lets jqwik generate {@code @ForAll NetworkSpec} parameters: {@link Networks#mlps()} configured by the
 * parameter's {@link Depth}, {@link Width}, {@link WeightScale}, {@link Activations} and {@link Losses}
 * annotations. Registered in {@code META-INF/services/net.jqwik.api.providers.ArbitraryProvider}, so it
 * is found as soon as chainproof is on the test class path; users do not call it.
 */
public final class NetworkArbitraryProvider implements ArbitraryProvider {

    /** Creates the provider; jqwik does this through {@link java.util.ServiceLoader}. */
    public NetworkArbitraryProvider() {
    }

    /** @return true for {@link NetworkSpec} and {@link io.chainproof.spec.LayeredSpec} */
    @Override
    public boolean canProvideFor(TypeUsage targetType) {
        return targetType.isOfType(NetworkSpec.class) || targetType.isOfType(io.chainproof.spec.LayeredSpec.class);
    }

    /**
     * @throws IllegalArgumentException if an annotation holds a value its {@link MlpArbitrary} method rejects
     */
    @Override
    public Set<Arbitrary<?>> provideFor(TypeUsage targetType, SubtypeProvider subtypeProvider) {
        if (targetType.isOfType(io.chainproof.spec.LayeredSpec.class)) {
            LayeredArbitrary layered = Networks.layered();
            Optional<Activations> activations = targetType.findAnnotation(Activations.class);
            if (activations.isPresent()) {
                layered = layered.activations(activations.get().value());
            }
            Optional<Losses> losses = targetType.findAnnotation(Losses.class);
            if (losses.isPresent()) {
                layered = layered.losses(losses.get().value());
            }
            return Set.of(layered);
        }
        return Set.of(configured(targetType));
    }

    static MlpArbitrary configured(TypeUsage targetType) {
        MlpArbitrary mlps = Networks.mlps();
        Optional<Depth> depth = targetType.findAnnotation(Depth.class);
        if (depth.isPresent()) {
            mlps = mlps.depth(depth.get().min(), depth.get().max());
        }
        Optional<Width> width = targetType.findAnnotation(Width.class);
        if (width.isPresent()) {
            mlps = mlps.widths(width.get().min(), width.get().max());
        }
        Optional<WeightScale> scale = targetType.findAnnotation(WeightScale.class);
        if (scale.isPresent()) {
            mlps = mlps.weightScale(scale.get().min(), scale.get().max());
        }
        Optional<Activations> activations = targetType.findAnnotation(Activations.class);
        if (activations.isPresent()) {
            mlps = mlps.activations(activations.get().value());
            if (activations.get().output().length > 0) {
                mlps = mlps.outputActivations(activations.get().output());
            }
        }
        Optional<Losses> losses = targetType.findAnnotation(Losses.class);
        if (losses.isPresent()) {
            mlps = mlps.losses(losses.get().value());
        }
        return mlps;
    }
}
