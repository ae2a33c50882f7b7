package io.chainproof.symbolic;

import io.chainproof.ops.Activation;

import java.time.Duration;

/** Run in a child JVM by {@link SymbolicEngineTests}: uses Symja, then returns from main. */
final class JvmExitProbe {

    private JvmExitProbe() {
    }

    public static void main(String[] args) {
        System.out.println(LocalDerivatives.activation(Activation.SIGMOID).derivative());
        SymbolicEngine.instance().evaluate("Factor[x^12-1]");
        SymbolicEngine.instance().evaluateWithin("Together[1/x+1/y]", Duration.ofSeconds(1));
    }
}
