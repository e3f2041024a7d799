package io.samboot.nativeaccess;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux-only C library calls, kept apart from {@link JnaLibc} because binding a symbol that
 * does not exist (as {@code prctl} on macOS) fails the whole class.
 */
final class JnaLinuxLibc {

    /** {@code PR_SET_PDEATHSIG} from {@code <linux/prctl.h>}. */
    static final int PR_SET_PDEATHSIG = 1;

    /** {@code PR_SET_CHILD_SUBREAPER} from {@code <linux/prctl.h>}. */
    static final int PR_SET_CHILD_SUBREAPER = 36;

    /** {@code AF_UNIX} from {@code <sys/socket.h>}. */
    static final int AF_UNIX = UnixSocketAddress.AF_UNIX;

    /** {@code SOCK_DGRAM} from {@code <sys/socket.h>}. */
    static final int SOCK_DGRAM = 2;

    /** {@code SOCK_CLOEXEC} ({@code O_CLOEXEC}) on x86-64 and aarch64 Linux. */
    static final int SOCK_CLOEXEC = 0x80000;

    /** {@code MSG_DONTWAIT}: fail with {@code EAGAIN} instead of blocking. */
    static final int MSG_DONTWAIT = 0x40;

    /** {@code MSG_NOSIGNAL}: no {@code SIGPIPE}. */
    static final int MSG_NOSIGNAL = 0x4000;

    static {
        Native.register(JnaLinuxLibc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private JnaLinuxLibc() {
    }

    /**
     * {@code int prctl(int option, unsigned long arg2, ...)}; Java {@code long} matches
     * {@code unsigned long} on the 64-bit platforms JNA ships natives for that SAM supports.
     */
    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** {@code int socket(int domain, int type, int protocol)}. */
    static native int socket(int domain, int type, int protocol);

    /**
     * {@code ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr
     * *addr, socklen_t addrlen)}; {@code size_t} and {@code ssize_t} are Java {@code long} on the
     * 64-bit platforms SAM supports.
     */
    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    /** {@code int close(int fd)}. */
    static native int close(int fd);

    /** {@code F_GETFD}, {@code F_SETFD} and {@code FD_CLOEXEC} from {@code <fcntl.h>}. */
    static final int F_GETFD = 1;

    static final int F_SETFD = 2;

    static final int FD_CLOEXEC = 1;

    /** {@code SIG_SETMASK} from {@code <signal.h>} (x86-64 and aarch64). */
    static final int SIG_SETMASK = 2;

    /** The size of the C library's {@code sigset_t} (1024 bits), larger than the kernel's. */
    static final int SIGSET_BYTES = 128;

    /**
     * {@code int fcntl(int fd, int cmd, ...)} called with one {@code int} argument. The C function is
     * variadic; on x86-64 and aarch64 Linux an {@code int} travels in the same register either way,
     * and only {@code F_GETFD}/{@code F_SETFD} are used.
     */
    static native int fcntl(int fd, int command, int argument);

    /** {@code int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)}: the calling thread's mask on Linux. */
    static native int sigprocmask(int how, byte[] set, Pointer oldSet);

    /** {@code int execve(const char *path, char *const argv[], char *const envp[])}: returns only on failure. */
    static native int execve(String path, Pointer argv, Pointer environment);
}
