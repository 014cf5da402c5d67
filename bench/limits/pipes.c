/*
 * The machine's floor for execnet-like traffic: two processes over a pipe or loopback TCP, doing nothing
 * but move bytes. Each run prints one line, "NAME: VALUE UNIT"; limits.sh repeats runs and takes medians.
 *
 *   pipes tput CHUNK MIB        the child writes MIB MiB in writes of CHUNK bytes, the parent reads  -> MB/s
 *   pipes tputbig CHUNK MIB     the same with the pipe's buffer raised to 1 MiB (F_SETPIPE_SZ)
 *   pipes tcptput CHUNK MIB     the same over loopback TCP
 *   pipes msgs COUNT SIZE       the child makes COUNT writes of SIZE bytes, the parent reads 64 KiB at a time -> msg/s
 *   pipes pingpong COUNT        8-byte round trips over two pipes (after 2,000 unmeasured) -> us
 *   pipes tcppingpong COUNT     the same over one loopback TCP connection with TCP_NODELAY
 *
 * Build: gcc -O2 -o pipes pipes.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec / 1e9;
}

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static void send_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t done = write(fd, data, size);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) fail("write");
        data += done;
        size -= (size_t)done;
    }
}

static void receive_all(int fd, char *data, size_t size) {
    while (size > 0) {
        ssize_t done = read(fd, data, size);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) fail("read");
        data += done;
        size -= (size_t)done;
    }
}

/* A connected loopback TCP pair, both ends with TCP_NODELAY: ends[0] for the parent, ends[1] for the child. */
static void loopback_pair(int ends[2]) {
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    int yes = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0)
        fail("listen on loopback");
    if (getsockname(listener, (struct sockaddr *)&address, &length) != 0) fail("getsockname");
    ends[1] = socket(AF_INET, SOCK_STREAM, 0);
    if (ends[1] < 0 || connect(ends[1], (struct sockaddr *)&address, sizeof address) != 0) fail("connect");
    ends[0] = accept(listener, NULL, NULL);
    if (ends[0] < 0) fail("accept");
    close(listener);
    setsockopt(ends[0], IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    setsockopt(ends[1], IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

/* The reading end in ends[0], the writing end in ends[1]. */
static void stream(const char *kind, int ends[2]) {
    if (strcmp(kind, "tcp") == 0) {
        loopback_pair(ends);
    } else if (pipe(ends) != 0) {
        fail("pipe");
    }
    if (strcmp(kind, "pipe1MiBbuf") == 0 && fcntl(ends[1], F_SETPIPE_SZ, 1 << 20) < 0) fail("F_SETPIPE_SZ");
}

static void throughput(const char *kind, size_t chunk, long mib) {
    int ends[2];
    size_t total = (size_t)mib << 20, received = 0;
    char *buffer = malloc(chunk);
    ssize_t got;
    pid_t child;
    double start;
    if (buffer == NULL) fail("malloc");
    memset(buffer, 'x', chunk);
    stream(kind, ends);
    start = seconds();
    child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        close(ends[0]);
        for (size_t left = total; left > 0;) {
            size_t size = left < chunk ? left : chunk;
            send_all(ends[1], buffer, size);
            left -= size;
        }
        _exit(0);
    }
    close(ends[1]);
    while ((got = read(ends[0], buffer, chunk)) > 0) received += (size_t)got;
    double elapsed = seconds() - start;
    waitpid(child, NULL, 0);
    if (received != total) {
        fprintf(stderr, "received %zu of %zu bytes\n", received, total);
        exit(1);
    }
    printf("%s.tput.chunk%zu: %.0f MB/s\n", kind, chunk, total / 1e6 / elapsed);
}

static void messages(long count, size_t size) {
    int ends[2];
    char buffer[65536];
    size_t received = 0;
    ssize_t got;
    pid_t child;
    double start;
    if (size > sizeof buffer) size = sizeof buffer;
    memset(buffer, 'm', sizeof buffer);
    stream("pipe", ends);
    start = seconds();
    child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        close(ends[0]);
        for (long i = 0; i < count; i++) send_all(ends[1], buffer, size);
        _exit(0);
    }
    close(ends[1]);
    while ((got = read(ends[0], buffer, sizeof buffer)) > 0) received += (size_t)got;
    double elapsed = seconds() - start;
    waitpid(child, NULL, 0);
    if (received != (size_t)count * size) {
        fprintf(stderr, "received %zu of %zu bytes\n", received, (size_t)count * size);
        exit(1);
    }
    printf("pipe.msgs.one_write_each.size%zu: %.0f msg/s\n", size, count / elapsed);
}

static void round_trips(const char *kind, long count) {
    int to_child[2], to_parent[2];
    char message[8] = "01234567";
    pid_t child;
    if (strcmp(kind, "tcp") == 0) {
        int ends[2];
        loopback_pair(ends);
        to_child[1] = to_parent[0] = ends[0];
        to_child[0] = to_parent[1] = ends[1];
    } else if (pipe(to_child) != 0 || pipe(to_parent) != 0) {
        fail("pipe");
    }
    child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        if (strcmp(kind, "tcp") != 0) {
            close(to_child[1]); /* else the parent's close would not end this loop */
            close(to_parent[0]);
        }
        for (;;) {
            ssize_t got = read(to_child[0], message, 8);
            if (got <= 0) _exit(0);
            if (got < 8) receive_all(to_child[0], message + got, 8 - (size_t)got);
            send_all(to_parent[1], message, 8);
        }
    }
    if (strcmp(kind, "tcp") != 0) {
        close(to_child[0]);
        close(to_parent[1]);
    }
    for (long i = 0; i < 2000; i++) {
        send_all(to_child[1], message, 8);
        receive_all(to_parent[0], message, 8);
    }
    double start = seconds();
    for (long i = 0; i < count; i++) {
        send_all(to_child[1], message, 8);
        receive_all(to_parent[0], message, 8);
    }
    double elapsed = seconds() - start;
    if (strcmp(kind, "tcp") == 0) {
        shutdown(to_child[1], SHUT_WR);
    } else {
        close(to_child[1]);
    }
    waitpid(child, NULL, 0);
    printf("%s.pingpong.8B: %.2f us\n", kind, elapsed / count * 1e6);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (argc == 4 && strcmp(mode, "tput") == 0) {
        throughput("pipe", (size_t)atol(argv[2]), atol(argv[3]));
    } else if (argc == 4 && strcmp(mode, "tputbig") == 0) {
        throughput("pipe1MiBbuf", (size_t)atol(argv[2]), atol(argv[3]));
    } else if (argc == 4 && strcmp(mode, "tcptput") == 0) {
        throughput("tcp", (size_t)atol(argv[2]), atol(argv[3]));
    } else if (argc == 4 && strcmp(mode, "msgs") == 0) {
        messages(atol(argv[2]), (size_t)atol(argv[3]));
    } else if (argc == 3 && strcmp(mode, "pingpong") == 0) {
        round_trips("pipe", atol(argv[2]));
    } else if (argc == 3 && strcmp(mode, "tcppingpong") == 0) {
        round_trips("tcp", atol(argv[2]));
    } else {
        fprintf(stderr, "usage: see the comment at the top of pipes.c\n");
        return 2;
    }
    return 0;
}
