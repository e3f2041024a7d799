package io.samboot.nativeaccess;

/**
 * The C library calls SAM makes, one method per call, shaped as in C: {@code int} for
 * {@code pid_t}, {@code int} and descriptors, {@code long} for {@code size_t},
 * {@code ssize_t} and {@code unsigned long} (the 64-bit platforms SAM supports), byte
 * arrays for buffers and structures.
 *
 * <p>
 * Nothing here decides anything: a call that fails returns what the C function returns
 * ({@code -1} as a rule) and leaves its error number for {@link #errno()}, exactly as in
 * C. What a failure means, and what a reader should do about it, is the business of
 * {@link PosixNativeAccess} and {@link LinuxNativeAccess}, which tests drive with a fake
 * of this interface. {@link JnaLibc} is the one implementation.
 *
 * <p>
 * The constants are those of the C headers on Linux (x86-64 and aarch64); where macOS
 * differs, their description says so. The calls marked <em>Linux</em> exist only there.
 */
interface Libc {

	/** {@code WNOHANG} from {@code <sys/wait.h>}, 1 on Linux and macOS alike. */
	int WNOHANG = 1;

	/** {@code P_ALL} from {@code <sys/wait.h>}: {@code waitid} for any child (Linux). */
	int P_ALL = 0;

	/** {@code P_PID} from {@code <sys/wait.h>}: {@code waitid} for one child (Linux). */
	int P_PID = 1;

	/** {@code WEXITED} from {@code <sys/wait.h>} (Linux). */
	int WEXITED = 4;

	/** {@code WNOWAIT} from {@code <sys/wait.h>}: leave the child waitable (Linux). */
	int WNOWAIT = 0x01000000;

	/**
	 * {@code SYS_pidfd_open} (Linux 5.3): the same number on x86-64 and aarch64, as on
	 * every architecture but Alpha.
	 */
	long SYS_PIDFD_OPEN = 434;

	/** {@code POLLIN} from {@code <poll.h>}, 1 on Linux and macOS alike. */
	short POLLIN = 1;

	/**
	 * {@code sizeof(struct pollfd)}: {@code int fd}, {@code short events},
	 * {@code short revents}.
	 */
	int POLLFD_SIZE = 8;

	/** {@code sizeof(siginfo_t)} on Linux. */
	int SIGINFO_SIZE = 128;

	/**
	 * Where {@code si_pid} lies in a {@code siginfo_t} on LP64 Linux (x86-64, aarch64):
	 * after {@code si_signo}, {@code si_errno} and {@code si_code}, at the union aligned
	 * to 8 bytes.
	 */
	int SIGINFO_PID_OFFSET = 16;

	/** Where {@code si_code} lies in a {@code siginfo_t} on Linux. */
	int SIGINFO_CODE_OFFSET = 8;

	/**
	 * Where {@code si_status} lies in a {@code siginfo_t} for {@code SIGCHLD} on LP64
	 * Linux: after {@code si_pid} and {@code si_uid}.
	 */
	int SIGINFO_STATUS_OFFSET = 24;

	/** {@code CLD_EXITED}: the child called exit; {@code si_status} is its status. */
	int CLD_EXITED = 1;

	/** {@code PR_SET_PDEATHSIG} from {@code <linux/prctl.h>}. */
	int PR_SET_PDEATHSIG = 1;

	/** {@code PR_SET_CHILD_SUBREAPER} from {@code <linux/prctl.h>}. */
	int PR_SET_CHILD_SUBREAPER = 36;

	/**
	 * {@code PRIO_PROCESS} from {@code <sys/resource.h>}: {@link #setpriority} of one
	 * process, on Linux of one thread.
	 */
	int PRIO_PROCESS = 0;

	/** The highest nice value, the lowest priority: 19. */
	int NICE_LOWEST = 19;

	/** {@code AF_UNIX} from {@code <sys/socket.h>}. */
	int AF_UNIX = 1;

	/** {@code AF_INET} from {@code <sys/socket.h>}. */
	int AF_INET = 2;

	/** {@code AF_INET6} from {@code <sys/socket.h>} (30 on macOS). */
	int AF_INET6 = 10;

	/** {@code SOCK_STREAM} from {@code <sys/socket.h>}. */
	int SOCK_STREAM = 1;

	/** {@code SOL_SOCKET} from {@code <sys/socket.h>} (0xffff on macOS). */
	int SOL_SOCKET = 1;

	/** {@code SO_REUSEADDR} from {@code <sys/socket.h>} (4 on macOS). */
	int SO_REUSEADDR = 2;

	/** {@code IPPROTO_IPV6} from {@code <netinet/in.h>}. */
	int IPPROTO_IPV6 = 41;

	/** {@code IPV6_V6ONLY} from {@code <netinet/in.h>} (27 on macOS). */
	int IPV6_V6ONLY = 26;

	/** {@code EADDRINUSE}, "Address already in use", on Linux (48 on macOS). */
	int EADDRINUSE = 98;

	/** {@code SOCK_DGRAM} from {@code <sys/socket.h>}. */
	int SOCK_DGRAM = 2;

	/**
	 * {@code SOCK_CLOEXEC} ({@code O_CLOEXEC}) from {@code <sys/socket.h>}; Linux only.
	 */
	int SOCK_CLOEXEC = 0x80000;

	/**
	 * {@code MSG_DONTWAIT} from {@code <sys/socket.h>}: fail with {@code EAGAIN} instead
	 * of blocking.
	 */
	int MSG_DONTWAIT = 0x40;

	/**
	 * {@code MSG_NOSIGNAL} from {@code <sys/socket.h>}: no {@code SIGPIPE}; Linux only.
	 */
	int MSG_NOSIGNAL = 0x4000;

	/** {@code F_GETFD} from {@code <fcntl.h>}. */
	int F_GETFD = 1;

	/** {@code F_SETFD} from {@code <fcntl.h>}. */
	int F_SETFD = 2;

	/** {@code FD_CLOEXEC} from {@code <fcntl.h>}. */
	int FD_CLOEXEC = 1;

	/**
	 * {@code F_DUPFD_CLOEXEC} from {@code <fcntl.h>} (Linux's value): a copy of the
	 * descriptor at the lowest free number from the argument up, close-on-exec.
	 */
	int F_DUPFD_CLOEXEC = 1030;

	/** {@code O_RDONLY} from {@code <fcntl.h>}. */
	int O_RDONLY = 0;

	/**
	 * {@code O_NONBLOCK} from {@code <fcntl.h>}: opening a FIFO or a device does not wait
	 * for the other end (4 on macOS).
	 */
	int O_NONBLOCK = 0x800;

	/**
	 * {@code O_NOFOLLOW} from {@code <fcntl.h>} on x86-64: fail with {@code ELOOP} when
	 * the last component is a symbolic link. Other architectures differ: see
	 * {@link #O_NOFOLLOW_AARCH64}.
	 */
	int O_NOFOLLOW_X86_64 = 0x20000;

	/** {@code O_NOFOLLOW} from {@code <fcntl.h>} on aarch64 (and ppc64, arm). */
	int O_NOFOLLOW_AARCH64 = 0x8000;

	/** {@code O_CLOEXEC} from {@code <fcntl.h>}; Linux (0x1000000 on macOS). */
	int O_CLOEXEC = 0x80000;

	/** {@code SIG_SETMASK} from {@code <signal.h>} (3 on macOS). */
	int SIG_SETMASK = 2;

	/**
	 * The size of the C library's {@code sigset_t} (1024 bits), larger than the kernel's.
	 */
	int SIGSET_BYTES = 128;

	/** {@code EPERM}, "Operation not permitted", on Linux and macOS alike. */
	int EPERM = 1;

	/** {@code ENOENT}, "No such file or directory", on Linux and macOS alike. */
	int ENOENT = 2;

	/** {@code ESRCH}, "No such process", on Linux and macOS alike. */
	int ESRCH = 3;

	/** {@code EINTR}, "Interrupted system call", on Linux and macOS alike. */
	int EINTR = 4;

	/** {@code EBADF}, "Bad file descriptor", on Linux and macOS alike. */
	int EBADF = 9;

	/** {@code ECHILD}, "No child processes", on Linux and macOS alike. */
	int ECHILD = 10;

	/** {@code EAGAIN}, "Resource temporarily unavailable", on Linux (35 on macOS). */
	int EAGAIN = 11;

	/** {@code EACCES}, "Permission denied", on Linux and macOS alike. */
	int EACCES = 13;

	/** {@code EINVAL}, "Invalid argument", on Linux and macOS alike. */
	int EINVAL = 22;

	/** {@code ENOMEM}, "Cannot allocate memory", on Linux and macOS alike. */
	int ENOMEM = 12;

	/** {@code ENFILE}, "Too many open files in system", on Linux and macOS alike. */
	int ENFILE = 23;

	/** {@code EMFILE}, "Too many open files", on Linux and macOS alike. */
	int EMFILE = 24;

	/** {@code ENOSYS}, "Function not implemented", on Linux (78 on macOS). */
	int ENOSYS = 38;

	/** {@code EMSGSIZE}, "Message too long", on Linux (40 on macOS). */
	int EMSGSIZE = 90;

	/** {@code ECONNREFUSED}, "Connection refused", on Linux (61 on macOS). */
	int ECONNREFUSED = 111;

	/**
	 * {@code ELOOP}, "Too many levels of symbolic links", on Linux (62 on macOS): what
	 * {@code open} with {@code O_NOFOLLOW} answers for a symbolic link.
	 */
	int ELOOP = 40;

	/**
	 * {@code pid_t getpid(void)}; never fails.
	 * @see <a href="https://man7.org/linux/man-pages/man2/getpid.2.html">getpid(2)</a>
	 */
	int getpid();

	/**
	 * {@code pid_t getppid(void)}; never fails.
	 * @see <a href="https://man7.org/linux/man-pages/man2/getpid.2.html">getppid(2)</a>
	 */
	int getppid();

	/**
	 * {@code int kill(pid_t pid, int sig)}: {@code 0}, or {@code -1} and
	 * {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/kill.2.html">kill(2)</a>
	 */
	int kill(int pid, int signal);

	/**
	 * {@code pid_t waitpid(pid_t pid, int *wstatus, int options)}: the PID reaped with
	 * its status in {@code status[0]}, {@code 0} if none ended ({@link #WNOHANG}), or
	 * {@code -1} and {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/waitpid.2.html">waitpid(2)</a>
	 */
	int waitpid(int pid, int[] status, int options);

	/**
	 * {@code int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options)}
	 * (Linux): {@code 0} with the child, if any, in {@code info} ({@code si_pid} at
	 * {@link #SIGINFO_PID_OFFSET}, left 0 when none is waitable and {@link #WNOHANG} is
	 * given), or {@code -1} and {@link #errno()}.
	 * @param info a buffer of {@link #SIGINFO_SIZE} bytes
	 * @see <a href="https://man7.org/linux/man-pages/man2/waitid.2.html">waitid(2)</a>
	 */
	int waitid(int idType, int id, byte[] info, int options);

	/**
	 * {@code int pidfd_open(pid_t pid, unsigned int flags)} with no flags, made through
	 * {@code syscall(SYS_pidfd_open, pid, 0)} because C libraries before glibc 2.36 have
	 * no wrapper (Linux 5.3): a descriptor that becomes readable when the process has
	 * ended, or {@code -1} and {@link #errno()}.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man2/pidfd_open.2.html">pidfd_open(2)</a>
	 */
	int pidfdOpen(int pid);

	/**
	 * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}: how many of the
	 * descriptors are ready ({@code 0} when the time ran out), or {@code -1} and
	 * {@link #errno()}.
	 * @param fds {@code count} structures of {@link #POLLFD_SIZE} bytes each, in the
	 * platform's byte order
	 * @see <a href="https://man7.org/linux/man-pages/man2/poll.2.html">poll(2)</a>
	 */
	int poll(byte[] fds, long count, int timeoutMillis);

	/**
	 * {@code int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4,
	 * unsigned long arg5)}: {@code 0} for the options SAM sets, or {@code -1} and
	 * {@link #errno()}. Linux.
	 * @see <a href="https://man7.org/linux/man-pages/man2/prctl.2.html">prctl(2)</a>
	 */
	int prctl(int option, long arg2, long arg3, long arg4, long arg5);

	/**
	 * {@code int setpriority(int which, id_t who, int prio)}: {@code 0}, or {@code -1}
	 * and {@link #errno()}. On Linux, {@code PRIO_PROCESS} with a thread's id sets that
	 * thread's nice value alone ({@code 0}: the calling thread's). Linux.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man2/setpriority.2.html">setpriority(2)</a>
	 */
	int setpriority(int which, int who, int priority);

	/**
	 * {@code int malloc_trim(size_t pad)}: {@code 1} if it gave memory back to the
	 * kernel, {@code 0} if there was none to give. glibc only: elsewhere (musl) the
	 * symbol is missing and the call throws a {@link LinkageError}.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man3/malloc_trim.3.html">malloc_trim(3)</a>
	 */
	int malloc_trim(long pad);

	/**
	 * {@code int socket(int domain, int type, int protocol)}: a new descriptor, or
	 * {@code -1} and {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/socket.2.html">socket(2)</a>
	 */
	int socket(int domain, int type, int protocol);

	/**
	 * {@code ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
	 * const struct sockaddr *dest_addr, socklen_t addrlen)}: the bytes sent, or
	 * {@code -1} and {@link #errno()}.
	 * @param address the {@code struct sockaddr} as bytes (see {@link UnixSocketAddress})
	 * @see <a href="https://man7.org/linux/man-pages/man2/sendto.2.html">sendto(2)</a>
	 */
	long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

	/**
	 * {@code int open(const char *pathname, int flags)}, the variadic call without a mode
	 * (no {@code O_CREAT}): a new descriptor, or {@code -1} and {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/open.2.html">open(2)</a>
	 */
	int open(String path, int flags);

	/**
	 * {@code int close(int fd)}: {@code 0}, or {@code -1} and {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/close.2.html">close(2)</a>
	 */
	int close(int fd);

	/**
	 * {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}:
	 * {@code 0}, or {@code -1} and {@link #errno()}.
	 * @param address the {@code struct sockaddr} as bytes
	 * @see <a href="https://man7.org/linux/man-pages/man2/bind.2.html">bind(2)</a>
	 */
	int bind(int fd, byte[] address, int addressLength);

	/**
	 * {@code int listen(int sockfd, int backlog)}: {@code 0}, or {@code -1} and
	 * {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/listen.2.html">listen(2)</a>
	 */
	int listen(int fd, int backlog);

	/**
	 * {@code int setsockopt(int sockfd, int level, int optname, const void *optval,
	 * socklen_t optlen)} for an {@code int} option: {@code 0}, or {@code -1} and
	 * {@link #errno()}.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man2/setsockopt.2.html">setsockopt(2)</a>
	 */
	int setsockopt(int fd, int level, int option, int value);

	/**
	 * {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen)}:
	 * {@code 0} with the address in {@code address} and its length in
	 * {@code addressLength[0]}, or {@code -1} and {@link #errno()}.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man2/getsockname.2.html">getsockname(2)</a>
	 */
	int getsockname(int fd, byte[] address, int[] addressLength);

	/**
	 * {@code int dup2(int oldfd, int newfd)}: {@code newfd}, or {@code -1} and
	 * {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/dup.2.html">dup2(2)</a>
	 */
	int dup2(int fd, int target);

	/**
	 * {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)} with one
	 * data buffer and one {@code SCM_RIGHTS} control message carrying one descriptor: the
	 * bytes sent, or {@code -1} and {@link #errno()}. The {@code struct msghdr} and its
	 * {@code cmsghdr} are built by the binding (their layout is the same on x86-64 and
	 * aarch64 Linux). Linux.
	 * @param address the destination's {@code struct sockaddr} as bytes
	 * @param passed the descriptor to pass
	 * @see <a href="https://man7.org/linux/man-pages/man2/sendmsg.2.html">sendmsg(2)</a>
	 * @see <a href="https://man7.org/linux/man-pages/man7/unix.7.html">unix(7),
	 * SCM_RIGHTS</a>
	 */
	long sendmsgRights(int fd, byte[] address, int addressLength, byte[] data, int passed, int flags);

	/**
	 * {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)} into one data
	 * buffer with room for one {@code SCM_RIGHTS} control message: the bytes received
	 * with the descriptor passed in {@code passed[0]} ({@code -1} when none came), or
	 * {@code -1} and {@link #errno()}. Linux.
	 * @see <a href="https://man7.org/linux/man-pages/man2/recvmsg.2.html">recvmsg(2)</a>
	 */
	long recvmsgRights(int fd, byte[] data, int[] passed, int flags);

	/**
	 * {@code int fcntl(int fd, int cmd, int arg)}, the variadic call with one {@code int}
	 * argument (all that {@link #F_GETFD}, {@link #F_SETFD} and {@link #F_DUPFD_CLOEXEC}
	 * take): the flags for {@code F_GETFD}, {@code 0} for {@code F_SETFD}, the new
	 * descriptor for {@code F_DUPFD_CLOEXEC}, or {@code -1} and {@link #errno()}.
	 * @see <a href="https://man7.org/linux/man-pages/man2/fcntl.2.html">fcntl(2)</a>
	 */
	int fcntl(int fd, int command, int argument);

	/**
	 * {@code int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)}, the
	 * calling thread's mask on Linux: {@code 0}, or {@code -1} and {@link #errno()}.
	 * @param set {@link #SIGSET_BYTES} bytes, or {@code null}
	 * @param oldSet {@link #SIGSET_BYTES} bytes to receive the previous mask, or
	 * {@code null}
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man2/sigprocmask.2.html">sigprocmask(2)</a>
	 */
	int sigprocmask(int how, byte[] set, byte[] oldSet);

	/**
	 * {@code int execve(const char *pathname, char *const argv[], char *const envp[])}:
	 * returns only on failure, {@code -1} and {@link #errno()}. The strings are encoded
	 * as the JVM decoded its own ({@code sun.jnu.encoding}); the arrays get their
	 * terminating {@code NULL} here.
	 * @param argv the arguments, {@code argv[0]} first
	 * @param environment the variables, each {@code NAME=value}
	 * @see <a href="https://man7.org/linux/man-pages/man2/execve.2.html">execve(2)</a>
	 */
	int execve(String path, String[] argv, String[] environment);

	/**
	 * {@code char *strerror(int errnum)}: the error's text, or {@code null} where the
	 * library has none.
	 * @see <a href=
	 * "https://man7.org/linux/man-pages/man3/strerror.3.html">strerror(3)</a>
	 */
	String strerror(int errno);

	/**
	 * {@code errno} as the calling thread's last call through this library left it;
	 * meaningful only right after a call that reported failure.
	 * @see <a href="https://man7.org/linux/man-pages/man3/errno.3.html">errno(3)</a>
	 */
	int errno();

}
