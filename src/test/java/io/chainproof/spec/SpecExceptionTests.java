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

    @Test
    void showsEveryPartOnOnePrintableLineAndKeepsThePartsAsGiven() {
        SpecException e = new SpecException("a\nb.json", "lo\u2028ss", "x\u0000y\u001b[2J\t", "is \r bad", "fix \u202e it");
        assertEquals("a\\nb.json: lo\\u2028ss: <x\\u0000y\\u001B[2J\\t> is \\r bad; fix \\u202E it", e.getMessage());
        assertEquals("x\u0000y\u001b[2J\t", e.getValue());
    }

    @Test
    void cutsAFieldPathOrValueLongerThan200Characters() {
        SpecException e = new SpecException("s", "k".repeat(201), "v".repeat(300), "is long", "shorten it");
        assertEquals("s: " + "k".repeat(200) + "...: <" + "v".repeat(200) + "...> is long; shorten it", e.getMessage());
    }

    @Test
    void neverCutsASurrogatePairInTwo() {
        SpecException e = new SpecException("s", "f", "v".repeat(199) + "\uD83D\uDE00" + "v", "is long", "shorten it");
        assertEquals("s: f: <" + "v".repeat(199) + "...> is long; shorten it", e.getMessage());
    }
}
