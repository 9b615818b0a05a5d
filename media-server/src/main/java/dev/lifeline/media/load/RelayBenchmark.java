package dev.lifeline.media.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.signaling.HostPort;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.media.udp.BatchUdpSocket;
import dev.lifeline.media.udp.MessageArray;
import dev.lifeline.media.udp.Readiness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Drives one forwarder process directly (no signaling): the relay, or the reference forwarder
 * ({@code bench/reference-forwarder.c}) that speaks just enough of the protocol. Binds
 * {@code --sessions} pairs of participants with self-minted media tokens, then sends 172-byte
 * packets at each rate of {@code --rates} for {@code --seconds}, one step after another, and
 * reports per step what arrived, the one-way latency, how much CPU the forwarder used
 * ({@code --relay-pid}) and how many young collections it did (when it is a JVM).
 *
 * <p>The generator itself must not be the bottleneck: each participant is a {@link BatchUdpSocket}
 * sending runs of {@code --batch} packets with one {@code sendmmsg}, and the receiver waits on an
 * epoll set and reads with {@code recvmmsg}. Throughput is counted at the forwarder's ingress:
 * with two participants per session every packet received is forwarded exactly once.
 */
public final class RelayBenchmark {

    private static final int PACKET = AudioPacket.SIZE;
    private static final int STEP = PacketFormat.MEDIA_HEADER;
    private static final int SENT_NANOS = PacketFormat.MEDIA_HEADER + 8;
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    private final BatchUdpSocket[] participants;
    private final int[] bindingIds;
    private final int relayIpv4;
    private final int relayPort;
    private final int batch;
    private final Readiness readiness;

    private RelayBenchmark(InetSocketAddress relay, TokenCodec tokens, String relayId, int sessions, int batch)
            throws IOException {
        this.relayIpv4 = BatchUdpSocket.ipv4(relay.getAddress());
        this.relayPort = relay.getPort();
        this.batch = batch;
        this.participants = new BatchUdpSocket[sessions * 2];
        this.bindingIds = new int[sessions * 2];
        this.readiness = new Readiness(256);
        long expires = System.currentTimeMillis() / 1000 + 3600;
        for (int p = 0; p < participants.length; p++) {
            participants[p] = BatchUdpSocket.open(new InetSocketAddress("127.0.0.1", 0), false, 1 << 20, 1000);
            String token = tokens.sign(TokenClaims.media("bench-" + p / 2, p % 2 == 0 ? "a" : "b", expires, relayId, 1));
            bindingIds[p] = bind(participants[p], token);
            readiness.add(participants[p], p);
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        InetSocketAddress relay = HostPort.parse(args.get("relay", "127.0.0.1:40000"));
        TokenCodec tokens = new TokenCodec(args.require("secret").getBytes(StandardCharsets.UTF_8));
        int sessions = args.integer("sessions", 200);
        int seconds = args.integer("seconds", 5);
        long relayPid = args.number("relay-pid", -1);
        String label = args.get("label", "via relay " + relay);
        String[] rates = args.get("rates", "50000,100000,150000,200000,250000").split(",");
        Path out = Path.of(args.get("out", "target/bench/relay-benchmark.txt"));

        RelayBenchmark bench = new RelayBenchmark(relay, tokens, args.get("relay-id", "bench-relay"), sessions,
                args.integer("batch", 16));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream report = new PrintStream(Files.newOutputStream(out, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            emit(report, String.format("# %s, %s, %d sessions x 2 participants, %d-byte packets, %d s per step, sends in runs of %d (sendmmsg)%n"
                            + "# target_pps sent_pps received_pps loss_pct p50_us p99_us p999_us max_us cpu_pct pps_per_cpu_second runnable_but_waiting_pct young_gcs",
                    Instant.now(), label, sessions, PACKET, seconds, bench.batch));
            ProcessCpu cpu = relayPid > 0 ? new ProcessCpu(relayPid) : null;
            YoungGcCount gcs = relayPid > 0 ? new YoungGcCount(relayPid) : null;
            // JIT warm-up of this JVM (and of the relay's) at the first rate; not reported.
            bench.runStep(QUIET, rates.length, Integer.parseInt(rates[0].trim()), args.integer("warmup-seconds", 3), null, null);
            for (int step = 0; step < rates.length; step++) {
                bench.runStep(report, step, Integer.parseInt(rates[step].trim()), seconds, cpu, gcs);
            }
        }
        System.out.println("results written to " + out.toAbsolutePath());
        System.exit(0);
    }

    private void runStep(PrintStream report, int step, int rate, int seconds, ProcessCpu cpu, YoungGcCount gcs)
            throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong received = new AtomicLong();
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        Thread receiver = new Thread(() -> receive(step, latency, received, stopAt), "receiver");
        receiver.start();
        long gcBefore = gcs == null ? -1 : gcs.now();
        double cpuBefore = cpu == null ? -1 : cpu.seconds();
        double waitBefore = cpu == null ? -1 : cpu.waitingSeconds();
        long start = System.nanoTime();
        long sent = send(step, rate, seconds);
        long sendNanos = System.nanoTime() - start;
        double cpuAfter = cpu == null ? -1 : cpu.seconds();
        double waitAfter = cpu == null ? -1 : cpu.waitingSeconds();
        long gcAfter = gcs == null ? -1 : gcs.now();
        // Let in-flight packets land before counting.
        stopAt.set(System.nanoTime() + 300_000_000L);
        receiver.join();
        Histogram h = latency.getIntervalHistogram();
        double elapsed = sendNanos / 1e9;
        double lossPct = sent == 0 ? 0 : 100.0 * (sent - received.get()) / sent;
        double cpuPct = cpu == null ? -1 : 100.0 * (cpuAfter - cpuBefore) / elapsed;
        double ppsPerCpuSecond = cpuPct > 0 ? (received.get() / elapsed) / (cpuPct / 100.0) : -1;
        double waitPct = cpu == null ? -1 : 100.0 * (waitAfter - waitBefore) / elapsed;
        long youngGcs = gcBefore < 0 || gcAfter < 0 ? -1 : gcAfter - gcBefore;
        emit(report, String.format("%d %.0f %.0f %.3f %d %d %d %d %.1f %.0f %.1f %d", rate, sent / elapsed,
                received.get() / elapsed, lossPct, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), cpuPct, ppsPerCpuSecond, waitPct, youngGcs));
    }

    /**
     * Paced sending in 100 µs ticks: each tick sends the packets that are due, in runs of
     * {@link #batch} consecutive packets from one participant (one {@code sendmmsg} each), then
     * parks. No busy-spinning, so the receiver thread on the same core is not starved; when late,
     * due packets leave at once (no silent slowdown).
     */
    private long send(int step, int rate, int seconds) {
        MessageArray messages = new MessageArray(batch, PACKET);
        ByteBuf packet = Unpooled.directBuffer(PACKET).writeZero(PACKET);
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long sent = 0;
        long i = 0;
        try {
            while (i < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                while (i < due) {
                    int run = (int) (i / batch);
                    int p = run % participants.length;
                    int count = (int) Math.min(due - i, (long) (run + 1) * batch - i);
                    for (int m = 0; m < count; m++) {
                        packet.setByte(0, PacketFormat.MEDIA).setInt(1, bindingIds[p]).setInt(STEP, step)
                                .setInt(STEP + 4, (int) (i + m)).setLong(SENT_NANOS, System.nanoTime());
                        messages.setOutgoing(m, packet, relayIpv4, relayPort);
                    }
                    sent += count - participants[p].send(messages, count);
                    i += count;
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            packet.release();
            messages.close();
        }
        return sent;
    }

    private void receive(int step, Recorder latency, AtomicLong received, AtomicLong stopAt) {
        MessageArray messages = new MessageArray(64, 2048);
        try {
            while (System.nanoTime() < stopAt.get()) {
                int ready = readiness.await(50);
                for (int r = 0; r < ready; r++) {
                    BatchUdpSocket socket = participants[readiness.token(r)];
                    int count;
                    while ((count = socket.receiveQueued(messages)) > 0) {
                        long now = System.nanoTime();
                        for (int m = 0; m < count; m++) {
                            ByteBuf datagram = messages.received(m);
                            if (datagram.readableBytes() == PACKET && datagram.getByte(0) == PacketFormat.MEDIA
                                    && datagram.getInt(STEP) == step) {
                                received.incrementAndGet();
                                latency.recordValue(Math.max(0, (now - datagram.getLong(SENT_NANOS)) / 1000));
                            }
                        }
                        if (count < messages.capacity()) {
                            break;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            messages.close();
        }
    }

    private int bind(BatchUdpSocket socket, String token) throws IOException {
        MessageArray messages = new MessageArray(1, 2048);
        ByteBuf bind = Unpooled.wrappedBuffer(PacketFormat.bind(token));
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                messages.setOutgoing(0, bind, relayIpv4, relayPort);
                socket.send(messages, 1);
                // Waits up to the socket's 1 s receive timeout; nothing back means retransmit.
                if (socket.receive(messages) == 1) {
                    ByteBuf reply = messages.received(0);
                    if (reply.readableBytes() == PacketFormat.BIND_ACK_LENGTH && reply.getByte(0) == PacketFormat.BIND_ACK) {
                        return reply.getInt(1);
                    }
                }
            }
        } finally {
            messages.close();
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
