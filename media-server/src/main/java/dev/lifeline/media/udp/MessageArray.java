package dev.lifeline.media.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A reusable native {@code struct mmsghdr[capacity]} for {@code recvmmsg}/{@code sendmmsg}, each
 * message with one {@code iovec} over its own data slot and one {@code sockaddr_in}. Everything is
 * allocated once; filling and reading messages allocates nothing.
 *
 * <p>Slots are direct buffers with a memory address, so that the system calls read and write them in
 * place. Offsets are those of the 64-bit Linux ABI (x86-64 and AArch64 agree): {@code msghdr} is
 * 56 bytes, {@code mmsghdr} 64.
 */
public final class MessageArray implements AutoCloseable {

    private static final int MMSGHDR = 64;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_LEN = 56;
    private static final int IOVEC = 16;
    static final int SOCKADDR_IN = 16;

    private final int capacity;
    private final int slotSize;
    private final ByteBuf headers;
    private final long base;
    private final long iovecs;
    private final long addresses;
    private final ByteBuf[] slots;

    public MessageArray(int capacity, int slotSize) {
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.headers = Unpooled.directBuffer(capacity * (MMSGHDR + IOVEC + SOCKADDR_IN));
        if (!headers.hasMemoryAddress()) {
            headers.release();
            throw new UnsupportedOperationException("direct buffers without a memory address (no Unsafe)");
        }
        headers.setZero(0, headers.capacity());
        this.base = headers.memoryAddress();
        this.iovecs = base + (long) capacity * MMSGHDR;
        this.addresses = iovecs + (long) capacity * IOVEC;
        this.slots = new ByteBuf[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = Unpooled.directBuffer(slotSize, slotSize);
            int header = i * MMSGHDR;
            headers.setLongLE(header + MSG_NAME, addresses + (long) i * SOCKADDR_IN);
            headers.setIntLE(header + MSG_NAMELEN, SOCKADDR_IN);
            headers.setLongLE(header + MSG_IOV, iovecs + (long) i * IOVEC);
            headers.setLongLE(header + MSG_IOVLEN, 1);
            int iovec = capacity * MMSGHDR + i * IOVEC;
            headers.setLongLE(iovec, slots[i].memoryAddress());
            headers.setLongLE(iovec + 8, slotSize);
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Address of message {@code index}, for the system calls. */
    long address(int index) {
        return base + (long) index * MMSGHDR;
    }

    /** Before {@code recvmmsg}: every message may take a full slot and a full address again. */
    void prepareReceive(int count) {
        for (int i = 0; i < count; i++) {
            headers.setIntLE(i * MMSGHDR + MSG_NAMELEN, SOCKADDR_IN);
            headers.setLongLE(capacity * MMSGHDR + i * IOVEC + 8, slotSize);
        }
    }

    /** After {@code recvmmsg}: slot {@code index} holding exactly the received bytes. */
    public ByteBuf received(int index) {
        int length = Math.min(headers.getIntLE(index * MMSGHDR + MSG_LEN), slotSize);
        return slots[index].setIndex(0, length);
    }

    /** IPv4 address of message {@code index} as an int (network order read big-endian). */
    public int ipv4(int index) {
        return headers.getInt(addressOffset(index) + 4);
    }

    public int port(int index) {
        return headers.getUnsignedShort(addressOffset(index) + 2);
    }

    /** Before {@code sendmmsg}: copies {@code packet} into slot {@code index}, addressed to ipv4:port. */
    public void setOutgoing(int index, ByteBuf packet, int ipv4, int port) {
        int length = Math.min(packet.readableBytes(), slotSize);
        slots[index].setBytes(0, packet, packet.readerIndex(), length);
        headers.setLongLE(capacity * MMSGHDR + index * IOVEC + 8, length);
        int address = addressOffset(index);
        headers.setShortLE(address, LinuxUdp.AF_INET);
        headers.setShort(address + 2, port);
        headers.setInt(address + 4, ipv4);
        headers.setIntLE(index * MMSGHDR + MSG_NAMELEN, SOCKADDR_IN);
    }

    private int addressOffset(int index) {
        return capacity * (MMSGHDR + IOVEC) + index * SOCKADDR_IN;
    }

    @Override
    public void close() {
        for (ByteBuf slot : slots) {
            slot.release();
        }
        headers.release();
    }
}
