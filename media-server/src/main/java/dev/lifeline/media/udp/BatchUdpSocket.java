package dev.lifeline.media.udp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One blocking IPv4 UDP socket read with {@code recvmmsg} and written with {@code sendmmsg}.
 * The relay opens several on one port (SO_REUSEPORT), one per relay thread.
 */
public final class BatchUdpSocket implements AutoCloseable {

    private final int fd;
    private final int port;

    private BatchUdpSocket(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /**
     * Opens and binds; {@code receiveTimeoutMillis} bounds each blocking receive so the owner can look
     * up. {@code sharedPort}: SO_REUSEPORT, for the relay's sockets on one port. Not for clients: with it,
     * binding to port 0 may hand two sockets the same ephemeral port.
     */
    public static BatchUdpSocket open(InetSocketAddress bindTo, boolean sharedPort, int bufferBytes,
                                      int receiveTimeoutMillis) throws IOException {
        if (!(bindTo.getAddress() instanceof Inet4Address)) {
            throw new IOException("batched UDP socket is IPv4 only, not " + bindTo);
        }
        int fd = LinuxUdp.socket(LinuxUdp.AF_INET, LinuxUdp.SOCK_DGRAM, 0);
        check(fd, "socket");
        ByteBuf scratch = Unpooled.directBuffer(32);
        try {
            long at = scratch.memoryAddress();
            if (sharedPort) {
                setInt(fd, scratch, LinuxUdp.SO_REUSEPORT, 1);
            }
            setInt(fd, scratch, LinuxUdp.SO_RCVBUF, bufferBytes);
            setInt(fd, scratch, LinuxUdp.SO_SNDBUF, bufferBytes);
            scratch.setLongLE(0, receiveTimeoutMillis / 1000).setLongLE(8, (receiveTimeoutMillis % 1000) * 1000L);
            check(LinuxUdp.setsockopt(fd, LinuxUdp.SOL_SOCKET, LinuxUdp.SO_RCVTIMEO, at, 16), "SO_RCVTIMEO");
            scratch.setZero(0, 32);
            scratch.setShortLE(0, LinuxUdp.AF_INET).setShort(2, bindTo.getPort())
                    .setBytes(4, bindTo.getAddress().getAddress());
            check(LinuxUdp.bind(fd, at, MessageArray.SOCKADDR_IN), "bind " + bindTo);
            scratch.setIntLE(16, MessageArray.SOCKADDR_IN);
            check(LinuxUdp.getsockname(fd, at, at + 16), "getsockname");
            return new BatchUdpSocket(fd, scratch.getUnsignedShort(2));
        } catch (IOException e) {
            LinuxUdp.close(fd);
            throw e;
        } finally {
            scratch.release();
        }
    }

    public int port() {
        return port;
    }

    /** Waits up to the receive timeout for at least one datagram; returns how many arrived, 0 on timeout. */
    public int receive(MessageArray messages) throws IOException {
        return receive(messages, LinuxUdp.MSG_WAITFORONE);
    }

    /** Takes what is queued without waiting; 0 when nothing is. */
    public int receiveQueued(MessageArray messages) throws IOException {
        return receive(messages, LinuxUdp.MSG_DONTWAIT);
    }

    private int receive(MessageArray messages, int flags) throws IOException {
        messages.prepareReceive(messages.capacity());
        int received = LinuxUdp.recvmmsg(fd, messages.address(0), messages.capacity(), flags, 0);
        if (received >= 0) {
            return received;
        }
        int errno = LinuxUdp.errno();
        if (errno == LinuxUdp.EAGAIN || errno == LinuxUdp.EINTR) {
            return 0;
        }
        throw new IOException("recvmmsg failed, errno " + errno);
    }

    /**
     * Sends messages {@code 0..count-1} without blocking. Returns how many the kernel did not take
     * because the send buffer was full: the caller drops and counts those rather than wait.
     */
    public int send(MessageArray messages, int count) {
        int done = 0;
        while (done < count) {
            int sent = LinuxUdp.sendmmsg(fd, messages.address(done), count - done, LinuxUdp.MSG_DONTWAIT);
            if (sent > 0) {
                done += sent;
                continue;
            }
            if (sent == 0) {
                return count - done;
            }
            int errno = LinuxUdp.errno();
            if (errno == LinuxUdp.EAGAIN) {
                return count - done;
            }
            if (errno != LinuxUdp.EINTR) {
                // A datagram the kernel refuses (unroutable address, a pending ICMP error) is skipped, not retried.
                done++;
            }
        }
        return 0;
    }

    int fd() {
        return fd;
    }

    @Override
    public void close() {
        LinuxUdp.close(fd);
    }

    /** An IPv4 address as an int, without allocating on the relay's hot path. */
    public static int ipv4(InetAddress address) {
        return HASH_IS_ADDRESS ? address.hashCode() : ipv4(address.getAddress());
    }

    private static int ipv4(byte[] bytes) {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    /**
     * {@code getAddress()} copies into a new array on every call, which the JIT removes only once it
     * has compiled the caller (not at all on a starved core). OpenJDK's {@code Inet4Address.hashCode()}
     * is the address itself; checked once here, so another runtime falls back to the copy.
     */
    private static final boolean HASH_IS_ADDRESS = hashIsAddress();

    private static boolean hashIsAddress() {
        try {
            InetAddress sample = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) 201});
            return sample.hashCode() == ipv4(sample.getAddress());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void setInt(int fd, ByteBuf scratch, int option, int value) throws IOException {
        scratch.setIntLE(0, value);
        check(LinuxUdp.setsockopt(fd, LinuxUdp.SOL_SOCKET, option, scratch.memoryAddress(), 4), "setsockopt " + option);
    }

    private static void check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed, errno " + LinuxUdp.errno());
        }
    }
}
