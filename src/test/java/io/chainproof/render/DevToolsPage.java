package io.chainproof.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page open in headless Chromium, driven through the DevTools protocol: keys are pressed as the browser's own input
 * events ({@code Input.dispatchKeyEvent}, trusted, as a user's), and expressions are evaluated in the page. For tests
 * that move a slider and read what the page shows.
 */
final class DevToolsPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final long TIMEOUT_SECONDS = 60;

    private final Process browser;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String session;

    private DevToolsPage(Process browser, Path profile, WebSocket socket, Listener listener, Path html)
            throws Exception {
        this.browser = browser;
        this.profile = profile;
        this.socket = socket;
        listener.page = this;
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        this.session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        call(session, "Page.enable", Map.of());
        call(session, "Page.navigate", Map.of("url", html.toAbsolutePath().toUri().toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!"complete".equals(evaluate("document.readyState").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("page <" + html + "> did not finish loading");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Opens {@code html} in a fresh headless Chromium.
     *
     * @param chromium the browser
     * @param html a local page
     * @return the open page; close it to end the browser
     * @throws Exception if the browser cannot be started or reached
     */
    static DevToolsPage open(HeadlessChromium chromium, Path html) throws Exception {
        Path profile = Files.createTempDirectory("chainproof-devtools-");
        Process browser = new ProcessBuilder(chromium.executable().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String url = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
        for (String line; url == null && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
        }
        if (url == null) {
            browser.destroyForcibly();
            throw new IllegalStateException("Chromium did not say where DevTools listens");
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // the browser ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        Listener listener = new Listener();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), listener)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new DevToolsPage(browser, profile, socket, listener, html);
    }

    /**
     * Evaluates a JavaScript expression in the page.
     *
     * @param expression the expression
     * @return its value, as JSON
     * @throws Exception if the protocol fails or the expression throws
     */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("<" + expression + "> threw: " + result.get("exceptionDetails"));
        }
        return result.get("result").path("value");
    }

    /**
     * Presses and releases a key, as the browser's own input events, in the focused element.
     *
     * @param key the key's name, e.g. "ArrowRight"
     * @param keyCode its Windows virtual key code, e.g. 39
     * @throws Exception if the protocol fails
     */
    void press(String key, int keyCode) throws Exception {
        for (String type : new String[] {"rawKeyDown", "keyUp"}) {
            call(session, "Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
        }
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        JsonNode response = reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.get("result");
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Hands each reply to the call waiting for its id; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile DevToolsPage page;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    if (message.has("id") && page != null) {
                        CompletableFuture<JsonNode> reply = page.pending.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("DevTools sent something that is not JSON", e);
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
