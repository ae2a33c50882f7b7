package example.mlp;

import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Glue between chainproof's {@link NetworkSpec} and our {@link TinyMlp}. */
final class Adapter {

    private Adapter() {
    }

    static TinyMlp.Act act(Activation activation) {
        return switch (activation) {
            case IDENTITY -> TinyMlp.Act.IDENTITY;
            case SIGMOID -> TinyMlp.Act.SIGMOID;
            case TANH -> TinyMlp.Act.TANH;
            default -> throw new IllegalArgumentException("TinyMlp has no " + activation.specName());
        };
    }

    static List<TinyMlp.Act> acts(NetworkSpec spec) {
        List<TinyMlp.Act> acts = new ArrayList<>();
        spec.layers().forEach(layer -> acts.add(act(layer.activation())));
        return acts;
    }

    static TinyMlp mlp(NetworkSpec spec) {
        return new TinyMlp(spec.parameters().weights(), spec.parameters().biases(), acts(spec));
    }

    /** Our gradients as chainproof wants them: {"W1": …, "b1": …, …}, PyTorch's layout. */
    static Map<String, Object> tensors(TinyMlp.Gradients g) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int l = 0; l < g.weights().size(); l++) {
            m.put("W" + (l + 1), g.weights().get(l));
            m.put("b" + (l + 1), g.biases().get(l));
        }
        return m;
    }

    static Map<String, Object> gradients(TinyMlp mlp, NetworkSpec spec) {
        return tensors(mlp.gradients(spec.data().x(), spec.data().y()));
    }
}
