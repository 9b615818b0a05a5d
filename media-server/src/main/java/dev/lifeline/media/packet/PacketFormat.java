package dev.lifeline.media.packet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Wire format of the media relay (version 1). The first byte is the type; all integers are big
 * endian. The relay never looks past the header of a MEDIA packet: it forwards the bytes as they
 * are, SFU-style. Packets are built here with {@link ByteBuffer} so that the client library needs
 * nothing but the JDK.
 *
 * <pre>
 * BIND        0x01 u16 tokenLength, token (ASCII media token)     client → relay
 * BIND_ACK    0x02 i32 bindingId, i64 epoch                        relay → client
 * MEDIA       0x03 i32 bindingId of the sender, payload            both ways, forwarded unchanged
 * PING        0x04 i64 nonce                                       anyone → relay (liveness probe)
 * PONG        0x05 i64 nonce, u8 status (0 serving, 1 draining)   relay → prober
 * LEAVE       0x06 i32 bindingId                                   client → relay
 * GOAWAY      0x07                                                 relay → client: draining, resume elsewhere
 * BIND_REJECT 0x08 u8 reason                                       relay → client
 * KEEPALIVE   0x09 i32 bindingId, i64 nonce                        client → relay, answered with PONG
 * </pre>
 */
public final class PacketFormat {

    public static final byte BIND = 0x01;
    public static final byte BIND_ACK = 0x02;
    public static final byte MEDIA = 0x03;
    public static final byte PING = 0x04;
    public static final byte PONG = 0x05;
    public static final byte LEAVE = 0x06;
    public static final byte GOAWAY = 0x07;
    public static final byte BIND_REJECT = 0x08;
    public static final byte KEEPALIVE = 0x09;
    public static final int KEEPALIVE_LENGTH = 13;

    public static final int MEDIA_HEADER = 5;
    /** Fits an Ethernet MTU with IP and UDP headers; larger datagrams are dropped, not fragmented. */
    public static final int MAX_PACKET = 1472;
    public static final int BIND_ACK_LENGTH = 13;
    public static final int PING_LENGTH = 9;
    public static final int PONG_LENGTH = 10;
    public static final byte STATUS_SERVING = 0;
    public static final byte STATUS_DRAINING = 1;
    public static final int LEAVE_LENGTH = 5;

    private PacketFormat() {
    }

    public static ByteBuffer bind(String mediaToken) {
        byte[] token = mediaToken.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(3 + token.length).put(BIND).putShort((short) token.length).put(token).flip();
    }

    public static ByteBuffer ping(long nonce) {
        return ByteBuffer.allocate(PING_LENGTH).put(PING).putLong(nonce).flip();
    }

    public static ByteBuffer keepalive(int bindingId, long nonce) {
        return ByteBuffer.allocate(KEEPALIVE_LENGTH).put(KEEPALIVE).putInt(bindingId).putLong(nonce).flip();
    }

    public static ByteBuffer leave(int bindingId) {
        return ByteBuffer.allocate(LEAVE_LENGTH).put(LEAVE).putInt(bindingId).flip();
    }

    /** Writes a MEDIA header in place; the caller fills the payload after {@link #MEDIA_HEADER}. */
    public static void mediaHeader(ByteBuffer packet, int bindingId) {
        packet.put(0, MEDIA).putInt(1, bindingId);
    }
}
