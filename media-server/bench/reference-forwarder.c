/*
 * Reference forwarder for relay-bench.sh: the machine's own limit for forwarding the relay's
 * packets, to compare the Java relay against in the same run.
 *
 * It speaks just enough of the relay's wire format (media-server/README.md) for the same load
 * generator to drive it: a BIND (0x01) from a new address gets binding id 0, 1, 2, ... and a
 * BIND_ACK (0x02, i32 id, i64 epoch 1); a MEDIA datagram (0x03, i32 id, ...) goes unchanged to
 * the address bound as id ^ 1 (the generator binds the two participants of a session one after
 * the other). No token check, no validation beyond that: batches of up to 64 datagrams in with
 * recvmmsg, the copies out with one sendmmsg pointing at the same receive buffers.
 *
 * Usage: reference-forwarder <port>   (0 = any free port; prints "port N" once listening)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 1536
#define MAX_BINDINGS 65536

static struct sockaddr_in bound[MAX_BINDINGS];
static int bindings;

static int find_or_bind(const struct sockaddr_in *from) {
    for (int i = 0; i < bindings; i++) {
        if (bound[i].sin_addr.s_addr == from->sin_addr.s_addr && bound[i].sin_port == from->sin_port) {
            return i;
        }
    }
    if (bindings == MAX_BINDINGS) {
        return -1;
    }
    bound[bindings] = *from;
    return bindings++;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || bind(fd, (struct sockaddr *) &local, sizeof local) < 0) {
        perror("reference-forwarder: bind");
        return 1;
    }
    socklen_t length = sizeof local;
    getsockname(fd, (struct sockaddr *) &local, &length);
    printf("port %d\n", ntohs(local.sin_port));
    fflush(stdout);

    static char data[BATCH][SLOT];
    static char acks[BATCH][13];
    static struct sockaddr_in from[BATCH];
    static struct iovec in_iov[BATCH], out_iov[BATCH];
    static struct mmsghdr in[BATCH], out[BATCH];
    for (int i = 0; i < BATCH; i++) {
        in_iov[i] = (struct iovec) {.iov_base = data[i], .iov_len = SLOT};
        in[i].msg_hdr = (struct msghdr) {.msg_name = &from[i], .msg_iov = &in_iov[i], .msg_iovlen = 1};
        out[i].msg_hdr = (struct msghdr) {.msg_iov = &out_iov[i], .msg_iovlen = 1, .msg_namelen = sizeof(struct sockaddr_in)};
    }
    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            in[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int received = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL);
        if (received < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("reference-forwarder: recvmmsg");
            return 1;
        }
        int count = 0;
        for (int i = 0; i < received; i++) {
            unsigned char *packet = (unsigned char *) data[i];
            unsigned int len = in[i].msg_len;
            if (len >= 5 && packet[0] == 0x03) {
                uint32_t id;
                memcpy(&id, packet + 1, 4);
                id = ntohl(id) ^ 1;
                if (id < (uint32_t) bindings) {
                    out_iov[count] = (struct iovec) {.iov_base = packet, .iov_len = len};
                    out[count++].msg_hdr.msg_name = &bound[id];
                }
            } else if (len >= 3 && packet[0] == 0x01) {
                int id = find_or_bind(&from[i]);
                if (id >= 0) {
                    uint32_t id_be = htonl((uint32_t) id), epoch_high = 0, epoch_low = htonl(1);
                    acks[i][0] = 0x02;
                    memcpy(acks[i] + 1, &id_be, 4);
                    memcpy(acks[i] + 5, &epoch_high, 4);
                    memcpy(acks[i] + 9, &epoch_low, 4);
                    out_iov[count] = (struct iovec) {.iov_base = acks[i], .iov_len = 13};
                    out[count++].msg_hdr.msg_name = &from[i];
                }
            }
        }
        for (int sent = 0; sent < count;) {
            int n = sendmmsg(fd, out + sent, count - sent, MSG_DONTWAIT);
            if (n > 0) {
                sent += n;
            } else if (errno == EAGAIN || n == 0) {
                break; /* send buffer full: drop the rest, as the relay does */
            } else if (errno != EINTR) {
                sent++; /* skip a datagram the kernel refuses */
            }
        }
    }
}
