// Linux system calls and constants that Swift's Glibc module does not export.
// Thin wrappers only: no logic lives here.
#ifndef CGATEWAYLINUX_H
#define CGATEWAYLINUX_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

// epoll
typedef struct cgl_epoll_event {
    uint32_t events;
    uint64_t data;
} cgl_epoll_event;

extern const uint32_t CGL_EPOLLIN;
extern const uint32_t CGL_EPOLLOUT;
extern const uint32_t CGL_EPOLLERR;
extern const uint32_t CGL_EPOLLHUP;
extern const uint32_t CGL_EPOLLRDHUP;
extern const uint32_t CGL_EPOLLET;

int cgl_epoll_create(void);
int cgl_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
int cgl_epoll_wait(int epfd, cgl_epoll_event *events, int maxevents, int timeout_ms);
extern const int CGL_EPOLL_CTL_ADD;
extern const int CGL_EPOLL_CTL_MOD;
extern const int CGL_EPOLL_CTL_DEL;

// eventfd
int cgl_eventfd(void);
int cgl_eventfd_write(int fd);
int cgl_eventfd_drain(int fd);

// randomness
/// Fills buf with len bytes from the kernel CSPRNG (getrandom). Returns 0 or -1.
int cgl_random_bytes(void *buf, size_t len);

// timerfd (monotonic, one-shot; 0 disarms)
int cgl_timerfd_create(void);
int cgl_timerfd_arm_ns(int fd, int64_t relative_ns);
int cgl_timerfd_drain(int fd);

// sockets
int cgl_accept4(int fd, struct sockaddr *addr, socklen_t *len);
int cgl_listen_tcp(const char *host, int port, int backlog, int reuseport);
int cgl_connect_tcp_nonblock(const char *host, int port);
int cgl_set_nodelay(int fd);
int cgl_local_port(int fd);
/// Writes the peer's numeric address into buf (NUL-terminated). Returns 0 or -1.
int cgl_peer_address(int fd, char *buf, int buflen);
/// Writes without raising SIGPIPE.
ssize_t cgl_send(int fd, const void *buf, size_t len);

// signals
/// Blocks the given signals in the calling thread (and threads it creates later).
int cgl_block_signals(const int *signals, int count);
/// A non-blocking signalfd for the given signals.
int cgl_signalfd(const int *signals, int count);
/// Reads one pending signal number from a signalfd, or -1 when none is pending.
int cgl_signalfd_read(int fd);

// randomness
/// Fills buf with len bytes from the kernel CSPRNG (getrandom). Returns 0 or -1.
int cgl_random_bytes(void *buf, size_t len);

// time
int64_t cgl_monotonic_ns(void);
int64_t cgl_realtime_ns(void);
/// CPU time (user + system) of the whole process, in nanoseconds.
int64_t cgl_process_cpu_ns(void);

#ifdef __cplusplus
}
#endif
#endif
