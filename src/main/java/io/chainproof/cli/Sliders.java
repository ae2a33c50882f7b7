package io.chainproof.cli;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.DidYouMean;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecException;

import java.nio.file.Path;
import java.util.List;

/** The {@code --slider NAME} options of {@code explain} and {@code derive}: each must name a parameter, at most 12. */
final class Sliders {

    /** The most sliders a page takes (besides the scale slider). */
    static final int MAX = 12;

    private Sliders() {
    }

    /**
     * @param path    the spec's path, for messages
     * @param network the network
     * @param names   the chosen parameters
     * @throws SpecException naming the first bad name, with the closest parameter, or the count
     */
    static void require(Path path, NetworkSpec network, List<String> names) {
        if (names.size() > MAX) {
            throw new SpecException(path.toString(), "--slider", names.size() + " sliders", "a page takes at most "
                    + MAX, "choose at most " + MAX + " parameters");
        }
        List<String> parameters = ComputationGraph.of(network).parameterNames();
        for (String name : names) {
            if (!parameters.contains(name)) {
                String suggestion = DidYouMean.closest(name, parameters).map(s -> " (did you mean " + s + "?)")
                        .orElse("");
                throw new SpecException(path.toString(), "--slider", name, "is not a parameter of " + network.name()
                        + ", whose parameters are " + parameters.get(0) + " … " + parameters.get(parameters.size() - 1)
                        + suggestion, "name a parameter as `chainproof gradient` prints it, e.g. " + parameters.get(0));
            }
        }
    }

    /**
     * Sliders run in HTML pages of MLP specs (every activation has a JavaScript twin); {@code --slider} needs
     * {@code --interactive}.
     *
     * @param path        the spec's path, for messages
     * @param read        the spec
     * @param interactive whether {@code --interactive} was given
     * @param format      the output format
     * @param sliders     the chosen parameters
     * @throws SpecException if the page cannot carry the sliders
     */
    static void requireInteractive(Path path, io.chainproof.spec.Spec read, boolean interactive,
                                   DocumentOutput.Format format, List<String> sliders) {
        if (!interactive) {
            if (!sliders.isEmpty()) {
                throw new SpecException(path.toString(), "--slider", sliders.get(0), "places a slider in an "
                        + "interactive page", "add --format html --interactive");
            }
            return;
        }
        if (format != DocumentOutput.Format.html) {
            throw new SpecException(path.toString(), "--interactive", "with --format " + format,
                    "needs a page that runs scripts", "add --format html");
        }
        if (!(read instanceof NetworkSpec network)) {
            throw new SpecException(path.toString(), "--interactive", "on a " + read.getClass().getSimpleName()
                    .replace("Spec", "").toLowerCase(java.util.Locale.ROOT) + " spec",
                    "is available for MLP specs (dense layers)", "leave --interactive out for this spec");
        }
        if (!sliders.isEmpty()) {
            require(path, network, sliders);
        }
    }
}
