/*
 * Closed-loop echo load generator over Unix domain sockets, to check that a Java load generator is not itself the
 * bottleneck: N connections, one thread each, each sending a payload and reading it back whole before sending the
 * next. After a warm-up it counts round trips for a fixed duration and prints messages per second and the p50/p99
 * round-trip latency over all connections.
 *
 *   echo_client <socket path> [-c connections] [-s payload bytes] [-w warm-up s] [-d duration s]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Latency histogram: 1 us buckets up to 100 ms, then one overflow bucket. */
#define BUCKETS 100001

enum phase { WARMUP, MEASURE, STOP };

static _Atomic int phase = WARMUP;

struct worker {
    pthread_t thread;
    const char *path;
    size_t size;
    uint64_t count;
    uint64_t *histogram;
    int failed;
};

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

static int connect_to(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return -1;
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "socket path too long: %s\n", path);
        close(fd);
        return -1;
    }
    strcpy(address.sun_path, path);
    if (connect(fd, (struct sockaddr *) &address, sizeof address) < 0) {
        perror("connect");
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *bytes, size_t size) {
    while (size > 0) {
        ssize_t n = write(fd, bytes, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("write");
            return -1;
        }
        bytes += n;
        size -= (size_t) n;
    }
    return 0;
}

static int read_all(int fd, char *bytes, size_t size) {
    while (size > 0) {
        ssize_t n = read(fd, bytes, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("read");
            return -1;
        }
        if (n == 0) {
            fprintf(stderr, "the server closed the connection\n");
            return -1;
        }
        bytes += n;
        size -= (size_t) n;
    }
    return 0;
}

static void *run(void *argument) {
    struct worker *w = argument;
    int fd = connect_to(w->path);
    char *payload = malloc(w->size);
    char *echo = malloc(w->size);
    if (fd < 0 || payload == NULL || echo == NULL) {
        w->failed = 1;
        return NULL;
    }
    memset(payload, 'x', w->size);
    int current;
    while ((current = atomic_load_explicit(&phase, memory_order_relaxed)) != STOP) {
        uint64_t start = now_ns();
        if (write_all(fd, payload, w->size) < 0 || read_all(fd, echo, w->size) < 0) {
            w->failed = 1;
            break;
        }
        if (current == MEASURE) {
            uint64_t micros = (now_ns() - start) / 1000;
            w->histogram[micros < BUCKETS - 1 ? micros : BUCKETS - 1]++;
            w->count++;
        }
    }
    if (memcmp(payload, echo, w->size) != 0) {
        fprintf(stderr, "the echo differs from the payload\n");
        w->failed = 1;
    }
    close(fd);
    free(payload);
    free(echo);
    return NULL;
}

static uint64_t percentile(const uint64_t *histogram, uint64_t total, double p) {
    uint64_t rank = (uint64_t) (p * (double) total);
    uint64_t seen = 0;
    for (uint64_t i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen > rank) {
            return i;
        }
    }
    return BUCKETS - 1;
}

static void usage(void) {
    fprintf(stderr, "usage: echo_client <socket path> [-c connections] [-s payload bytes] [-w warm-up s] "
            "[-d duration s]\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage();
    }
    const char *path = argv[1];
    int connections = 10;
    size_t size = 64;
    int warmup = 5;
    int duration = 10;
    for (int i = 2; i < argc; i += 2) {
        if (i + 1 >= argc) {
            usage();
        }
        if (strcmp(argv[i], "-c") == 0) {
            connections = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "-s") == 0) {
            size = (size_t) atol(argv[i + 1]);
        } else if (strcmp(argv[i], "-w") == 0) {
            warmup = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "-d") == 0) {
            duration = atoi(argv[i + 1]);
        } else {
            usage();
        }
    }
    if (connections <= 0 || size == 0 || warmup < 0 || duration <= 0) {
        usage();
    }
    struct worker *workers = calloc((size_t) connections, sizeof *workers);
    for (int i = 0; i < connections; i++) {
        workers[i].path = path;
        workers[i].size = size;
        workers[i].histogram = calloc(BUCKETS, sizeof(uint64_t));
        if (pthread_create(&workers[i].thread, NULL, run, &workers[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    sleep((unsigned) warmup);
    atomic_store(&phase, MEASURE);
    uint64_t start = now_ns();
    sleep((unsigned) duration);
    atomic_store(&phase, STOP);
    double seconds = (double) (now_ns() - start) / 1e9;
    uint64_t *histogram = calloc(BUCKETS, sizeof(uint64_t));
    uint64_t total = 0;
    int failed = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(workers[i].thread, NULL);
        failed |= workers[i].failed;
        total += workers[i].count;
        for (int b = 0; b < BUCKETS; b++) {
            histogram[b] += workers[i].histogram[b];
        }
        free(workers[i].histogram);
    }
    if (failed || total == 0) {
        fprintf(stderr, "a connection failed; no figures\n");
        return 1;
    }
    printf("connections=%d payload=%zu B duration=%.1f s messages=%llu msgs/s=%.0f p50=%llu us p99=%llu us\n",
            connections, size, seconds, (unsigned long long) total, (double) total / seconds,
            (unsigned long long) percentile(histogram, total, 0.50),
            (unsigned long long) percentile(histogram, total, 0.99));
    free(histogram);
    free(workers);
    return 0;
}
