package io.chainproof.symbolic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprCodec;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local rules Symja derives from the fixed op definitions — every activation's φ and φ', every loss term's
 * derivative, the softmax Jacobian, the affine map's partials, the ops' derivatives the bundled models use, and the
 * bounds γ = sup|φ'| of their elementwise ops —
 * kept as a resource ({@value #RESOURCE}, next to this class) so that commands which derive nothing new (gradient,
 * check, verify, bound, sweep) never start Symja. The resource is Symja's own output: {@code DerivedRulesTests} re-derives every
 * entry with Symja and requires equality, and regenerates the file on request. An entry not in it is derived by
 * Symja at run time, as before. Immutable once loaded; thread-safe.
 *
 * @param activations φ and φ' per elementwise activation
 * @param losses      per loss, its term and derivative
 * @param softmax     the softmax Jacobian, if kept
 * @param affine      the affine map's partials, if kept
 * @param derivatives op definitions' derivatives, by (definition, variable)
 * @param bounds      γ = sup|φ'| of elementwise op definitions ({@link DerivativeBounds}), by definition
 */
record DerivedRules(Map<Activation, ActivationDerivative> activations, Map<Loss, LossDerivative> losses,
                    Optional<SoftmaxDerivative> softmax, Optional<AffineDerivative> affine,
                    Map<Key, Expr> derivatives, Map<Expr, ActivationBound> bounds) {

    /** The resource's name, relative to this class. */
    static final String RESOURCE = "derived-rules.json";

    /** An op definition differentiated by one of its variables. */
    record Key(Expr definition, String variable) {
    }

    private static final class Holder {
        private static final DerivedRules KEPT = load();
    }

    /**
     * The rules kept in the resource (empty if there is none).
     *
     * @return the kept rules
     */
    static DerivedRules kept() {
        return Holder.KEPT;
    }

    private static DerivedRules load() {
        try (InputStream in = DerivedRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new DerivedRules(Map.of(), Map.of(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
            }
            try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory()
                    .createParser(in)) {
                parser.nextToken();
                return read(tree(parser));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept derivations " + RESOURCE, e);
        }
    }

    /**
     * The JSON value at the parser's current token as a tree, built with the streaming parser alone: an
     * {@link ObjectMapper} would load hundreds of classes for one small file at start-up.
     */
    private static JsonNode tree(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, tree(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    array.add(tree(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IOException("unexpected " + parser.currentToken() + " in " + RESOURCE);
        }
    }

    /**
     * The rules of a JSON document written by {@link #write}.
     *
     * @param root the document
     * @return the rules
     */
    static DerivedRules read(JsonNode root) {
        Map<Activation, ActivationDerivative> activations = new EnumMap<>(Activation.class);
        root.path("activations").fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            Activation activation = Activation.valueOf(e.getKey());
            activations.put(activation, new ActivationDerivative(activation, expr(a, "value"), expr(a, "derivative"),
                    a.get("derivativeText").asText(), a.get("derivativeLatex").asText(), a.get("definitionText").asText()));
        });
        Map<Loss, LossDerivative> losses = new EnumMap<>(Loss.class);
        root.path("losses").fields().forEachRemaining(e -> {
            JsonNode l = e.getValue();
            Loss loss = Loss.valueOf(e.getKey());
            losses.put(loss, new LossDerivative(loss, expr(l, "term"), expr(l, "derivative"),
                    LossDerivative.Reduction.valueOf(l.get("reduction").asText()), l.get("termText").asText(),
                    l.get("derivativeText").asText(), l.get("derivativeLatex").asText()));
        });
        Optional<SoftmaxDerivative> softmax = Optional.ofNullable(root.get("softmax")).map(s -> new SoftmaxDerivative(
                expr(s, "diagonal"), expr(s, "offDiagonal"), s.get("text").asText(), s.get("latex").asText(),
                s.get("proved").asBoolean()));
        Optional<AffineDerivative> affine = Optional.ofNullable(root.get("affine")).map(a -> new AffineDerivative(
                expr(a, "dzdw"), expr(a, "dzdb"), expr(a, "dzdo")));
        Map<Key, Expr> derivatives = new LinkedHashMap<>();
        root.path("derivatives").forEach(d -> derivatives.put(new Key(expr(d, "definition"), d.get("variable").asText()),
                expr(d, "derivative")));
        Map<Expr, ActivationBound> bounds = new LinkedHashMap<>();
        root.path("bounds").forEach(b -> bounds.put(expr(b, "definition"), new ActivationBound(
                b.get("activation").asText(), b.get("gamma").asDouble(), b.get("argmax").isNull()
                ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(b.get("argmax").asDouble()),
                b.get("attained").asBoolean(), b.get("method").asText())));
        return new DerivedRules(Map.copyOf(activations), Map.copyOf(losses), softmax, affine, derivatives, bounds);
    }

    private static Expr expr(JsonNode node, String field) {
        return ExprCodec.decode(node.get(field).asText());
    }

    /**
     * This table as the resource's JSON, in a stable order.
     *
     * @return the pretty-printed document
     */
    String write() {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("about", "Symja's derivations of chainproof's fixed local rules (expressions in io.chainproof.expr."
                + "ExprCodec's prefix form); generated and checked by DerivedRulesTests — do not edit by hand");
        ObjectNode a = root.putObject("activations");
        new EnumMap<>(activations).forEach((k, v) -> {
            ObjectNode n = a.putObject(k.name());
            n.put("value", ExprCodec.encode(v.value()));
            n.put("derivative", ExprCodec.encode(v.derivative()));
            n.put("derivativeText", v.derivativeText());
            n.put("derivativeLatex", v.derivativeLatex());
            n.put("definitionText", v.definitionText());
        });
        ObjectNode l = root.putObject("losses");
        new EnumMap<>(losses).forEach((k, v) -> {
            ObjectNode n = l.putObject(k.name());
            n.put("term", ExprCodec.encode(v.term()));
            n.put("derivative", ExprCodec.encode(v.derivative()));
            n.put("reduction", v.reduction().name());
            n.put("termText", v.termText());
            n.put("derivativeText", v.derivativeText());
            n.put("derivativeLatex", v.derivativeLatex());
        });
        softmax.ifPresent(s -> {
            ObjectNode n = root.putObject("softmax");
            n.put("diagonal", ExprCodec.encode(s.diagonal()));
            n.put("offDiagonal", ExprCodec.encode(s.offDiagonal()));
            n.put("text", s.text());
            n.put("latex", s.latex());
            n.put("proved", s.proved());
        });
        affine.ifPresent(f -> {
            ObjectNode n = root.putObject("affine");
            n.put("dzdw", ExprCodec.encode(f.dzdw()));
            n.put("dzdb", ExprCodec.encode(f.dzdb()));
            n.put("dzdo", ExprCodec.encode(f.dzdo()));
        });
        ArrayNode d = root.putArray("derivatives");
        derivatives.entrySet().stream()
                .map(e -> Map.entry(ExprCodec.encode(e.getKey().definition()) + "\u0000" + e.getKey().variable(), e))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    ObjectNode n = d.addObject();
                    n.put("definition", ExprCodec.encode(e.getValue().getKey().definition()));
                    n.put("variable", e.getValue().getKey().variable());
                    n.put("derivative", ExprCodec.encode(e.getValue().getValue()));
                });
        ArrayNode b = root.putArray("bounds");
        bounds.entrySet().stream().map(e -> Map.entry(ExprCodec.encode(e.getKey()), e.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    ObjectNode n = b.addObject();
                    n.put("definition", e.getKey());
                    n.put("activation", e.getValue().activation());
                    n.put("gamma", e.getValue().gamma());
                    if (e.getValue().argmax().isPresent()) {
                        n.put("argmax", e.getValue().argmax().getAsDouble());
                    } else {
                        n.putNull("argmax");
                    }
                    n.put("attained", e.getValue().attained());
                    n.put("method", e.getValue().method());
                });
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
