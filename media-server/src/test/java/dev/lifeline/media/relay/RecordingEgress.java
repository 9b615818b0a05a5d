package dev.lifeline.media.relay;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Egress that keeps what the relay sent, for assertions; can pretend the socket is backed up. */
final class RecordingEgress implements Egress {

    record Sent(byte[] bytes, InetSocketAddress to) {
        byte type() {
            return bytes[0];
        }
    }

    final List<Sent> sent = new ArrayList<>();
    boolean backedUp;

    @Override
    public boolean send(ByteBuf packet, InetSocketAddress to) {
        try {
            if (backedUp) {
                return false;
            }
            byte[] bytes = new byte[packet.readableBytes()];
            packet.getBytes(packet.readerIndex(), bytes);
            sent.add(new Sent(bytes, to));
            return true;
        } finally {
            packet.release();
        }
    }

    @Override
    public ByteBuf allocate(int capacity) {
        return Unpooled.buffer(capacity);
    }

    List<Sent> to(InetSocketAddress address) {
        return sent.stream().filter(s -> s.to().equals(address)).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
