/*
 * The least a Unix-socket echo server can cost: one pthread per connection, read and write back what was read.
 * The C client's figures against it are the ceiling of the machine with that client, the reference for the
 * figures of a Java server or of a Java load generator.
 *
 *   echo_server <socket path>        (serves until killed; removes an existing file at the path first)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void *serve(void *argument) {
    int fd = (int) (intptr_t) argument;
    char buffer[16384];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        for (ssize_t written = 0; written < n;) {
            ssize_t w = write(fd, buffer + written, (size_t) (n - written));
            if (w < 0) {
                if (errno == EINTR) {
                    continue;
                }
                close(fd);
                return NULL;
            }
            written += w;
        }
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_server <socket path>\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof address.sun_path) {
        fprintf(stderr, "socket path too long: %s\n", argv[1]);
        return 2;
    }
    strcpy(address.sun_path, argv[1]);
    unlink(argv[1]);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *) &address, sizeof address) < 0
            || listen(listener, 1024) < 0) {
        perror("listen");
        return 1;
    }
    printf("C echo server on %s\n", argv[1]);
    fflush(stdout);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("accept");
            return 1;
        }
        pthread_t thread;
        if (pthread_create(&thread, NULL, serve, (void *) (intptr_t) fd) != 0) {
            perror("pthread_create");
            close(fd);
            continue;
        }
        pthread_detach(thread);
    }
}
