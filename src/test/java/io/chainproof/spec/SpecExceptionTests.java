package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.chainproof.ChainproofException;
import org.junit.jupiter.api.Test;

class SpecExceptionTests {

    private final SpecException units = new SpecException("LayerSpec", "units", "0", "must be at least 1",
            "give the layer 1 or more units");

    @Test
    void formatsSourcePathValueRuleAndFix() {
        assertEquals("LayerSpec: units: <0> must be at least 1; give the layer 1 or more units", units.getMessage());
    }

    @Test
    void isAChainproofException() {
        assertInstanceOf(ChainproofException.class, units);
    }

    @Test
    void movesARecordsComplaintIntoAFile() {
        SpecException moved = units.within("bad.json", "layers[1]");
        assertEquals("bad.json: layers[1].units: <0> must be at least 1; give the layer 1 or more units", moved.getMessage());
        assertEquals("layers[1].units", moved.getFieldPath());
        assertSame(units, moved.getCause());
    }

    @Test
    void joinsAnIndexedPathWithoutADot() {
        SpecException row = new SpecException("X", "[2]", "v", "is wrong", "fix it");
        assertEquals("bad.json: data.x[2]: <v> is wrong; fix it", row.within("bad.json", "data.x").getMessage());
    }
}
