package io.chainproof.cli;

import io.chainproof.spec.ReadLimits;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --max-parameters}: a model larger than the limit is refused from its shapes, naming the layer and the count. */
class MaxParametersTests {

    @Test
    void a_model_over_the_limit_is_bad_input_naming_its_largest_layer() {
        // 2-3-2-1: layer 1 has 2·3 + 3 = 9 parameters, the model 9 + 8 + 3 = 20
        CliTests.Run r = CliTests.run("gradient", "examples/mlp-2-3-2-1.json", "--max-parameters", "19");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("chainproof: examples/mlp-2-3-2-1.json: layers[0].units: <20 parameters> are more than the "
                + "--max-parameters 19 given (layer 1 alone has 9); use fewer or smaller layers, or raise "
                + "--max-parameters\n", r.err());
        assertEquals(0, CliTests.run("gradient", "examples/mlp-2-3-2-1.json", "--max-parameters", "20").exitCode());
    }

    @Test
    void every_kind_of_spec_is_held_to_it() {
        for (String spec : new String[] {"examples/small-cnn.json", "examples/rnn-tanh-every.json",
                "examples/lstm-language-model.json"}) {
            CliTests.Run r = CliTests.run("check", spec, "--max-parameters", "3");
            assertEquals(2, r.exitCode(), spec + ": " + r.err());
            assertTrue(r.err().contains("are more than the --max-parameters 3 given"), r.err());
        }
    }

    @Test
    void the_limit_is_one_or_more_and_ends_with_the_reading() {
        CliTests.Run r = CliTests.run("gradient", CliTests.LECTURE, "--max-parameters", "0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--max-parameters: <0> must be at least 1"), r.err());
        Path lecture = Path.of(CliTests.LECTURE);
        assertThrows(SpecException.class, () -> ReadLimits.withMaxParameters(5, () -> SpecReader.readAny(lecture)));
        assertEquals(6, ReadLimits.withMaxParameters(6, () -> SpecReader.readAny(lecture)) instanceof
                io.chainproof.spec.NetworkSpec n ? n.parameters().layerCount() * 2 : -1);
        SpecReader.readAny(lecture); // no limit is left behind on the thread
    }
}
