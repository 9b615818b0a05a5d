package dev.lifeline.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy between AWS SDK clients and an emulator that injects faults and records every
 * AWS action it sees. Point the client's {@code endpointOverride} at {@link #endpoint()}.
 *
 * <p>Faults ({@link Fault}) are checked in the order injected; the first that matches a request
 * decides what happens to it. A fault with {@link Fault#times(int)} is used up after that many
 * requests. Every request is recorded ({@link #calls()}), faulted or not, because the client made
 * the call either way: that is what request counting and the IAM policy test need.
 *
 * <p>Built on the JDK's HTTP server and client: no sockets by hand.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    /** The account moto answers for (its default), in the ARNs of {@link #permissionsOnResources()}. */
    public static final String ACCOUNT = "123456789012";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient upstream;
    private final List<ActiveFault> faults = new CopyOnWriteArrayList<>();
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();

    private FaultProxy(URI target) throws IOException {
        this.target = target;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy");
            thread.setDaemon(true);
            return thread;
        });
        this.upstream = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a proxy on a free loopback port that forwards to {@code target} (for example moto). */
    public static FaultProxy start(URI target) {
        try {
            FaultProxy proxy = new FaultProxy(target);
            proxy.server.start();
            LOG.info("fault proxy on {} forwarding to {}", proxy.endpoint(), target);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the fault proxy", e);
        }
    }

    /** Base URI for the AWS SDK's {@code endpointOverride}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Adds a fault after those already active. */
    public FaultProxy inject(Fault fault) {
        faults.add(new ActiveFault(fault));
        return this;
    }

    /** Ends every fault: requests flow to the emulator again. */
    public void clearFaults() {
        faults.clear();
    }

    /** Every request seen since start or the last {@link #clearCalls()}, oldest first. */
    public List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    public void clearCalls() {
        calls.clear();
    }

    public int requestCount() {
        return calls.size();
    }

    /** How many requests named this IAM action, for example {@code dynamodb:UpdateTable}. */
    public long count(String iamAction) {
        return calls.stream().filter(call -> call.action().equals(iamAction)).count();
    }

    /** The distinct IAM actions seen ({@code dynamodb:DescribeTable}, ...), sorted. */
    public Set<String> actions() {
        return calls.stream().map(RecordedCall::action).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Every IAM permission the seen calls need: their actions plus what AWS checks in addition
     * for some of them (see {@link AwsAction#impliedPermissions}), sorted.
     */
    public Set<String> permissionsNeeded() {
        Set<String> needed = new TreeSet<>(actions());
        calls.forEach(call -> needed.addAll(call.impliedPermissions()));
        return needed;
    }

    /** Every permission the seen calls need, each with the resource ARN IAM checks it on. */
    public Set<Permission> permissionsOnResources() {
        return calls.stream().flatMap(call -> call.permissions().stream())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** How many requests each IAM action got, sorted by action. */
    public Map<String, Long> countsByAction() {
        return calls.stream().collect(Collectors.groupingBy(RecordedCall::action, java.util.TreeMap::new,
                Collectors.counting()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        AwsService service = AwsAction.serviceOf(path, amzTarget);
        String action = AwsAction.of(method, path, amzTarget).map(AwsAction::iamName)
                .orElse(method + " " + path.split("\\?", 2)[0]);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        List<String> implied = AwsAction.impliedPermissions(action, text);
        List<Permission> permissions = AwsAction.permissions(action, path, text,
                AwsAction.signingRegion(exchange.getRequestHeaders().getFirst("Authorization")), ACCOUNT);
        // The call's time is taken before its fault is chosen: a call that arrived before a fault was injected, and
        // so went through, never looks like one made after the injection (its answer may come later than that).
        Instant arrived = Instant.now();
        Optional<Fault> fault = claimFault(service, action);
        // Recorded before the client can see any answer, so a test that asserts right after its
        // call returns always finds the call recorded (and never one of a previous test late).
        boolean[] recorded = {false};
        IntConsumer record = status -> {
            if (!recorded[0]) {
                recorded[0] = true;
                calls.add(new RecordedCall(arrived, service, action, implied, permissions, method,
                        path.split("\\?", 2)[0],
                        fault.map(Fault::toString).orElse(null), status));
            }
        };
        try {
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.DROP_CONNECTION) {
                // Closing before any response header makes the JDK server close the TCP connection.
                return;
            }
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.ERROR) {
                record.accept(fault.get().status());
                sendError(exchange, service, fault.get());
                return;
            }
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.LATENCY) {
                sleep(fault.get().delay());
            }
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.UNRELIABLE) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                if (random.nextDouble() < fault.get().lossRatio()) {
                    return; // lost: closed unanswered, as DROP_CONNECTION
                }
                sleep(Duration.ofMillis(random.nextLong(fault.get().delay().toMillis() + 1)));
            }
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.DROP_RESPONSE) {
                forwardOnly(exchange, method, path, body);
                return;
            }
            forward(exchange, method, path, body, record);
        } finally {
            record.accept(-1);
            exchange.close();
        }
    }

    private Optional<Fault> claimFault(AwsService service, String action) {
        for (ActiveFault active : faults) {
            if (active.fault.matches(service, action) && active.claim()) {
                return Optional.of(active.fault);
            }
        }
        return Optional.empty();
    }

    private void forwardOnly(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        try {
            upstream.send(upstreamRequest(exchange, method, path, body), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    private HttpRequest upstreamRequest(HttpExchange exchange, String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private void forward(HttpExchange exchange, String method, String path, byte[] body, IntConsumer record)
            throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = upstream.send(upstreamRequest(exchange, method, path, body),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            byte[] message = ("emulator unreachable: " + e).getBytes(StandardCharsets.UTF_8);
            record.accept(502);
            exchange.sendResponseHeaders(502, message.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(message);
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] responseBody = response.body();
        boolean noBody = responseBody.length == 0 || "HEAD".equalsIgnoreCase(method);
        record.accept(response.statusCode());
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(responseBody);
            }
        }
    }

    private static void sendError(HttpExchange exchange, AwsService service, Fault fault) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String contentType;
        String body;
        if (service == AwsService.DYNAMODB) {
            contentType = "application/x-amz-json-1.0";
            body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + fault.errorCode()
                    + "\",\"message\":\"Injected by the Lifeline fault proxy\"}";
        } else if (service == AwsService.ROUTE53) {
            contentType = "text/xml";
            body = "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                    + "<Error><Type>" + (fault.status() >= 500 ? "Receiver" : "Sender") + "</Type><Code>"
                    + fault.errorCode() + "</Code><Message>Injected by the Lifeline fault proxy</Message></Error>"
                    + "<RequestId>" + requestId + "</RequestId></ErrorResponse>";
        } else {
            contentType = "text/plain";
            body = fault.errorCode();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
        exchange.getResponseHeaders().put("x-amzn-RequestId", List.of(requestId));
        exchange.sendResponseHeaders(fault.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration delay) throws IOException {
        try {
            // The fault itself is the delay.
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during injected latency", e);
        }
    }

    /** The faults currently active (used-up ones excluded), for test diagnostics. */
    public List<Fault> activeFaults() {
        List<Fault> active = new ArrayList<>();
        for (ActiveFault fault : faults) {
            if (!fault.usedUp()) {
                active.add(fault.fault);
            }
        }
        return Collections.unmodifiableList(active);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A fault plus how many more requests it may hit. */
    private static final class ActiveFault {
        final Fault fault;
        final AtomicInteger remaining;

        ActiveFault(Fault fault) {
            this.fault = fault;
            this.remaining = new AtomicInteger(fault.times());
        }

        boolean claim() {
            if (fault.times() < 0) {
                return true;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }

        boolean usedUp() {
            return fault.times() >= 0 && remaining.get() == 0;
        }
    }
}
