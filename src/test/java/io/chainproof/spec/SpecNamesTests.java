package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SpecNamesTests {

    @Nested
    class Activations {

        @Test
        void areNamedInLowerCaseWithUnderscores() {
            assertEquals(List.of("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "silu", "gelu", "elu", "softsign",
                    "softmax"),
                    Activation.specNames());
        }

        @ParameterizedTest
        @EnumSource(Activation.class)
        void areFoundByTheirSpecName(Activation activation) {
            assertEquals(Optional.of(activation), Activation.fromSpecName(activation.specName()));
        }

        @Test
        void areNotFoundByTheirConstantName() {
            assertEquals(Optional.empty(), Activation.fromSpecName("LEAKY_RELU"));
        }
    }

    @Nested
    class Losses {

        @Test
        void areNamedInLowerCaseWithUnderscores() {
            assertEquals(List.of("mse", "sse", "half_sse", "bce", "cross_entropy"), Loss.specNames());
        }

        @ParameterizedTest
        @EnumSource(Loss.class)
        void areFoundByTheirSpecName(Loss loss) {
            assertEquals(Optional.of(loss), Loss.fromSpecName(loss.specName()));
        }

        @Test
        void areNotFoundByAnotherName() {
            assertEquals(Optional.empty(), Loss.fromSpecName("crossentropy"));
        }
    }

    @Nested
    class InitSchemes {

        @Test
        void areNamedInLowerCaseWithUnderscores() {
            assertEquals(List.of("xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "uniform", "normal", "constant"),
                    InitScheme.specNames());
        }

        @ParameterizedTest
        @EnumSource(InitScheme.class)
        void areFoundByTheirSpecName(InitScheme scheme) {
            assertEquals(Optional.of(scheme), InitScheme.fromSpecName(scheme.specName()));
        }

        @Test
        void areEitherUniformNormalOrConstant() {
            for (InitScheme scheme : InitScheme.values()) {
                int kinds = (scheme.isUniform() ? 1 : 0) + (scheme.isNormal() ? 1 : 0) + (scheme == InitScheme.CONSTANT ? 1 : 0);
                assertEquals(1, kinds, scheme::toString);
            }
        }
    }

    @Nested
    class Formats {

        @ParameterizedTest
        @CsvSource({"a.json, JSON", "dir/b.JSON, JSON", "c.yaml, YAML", "d.yml, YAML", "e.YML, YAML"})
        void followTheExtension(String fileName, SpecFormat expected) {
            assertEquals(expected, SpecFormat.forFileName(fileName));
        }

        @Test
        void rejectAnyOtherExtension() {
            assertEquals("spec.toml: (file): <spec.toml> has no spec extension; name the file .json, .yaml or .yml",
                    assertThrows(SpecException.class, () -> SpecFormat.forFileName("spec.toml")).getMessage());
        }
    }
}
