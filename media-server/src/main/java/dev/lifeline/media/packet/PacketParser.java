package dev.lifeline.media.packet;

import io.netty.buffer.ByteBuf;

/**
 * Validates the framing of an inbound datagram without allocating. Returns the packet type, or
 * throws nothing and instead reports a {@link DropReason} through {@link Result}: the relay's hot
 * path must never pay for exceptions on garbage.
 */
public final class PacketParser {

    /** Outcome of {@link #classify}: a type byte when valid, else the drop reason. */
    public static final class Result {
        private Result() {
        }

        public static boolean isValid(int result) {
            return result >= 0;
        }

        public static DropReason dropReason(int result) {
            return DropReason.values()[-result - 1];
        }

        static int drop(DropReason reason) {
            return -reason.ordinal() - 1;
        }
    }

    private PacketParser() {
    }

    /** Only the types a client may send to the relay are valid here. */
    public static int classify(ByteBuf packet) {
        int length = packet.readableBytes();
        if (length == 0) {
            return Result.drop(DropReason.EMPTY);
        }
        if (length > PacketFormat.MAX_PACKET) {
            return Result.drop(DropReason.TOO_LARGE);
        }
        byte type = packet.getByte(packet.readerIndex());
        switch (type) {
            case PacketFormat.MEDIA:
                return length >= PacketFormat.MEDIA_HEADER ? type : Result.drop(DropReason.TRUNCATED);
            case PacketFormat.BIND:
                if (length < 3) {
                    return Result.drop(DropReason.TRUNCATED);
                }
                int tokenLength = packet.getUnsignedShort(packet.readerIndex() + 1);
                return tokenLength > 0 && length == 3 + tokenLength ? type : Result.drop(DropReason.TRUNCATED);
            case PacketFormat.PING:
                return length == PacketFormat.PING_LENGTH ? type : Result.drop(DropReason.TRUNCATED);
            case PacketFormat.LEAVE:
                return length == PacketFormat.LEAVE_LENGTH ? type : Result.drop(DropReason.TRUNCATED);
            case PacketFormat.KEEPALIVE:
                return length == PacketFormat.KEEPALIVE_LENGTH ? type : Result.drop(DropReason.TRUNCATED);
            case PacketFormat.BIND_ACK:
            case PacketFormat.PONG:
            case PacketFormat.GOAWAY:
            case PacketFormat.BIND_REJECT:
                // Relay-to-client types: a client sending them is confused or probing; not an error to answer.
                return Result.drop(DropReason.NOT_FOR_RELAY);
            default:
                return Result.drop(DropReason.UNKNOWN_TYPE);
        }
    }

    public static int bindingId(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + 1);
    }

    public static String bindToken(ByteBuf packet) {
        int tokenLength = packet.getUnsignedShort(packet.readerIndex() + 1);
        return packet.toString(packet.readerIndex() + 3, tokenLength, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
