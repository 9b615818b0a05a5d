package dev.lifeline.media.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.signaling.HostPort;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * Drives one relay process directly (no signaling): binds {@code --sessions} pairs of participants
 * with self-minted media tokens, then sends 172-byte packets at each rate of {@code --rates} for
 * {@code --seconds}, one step after another, and reports per step what arrived, the one-way
 * latency, and how much CPU the relay process used ({@code --relay-pid}). With {@code --direct}
 * the pairs talk to each other without the relay: the baseline to subtract for added latency.
 *
 * <p>Throughput is counted at the relay's ingress: with two participants per session every packet
 * received is forwarded exactly once.
 */
public final class RelayBenchmark {

    private static final int PACKET = AudioPacket.SIZE;
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    private record Pair(DatagramChannel a, DatagramChannel b, int bindingA, int bindingB) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        InetSocketAddress relay = HostPort.parse(args.get("relay", "127.0.0.1:40000"));
        String relayId = args.get("relay-id", "bench-relay");
        TokenCodec tokens = new TokenCodec(args.require("secret").getBytes(StandardCharsets.UTF_8));
        int sessions = args.integer("sessions", 200);
        int seconds = args.integer("seconds", 5);
        boolean direct = args.flag("direct");
        long relayPid = args.number("relay-pid", -1);
        String[] rates = args.get("rates", "50000,100000,150000,200000,250000").split(",");
        Path out = Path.of(args.get("out", "target/bench/relay-benchmark.txt"));

        List<Pair> pairs = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            pairs.add(direct ? directPair() : boundPair(relay, tokens, relayId, "bench-" + s));
        }
        Selector selector = Selector.open();
        for (Pair pair : pairs) {
            for (DatagramChannel channel : List.of(pair.a(), pair.b())) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream report = new PrintStream(Files.newOutputStream(out), true, StandardCharsets.UTF_8)) {
            String header = String.format("# relay benchmark %s, %s, %d sessions x 2 participants, %d-byte packets, %d s per step%n"
                            + "# target_pps sent_pps received_pps loss_pct p50_us p99_us p999_us max_us relay_cpu_pct relay_pps_per_cpu_core relay_runnable_but_waiting_pct",
                    Instant.now(), direct ? "DIRECT (no relay, baseline)" : "via relay " + relay, sessions, PACKET, seconds);
            emit(report, header);
            ProcessCpu cpu = relayPid > 0 ? new ProcessCpu(relayPid) : null;
            // JIT warm-up of this JVM (and of the relay's) at the first rate; not reported.
            runStep(QUIET, pairs, selector, rates.length,
                    Integer.parseInt(rates[0].trim()), args.integer("warmup-seconds", 3), null);
            for (int step = 0; step < rates.length; step++) {
                runStep(report, pairs, selector, step, Integer.parseInt(rates[step].trim()), seconds, cpu);
            }
        }
        System.out.println("results written to " + out.toAbsolutePath());
        System.exit(0);
    }

    private static void runStep(PrintStream report, List<Pair> pairs, Selector selector, int step, int rate,
                                int seconds, ProcessCpu cpu) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong received = new AtomicLong();
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        Thread receiver = new Thread(() -> receive(selector, step, latency, received, stopAt), "receiver");
        receiver.start();
        double cpuBefore = cpu == null ? -1 : cpu.seconds();
        double waitBefore = cpu == null ? -1 : cpu.waitingSeconds();
        long start = System.nanoTime();
        long sent = send(pairs, step, rate, seconds);
        long sendNanos = System.nanoTime() - start;
        double cpuAfter = cpu == null ? -1 : cpu.seconds();
        double waitAfter = cpu == null ? -1 : cpu.waitingSeconds();
        // Let in-flight packets land before counting.
        stopAt.set(System.nanoTime() + 300_000_000L);
        receiver.join();
        Histogram h = latency.getIntervalHistogram();
        double elapsed = sendNanos / 1e9;
        double lossPct = sent == 0 ? 0 : 100.0 * (sent - received.get()) / sent;
        double cpuPct = cpu == null ? -1 : 100.0 * (cpuAfter - cpuBefore) / elapsed;
        double ppsPerCore = cpuPct > 0 ? (received.get() / elapsed) / (cpuPct / 100.0) : -1;
        double waitPct = cpu == null ? -1 : 100.0 * (waitAfter - waitBefore) / elapsed;
        emit(report, String.format("%d %.0f %.0f %.3f %d %d %d %d %.1f %.0f %.1f", rate, sent / elapsed,
                received.get() / elapsed, lossPct, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), cpuPct, ppsPerCore, waitPct));
    }

    /**
     * Paced sending in 100 µs ticks: each tick sends the packets that are due, then parks. No
     * busy-spinning, so the receiver thread on the same core is not starved; when late, due
     * packets leave at once (no silent slowdown).
     */
    private static long send(List<Pair> pairs, int step, int rate, int seconds) throws IOException {
        ByteBuffer packet = ByteBuffer.allocateDirect(PACKET);
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long sent = 0;
        long i = 0;
        while (i < total) {
            long elapsed = System.nanoTime() - start;
            long due = Math.min(total, elapsed * rate / 1_000_000_000L + 1);
            for (; i < due; i++) {
                Pair pair = pairs.get((int) (i % pairs.size()));
                boolean fromA = (i / pairs.size()) % 2 == 0;
                packet.clear();
                PacketFormat.mediaHeader(packet, fromA ? pair.bindingA() : pair.bindingB());
                packet.putInt(PacketFormat.MEDIA_HEADER, step).putInt(PacketFormat.MEDIA_HEADER + 4, (int) i)
                        .putLong(PacketFormat.MEDIA_HEADER + 8, System.nanoTime());
                if ((fromA ? pair.a() : pair.b()).write(packet) > 0) {
                    sent++;
                }
            }
            LockSupport.parkNanos(100_000);
        }
        return sent;
    }

    private static void receive(Selector selector, int step, Recorder latency, AtomicLong received, AtomicLong stopAt) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        try {
            while (System.nanoTime() < stopAt.get()) {
                if (selector.select(50) == 0) {
                    continue;
                }
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
                    DatagramChannel channel = (DatagramChannel) keys.next().channel();
                    keys.remove();
                    while (true) {
                        buffer.clear();
                        if (channel.receive(buffer) == null) {
                            break;
                        }
                        long now = System.nanoTime();
                        if (buffer.position() == PACKET && buffer.get(0) == PacketFormat.MEDIA
                                && buffer.getInt(PacketFormat.MEDIA_HEADER) == step) {
                            received.incrementAndGet();
                            latency.recordValue(Math.max(0, (now - buffer.getLong(PacketFormat.MEDIA_HEADER + 8)) / 1000));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pair boundPair(InetSocketAddress relay, TokenCodec tokens, String relayId, String session)
            throws IOException {
        DatagramChannel a = open(relay);
        DatagramChannel b = open(relay);
        long expires = System.currentTimeMillis() / 1000 + 3600;
        int bindingA = bind(a, tokens.sign(TokenClaims.media(session, "a", expires, relayId, 1)));
        int bindingB = bind(b, tokens.sign(TokenClaims.media(session, "b", expires, relayId, 1)));
        return new Pair(a, b, bindingA, bindingB);
    }

    private static Pair directPair() throws IOException {
        DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        a.connect(b.getLocalAddress());
        b.connect(a.getLocalAddress());
        tune(a);
        tune(b);
        return new Pair(a, b, 0, 0);
    }

    private static DatagramChannel open(InetSocketAddress relay) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("127.0.0.1", 0));
        channel.connect(relay);
        tune(channel);
        return channel;
    }

    private static void tune(DatagramChannel channel) throws IOException {
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 1 << 20);
    }

    private static int bind(DatagramChannel channel, String token) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(64);
        channel.configureBlocking(true);
        channel.socket().setSoTimeout(1000);
        for (int attempt = 0; attempt < 5; attempt++) {
            channel.write(PacketFormat.bind(token));
            reply.clear();
            try {
                // socket().receive honours the timeout; a channel read would block forever.
                java.net.DatagramPacket in = new java.net.DatagramPacket(reply.array(), reply.capacity());
                channel.socket().receive(in);
                if (in.getLength() == PacketFormat.BIND_ACK_LENGTH && reply.get(0) == PacketFormat.BIND_ACK) {
                    return reply.getInt(1);
                }
            } catch (java.net.SocketTimeoutException retry) {
                // retransmit
            }
        }
        throw new IOException("relay did not acknowledge BIND");
    }

    private static void emit(PrintStream report, String line) {
        report.println(line);
        if (report != QUIET) {
            System.out.println(line);
        }
    }
}
