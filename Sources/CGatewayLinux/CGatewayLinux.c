#include "CGatewayLinux.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

const uint32_t CGL_EPOLLIN = EPOLLIN;
const uint32_t CGL_EPOLLOUT = EPOLLOUT;
const uint32_t CGL_EPOLLERR = EPOLLERR;
const uint32_t CGL_EPOLLHUP = EPOLLHUP;
const uint32_t CGL_EPOLLRDHUP = EPOLLRDHUP;
const uint32_t CGL_EPOLLET = EPOLLET;
const int CGL_EPOLL_CTL_ADD = EPOLL_CTL_ADD;
const int CGL_EPOLL_CTL_MOD = EPOLL_CTL_MOD;
const int CGL_EPOLL_CTL_DEL = EPOLL_CTL_DEL;

int cgl_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int cgl_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

int cgl_epoll_wait(int epfd, cgl_epoll_event *out, int maxevents, int timeout_ms) {
    struct epoll_event evs[256];
    if (maxevents > 256) maxevents = 256;
    int n = epoll_wait(epfd, evs, maxevents, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].data = evs[i].data.u64;
    }
    return n;
}

int cgl_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cgl_eventfd_write(int fd) {
    uint64_t one = 1;
    ssize_t r = write(fd, &one, sizeof one);
    return r == sizeof one || (r < 0 && errno == EAGAIN) ? 0 : -1;
}

int cgl_eventfd_drain(int fd) {
    uint64_t v;
    ssize_t r = read(fd, &v, sizeof v);
    return r == sizeof v ? 0 : -1;
}

int cgl_timerfd_create(void) { return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC); }

int cgl_timerfd_arm_ns(int fd, int64_t relative_ns) {
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    if (relative_ns > 0) {
        its.it_value.tv_sec = relative_ns / 1000000000LL;
        its.it_value.tv_nsec = relative_ns % 1000000000LL;
    } else if (relative_ns == 0) {
        its.it_value.tv_nsec = 0;  // disarm
    } else {
        its.it_value.tv_nsec = 1;  // fire as soon as possible
    }
    return timerfd_settime(fd, 0, &its, NULL);
}

int cgl_timerfd_drain(int fd) {
    uint64_t v;
    ssize_t r = read(fd, &v, sizeof v);
    return r == sizeof v ? 0 : -1;
}

int cgl_accept4(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static int resolve(const char *host, int port, struct addrinfo **out, int passive) {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    return getaddrinfo(host, portbuf, &hints, out);
}

int cgl_listen_tcp(const char *host, int port, int backlog, int reuseport) {
    struct addrinfo *ai = NULL;
    if (resolve(host, port, &ai, 1) != 0 || ai == NULL) { errno = EADDRNOTAVAIL; return -1; }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { freeaddrinfo(ai); return -1; }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuseport) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
        int e = errno; close(fd); freeaddrinfo(ai); errno = e; return -1;
    }
    freeaddrinfo(ai);
    return fd;
}

int cgl_connect_tcp_nonblock(const char *host, int port) {
    struct addrinfo *ai = NULL;
    if (resolve(host, port, &ai, 0) != 0 || ai == NULL) { errno = EADDRNOTAVAIL; return -1; }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { freeaddrinfo(ai); return -1; }
    int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
    int e = errno;
    freeaddrinfo(ai);
    if (r != 0 && e != EINPROGRESS) { close(fd); errno = e; return -1; }
    return fd;
}

int cgl_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int cgl_local_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

int cgl_peer_address(int fd, char *buf, int buflen) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    const void *src = NULL;
    if (ss.ss_family == AF_INET) src = &((struct sockaddr_in *)&ss)->sin_addr;
    else if (ss.ss_family == AF_INET6) src = &((struct sockaddr_in6 *)&ss)->sin6_addr;
    else return -1;
    return inet_ntop(ss.ss_family, src, buf, (socklen_t)buflen) ? 0 : -1;
}

ssize_t cgl_send(int fd, const void *buf, size_t len) { return send(fd, buf, len, MSG_NOSIGNAL); }

static void fill_set(sigset_t *set, const int *signals, int count) {
    sigemptyset(set);
    for (int i = 0; i < count; i++) sigaddset(set, signals[i]);
}

int cgl_block_signals(const int *signals, int count) {
    sigset_t set;
    fill_set(&set, signals, count);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int cgl_signalfd(const int *signals, int count) {
    sigset_t set;
    fill_set(&set, signals, count);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cgl_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t r = read(fd, &info, sizeof info);
    return r == sizeof info ? (int)info.ssi_signo : -1;
}

int64_t cgl_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t cgl_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t cgl_process_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int cgl_random_bytes(void *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t r = getrandom((char *)buf + done, len - done, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        done += (size_t)r;
    }
    return 0;
}
