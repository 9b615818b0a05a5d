package dev.lifeline.media.udp;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the batched relay socket needs, bound with JNA's direct mapping: arguments
 * and results are primitives (pointers as {@code long} addresses of memory the caller owns), so a
 * call allocates nothing on the Java heap. Linux on 64-bit x86 or ARM only: the struct offsets in
 * {@link MessageArray} are those of that ABI.
 */
public final class LinuxUdp {

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int SO_RCVTIMEO = 20;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_WAITFORONE = 0x10000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final Throwable UNAVAILABLE;

    static {
        Throwable cause = null;
        try {
            if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM()) || !Platform.is64Bit()) {
                throw new UnsupportedOperationException("needs Linux on 64-bit x86 or ARM, this is " + Platform.ARCH);
            }
            if (System.getProperty("jna.tmpdir") == null) {
                // JNA unpacks its native part under the user's cache directory by default; the relay's
                // pod has a read-only root file system with a writable /tmp (java.io.tmpdir).
                System.setProperty("jna.tmpdir", System.getProperty("java.io.tmpdir"));
            }
            Native.register(LinuxUdp.class, Platform.C_LIBRARY_NAME);
        } catch (Throwable t) {
            cause = t;
        }
        UNAVAILABLE = cause;
    }

    private LinuxUdp() {
    }

    public static boolean available() {
        return UNAVAILABLE == null;
    }

    public static Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    /** errno of this thread's last call (JNA keeps it per thread). */
    static int errno() {
        return Native.getLastError();
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    static native int bind(int fd, long sockaddr, int length);

    static native int getsockname(int fd, long sockaddr, long lengthPointer);

    static native int recvmmsg(int fd, long messages, int count, int flags, long timeout);

    static native int sendmmsg(int fd, long messages, int count, int flags);

    static native int close(int fd);

    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    /** {@code struct epoll_event} is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16). */
    static final int EPOLL_EVENT = Platform.isIntel() ? 12 : 16;
    static final int EPOLL_EVENT_DATA = Platform.isIntel() ? 4 : 8;

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);
}
