package io.chainproof.cli;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecException;

import java.nio.file.Path;

/**
 * The depth up to which {@code explain} and {@code derive} write an MLP's gradient in closed form. Their symbolic
 * expressions nest once per layer and are walked recursively (proofs, degree bounds, printing), so past some depth
 * they overflow the command line's stack; measured with the default 1 MB stack, width 4, tanh:
 * <pre>
 *   layers   explain         derive --parameter W1[0][0]
 *      200   ok (35 s)       ok (8 s)
 *      251   ok (75 s)       stack overflow
 *      300   stack overflow  stack overflow
 * </pre>
 * A deeper MLP is refused before any work, exit 2; {@code gradient}, {@code check}, {@code verify}, {@code bound} and
 * {@code sweep} take any depth.
 */
final class SymbolicDepth {

    /** The most layers explain and derive take. */
    static final int MAX_LAYERS = 200;

    private SymbolicDepth() {
    }

    /**
     * @param network the MLP to explain or derive
     * @param path    its file
     * @param command the command, for the message
     * @throws SpecException if it has more than {@value #MAX_LAYERS} layers
     */
    static void require(NetworkSpec network, Path path, String command) {
        int layers = network.layers().size();
        if (layers > MAX_LAYERS) {
            throw new SpecException(path.toString(), "layers", layers + " layers", "are more than the " + MAX_LAYERS
                    + " that " + command + " writes in closed form (its expressions nest once per layer)",
                    "use gradient, check, verify or bound, which take any depth, or a network of at most "
                            + MAX_LAYERS + " layers");
        }
    }
}
