package dev.lifeline.media.load;

import java.nio.ByteBuffer;

import dev.lifeline.media.packet.PacketFormat;

/**
 * Audio-like MEDIA payload: 172-byte datagrams (an RTP header plus 20 ms of G.711) carrying who
 * sent it, a sequence number and the send time ({@link System#nanoTime()}, comparable across
 * processes on one Linux host since it reads CLOCK_MONOTONIC).
 */
public final class AudioPacket {

    public static final int SIZE = 172;
    private static final int SENDER = PacketFormat.MEDIA_HEADER;
    private static final int SEQUENCE = SENDER + 4;
    private static final int SENT_NANOS = SEQUENCE + 4;

    private AudioPacket() {
    }

    public static ByteBuffer allocate() {
        return ByteBuffer.allocateDirect(SIZE);
    }

    /** Fills the payload; the media header is written by the client when it sends. */
    public static ByteBuffer fill(ByteBuffer packet, int sender, int sequence, long sentNanos) {
        packet.clear();
        packet.putInt(SENDER, sender).putInt(SEQUENCE, sequence).putLong(SENT_NANOS, sentNanos);
        return packet;
    }

    public static boolean valid(ByteBuffer packet) {
        return packet.limit() == SIZE;
    }

    public static int sender(ByteBuffer packet) {
        return packet.getInt(SENDER);
    }

    public static int sequence(ByteBuffer packet) {
        return packet.getInt(SEQUENCE);
    }

    public static long sentNanos(ByteBuffer packet) {
        return packet.getLong(SENT_NANOS);
    }
}
