package dev.lifeline.media.relay;

import java.net.InetSocketAddress;

import dev.lifeline.media.packet.DropReason;
import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.packet.PacketParser;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.media.token.TokenRejected;
import io.netty.buffer.ByteBuf;

/**
 * The relay's packet logic, free of sockets: one datagram in, zero or more datagrams out through
 * an {@link Egress}. MEDIA from a bound address is forwarded unchanged to the other members of its
 * session; everything else that is not a valid control packet is dropped and counted.
 *
 * <p>Steady-state MEDIA forwarding allocates nothing: each copy is the received buffer retained
 * once more, not a duplicate (Netty's recycler, which backs duplicates, can allocate as it queues).
 */
public final class RelayCore {

    private final String relayId;
    private final TokenCodec tokens;
    private final BindingTable table;
    private final RelayCounters counters;
    private final EpochClock clock;
    private volatile boolean draining;

    /** Wall and monotonic time, injectable for tests. */
    public interface EpochClock {
        long epochSecond();

        long nanoTime();

        EpochClock SYSTEM = new EpochClock() {
            @Override
            public long epochSecond() {
                return System.currentTimeMillis() / 1000;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };
    }

    public RelayCore(String relayId, TokenCodec tokens, BindingTable table, RelayCounters counters, EpochClock clock) {
        this.relayId = relayId;
        this.tokens = tokens;
        this.table = table;
        this.counters = counters;
        this.clock = clock;
    }

    /** Handles one datagram. Never throws on bad input; does not take ownership of {@code packet}. */
    public void onDatagram(ByteBuf packet, InetSocketAddress sender, Egress egress) {
        counters.received.increment();
        int type = PacketParser.classify(packet);
        if (!PacketParser.Result.isValid(type)) {
            counters.drop(PacketParser.Result.dropReason(type));
            return;
        }
        switch (type) {
            case PacketFormat.MEDIA -> forward(packet, sender, egress);
            case PacketFormat.BIND -> bind(packet, sender, egress);
            case PacketFormat.PING -> pong(packet, sender, egress);
            case PacketFormat.LEAVE -> leave(packet, sender);
            case PacketFormat.KEEPALIVE -> keepalive(packet, sender, egress);
            default -> counters.drop(DropReason.UNKNOWN_TYPE);
        }
    }

    private void forward(ByteBuf packet, InetSocketAddress sender, Egress egress) {
        Binding from = table.lookup(PacketParser.bindingId(packet));
        if (from == null || !from.address.equals(sender)) {
            counters.drop(DropReason.UNBOUND_SENDER);
            return;
        }
        counters.accepted.increment();
        from.lastSeenNanos = clock.nanoTime();
        Binding[] members = BindingTable.roomOf(from);
        for (Binding to : members) {
            if (to != from) {
                // The same buffer once more (no wrapper object): egresses only read it, never move its indices.
                if (egress.send(packet.retain(), to.address)) {
                    counters.forwarded.increment();
                } else {
                    counters.overloadDropped.increment();
                }
            }
        }
    }

    private void bind(ByteBuf packet, InetSocketAddress sender, Egress egress) {
        if (draining) {
            counters.drop(DropReason.DRAINING);
            reject(sender, egress, DropReason.DRAINING);
            return;
        }
        TokenClaims claims;
        try {
            claims = tokens.verify(PacketParser.bindToken(packet), TokenClaims.Kind.MEDIA, clock.epochSecond());
        } catch (TokenRejected e) {
            counters.drop(DropReason.BAD_TOKEN);
            reject(sender, egress, DropReason.BAD_TOKEN);
            return;
        }
        if (!relayId.equals(claims.relayId())) {
            counters.drop(DropReason.WRONG_RELAY);
            reject(sender, egress, DropReason.WRONG_RELAY);
            return;
        }
        BindingTable.BindOutcome outcome = table.bind(claims.sessionId(), claims.participantId(), claims.epoch(),
                sender, clock.nanoTime());
        if (outcome.binding() == null) {
            counters.drop(outcome.refused());
            reject(sender, egress, outcome.refused());
            return;
        }
        counters.accepted.increment();
        counters.binds.increment();
        ByteBuf ack = egress.allocate(PacketFormat.BIND_ACK_LENGTH);
        ack.writeByte(PacketFormat.BIND_ACK).writeInt(outcome.binding().id).writeLong(claims.epoch());
        egress.send(ack, sender);
    }

    private void pong(ByteBuf packet, InetSocketAddress sender, Egress egress) {
        counters.accepted.increment();
        counters.pings.increment();
        ByteBuf reply = egress.allocate(PacketFormat.PONG_LENGTH);
        reply.writeByte(PacketFormat.PONG).writeLong(packet.getLong(packet.readerIndex() + 1))
                .writeByte(draining ? PacketFormat.STATUS_DRAINING : PacketFormat.STATUS_SERVING);
        egress.send(reply, sender);
    }

    /**
     * Keeps a binding that only receives alive, and tells the client its binding still exists: no
     * PONG means the relay died or forgot the client, and either way the client resumes.
     */
    private void keepalive(ByteBuf packet, InetSocketAddress sender, Egress egress) {
        Binding binding = table.lookup(PacketParser.bindingId(packet));
        if (binding == null || !binding.address.equals(sender)) {
            counters.drop(DropReason.UNBOUND_SENDER);
            return;
        }
        counters.accepted.increment();
        binding.lastSeenNanos = clock.nanoTime();
        ByteBuf reply = egress.allocate(PacketFormat.PONG_LENGTH);
        reply.writeByte(PacketFormat.PONG).writeLong(packet.getLong(packet.readerIndex() + 5))
                .writeByte(draining ? PacketFormat.STATUS_DRAINING : PacketFormat.STATUS_SERVING);
        egress.send(reply, sender);
    }

    private void leave(ByteBuf packet, InetSocketAddress sender) {
        Binding binding = table.lookup(PacketParser.bindingId(packet));
        if (binding == null || !binding.address.equals(sender)) {
            counters.drop(DropReason.UNBOUND_SENDER);
            return;
        }
        counters.accepted.increment();
        table.unbind(binding);
    }

    private void reject(InetSocketAddress sender, Egress egress, DropReason reason) {
        ByteBuf reply = egress.allocate(2);
        reply.writeByte(PacketFormat.BIND_REJECT).writeByte(reason.ordinal());
        egress.send(reply, sender);
    }

    /** From now on refuse new binds; existing bindings keep flowing until their clients move. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Tells every bound client to resume elsewhere. */
    public void sendGoAway(Egress egress) {
        for (Binding binding : table.snapshot()) {
            ByteBuf goAway = egress.allocate(1);
            goAway.writeByte(PacketFormat.GOAWAY);
            egress.send(goAway, binding.address);
        }
    }

    public BindingTable table() {
        return table;
    }

    public RelayCounters counters() {
        return counters;
    }

    public String relayId() {
        return relayId;
    }
}
