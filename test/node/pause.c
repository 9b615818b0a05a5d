/*
 * The sandbox ("pause") process of the test node's pods: it holds the pod's namespaces and does
 * nothing else. It waits in pause(), reaps orphans on SIGCHLD, and exits on SIGINT/SIGTERM so a
 * pod stops at once. Tests also run it as a plain container: it logs one line when it starts
 * (for log retrieval) and `/pause -v` prints its version (for exec). Built statically by test/scripts/node-prereqs.sh into a one-file OCI image.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signo) {
    (void) signo;
    _exit(0);
}

static void reap(int signo) {
    (void) signo;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        printf("lifeline pause 1.0\n");
        return 0;
    }
    struct sigaction stopping = { .sa_handler = stop };
    struct sigaction reaping = { .sa_handler = reap, .sa_flags = SA_NOCLDSTOP };
    if (sigaction(SIGINT, &stopping, NULL) < 0 || sigaction(SIGTERM, &stopping, NULL) < 0
            || sigaction(SIGCHLD, &reaping, NULL) < 0) {
        perror("sigaction");
        return 1;
    }
    printf("lifeline pause: started, waiting\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
