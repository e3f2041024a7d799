package io.samboot.nativeaccess;

import java.io.File;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import com.sun.jna.Native;
import com.sun.jna.StringArray;
import io.samboot.PosixSignal;

/**
 * {@link NativeAccess} through JNA calls to the C library on Linux and macOS.
 *
 * <p>Created only by {@link #load(boolean)}, which {@link NativeAccessHolder} calls after checking
 * that JNA is on the class path; every failure to bind the library surfaces there as a
 * {@link LinkageError} or {@link RuntimeException}, so that the holder can fall back.
 */
final class JnaNativeAccess implements NativeAccess {

    /** {@code ESRCH}, "No such process", on Linux and macOS alike. */
    static final int ESRCH = 3;

    /** {@code EPERM}, "Operation not permitted", on Linux and macOS alike. */
    static final int EPERM = 1;

    /** {@code EINVAL}, "Invalid argument", on Linux and macOS alike. */
    static final int EINVAL = 22;

    /** {@code ENOENT}, "No such file or directory", on Linux and macOS alike. */
    static final int ENOENT = 2;

    /** {@code EINTR}, "Interrupted system call", on Linux and macOS alike. */
    static final int EINTR = 4;

    /** {@code ECHILD}, "No child processes", on Linux and macOS alike. */
    static final int ECHILD = 10;

    /** {@code EACCES}, "Permission denied", on Linux and macOS alike. */
    static final int EACCES = 13;

    /** {@code EAGAIN}, "Resource temporarily unavailable", on Linux. */
    static final int EAGAIN = 11;

    /** {@code EMSGSIZE}, "Message too long", on Linux. */
    static final int EMSGSIZE = 90;

    /** {@code ECONNREFUSED}, "Connection refused", on Linux. */
    static final int ECONNREFUSED = 111;

    private final boolean linux;

    private JnaNativeAccess(boolean linux) {
        this.linux = linux;
    }

    /**
     * Binds the C library and checks that it answers as expected.
     * @param linux whether to bind the Linux-only calls too
     * @return the binding, typed as the interface so that callers never link against this class
     *     before it is loaded
     * @throws LinkageError if JNA or the library cannot be loaded
     * @throws IllegalStateException if {@code getpid()} disagrees with the JDK (a wrong library)
     */
    static NativeAccess load(boolean linux) {
        long pid = JnaLibc.getpid();
        long expected = ProcessHandle.current().pid();
        if (pid != expected) {
            throw new IllegalStateException(
                    "getpid() through JNA returned " + pid + " but the JDK says " + expected + "; wrong C library?");
        }
        if (linux) {
            bindNow(JnaLinuxLibc.class);
        }
        return new JnaNativeAccess(linux);
    }

    /** Initialises a direct-mapped class, which binds its methods, so that it fails now or never. */
    private static void bindNow(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new NoClassDefFoundError(ex.getMessage());
        }
    }

    @Override
    public long getpid() {
        return JnaLibc.getpid();
    }

    @Override
    public long getppid() {
        return JnaLibc.getppid();
    }

    @Override
    public boolean kill(long pid, PosixSignal signal) {
        int target = ProcessIds.require(pid);
        if (JnaLibc.kill(target, signal.number()) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == ESRCH) {
            return false;
        }
        throw new NativeAccessException(ProcessIds.describeKill(pid, signal), errno, JnaLibc.describe(errno),
                killAdvice(errno));
    }

    private static String killAdvice(int errno) {
        if (errno == EPERM) {
            return "the process runs as another user or is protected; SAM only signals processes it started"
                    + " itself as the same user, so check that this PID is one of its instances";
        }
        if (errno == EINVAL) {
            return "this operating system does not know the signal; choose another one";
        }
        return "this is unexpected; please report it with this message";
    }

    @Override
    public boolean setParentDeathSignal(PosixSignal signal) {
        if (!this.linux) {
            return false;
        }
        if (JnaLinuxLibc.prctl(JnaLinuxLibc.PR_SET_PDEATHSIG, signal.number(), 0, 0, 0) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        throw new NativeAccessException(
                "prctl(PR_SET_PDEATHSIG, signal=" + signal.signalName() + " (" + signal.number() + "))", errno,
                JnaLibc.describe(errno), "the instance would outlive a killed supervisor; "
                        + ((errno == EINVAL) ? "choose a valid signal" : "please report this with this message"));
    }

    @Override
    public void sendDatagram(String socketPath, byte[] message) {
        String operation = UnixSocketAddress.describeSend(socketPath, message);
        if (!this.linux) {
            throw new NativeAccessException(operation, "SAM sends Unix datagrams only on Linux",
                    "systemd notification (NOTIFY_SOCKET) exists only on Linux; unset NOTIFY_SOCKET elsewhere");
        }
        byte[] address = UnixSocketAddress.encode(socketPath, ByteOrder.nativeOrder());
        int fd = JnaLinuxLibc.socket(JnaLinuxLibc.AF_UNIX, JnaLinuxLibc.SOCK_DGRAM | JnaLinuxLibc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new NativeAccessException("socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC) for " + operation, errno,
                    JnaLibc.describe(errno), "the process may have run out of file descriptors (ulimit -n)");
        }
        try {
            while (true) {
                long sent = JnaLinuxLibc.sendto(fd, message, message.length,
                        JnaLinuxLibc.MSG_DONTWAIT | JnaLinuxLibc.MSG_NOSIGNAL, address, address.length);
                if (sent >= 0) {
                    // A datagram goes whole or not at all.
                    return;
                }
                int errno = Native.getLastError();
                if (errno != EINTR) {
                    throw new NativeAccessException(operation, errno, JnaLibc.describe(errno), sendAdvice(errno));
                }
            }
        }
        finally {
            JnaLinuxLibc.close(fd);
        }
    }

    private static String sendAdvice(int errno) {
        if (errno == ENOENT || errno == ECONNREFUSED) {
            return "nothing listens on that socket: the service manager that set it is gone, or the variable"
                    + " names the wrong socket";
        }
        if (errno == EACCES || errno == EPERM) {
            return "this user may not write to that socket; run as the user the service manager expects";
        }
        if (errno == EAGAIN) {
            return "the receiver's queue is full (it does not read its socket); the message was dropped";
        }
        if (errno == EMSGSIZE) {
            return "the message is larger than the socket accepts; send less";
        }
        return "this is unexpected; please report it with this message";
    }

    @Override
    public OptionalInt waitpidNoHang(long pid) {
        int target = ProcessIds.require(pid);
        int[] status = new int[1];
        while (true) {
            int result = JnaLibc.waitpid(target, status, JnaLibc.WNOHANG);
            if (result == target) {
                return OptionalInt.of(shellStatus(status[0]));
            }
            if (result == 0) {
                return OptionalInt.empty();
            }
            int errno = Native.getLastError();
            if (errno == ECHILD) {
                return OptionalInt.empty();
            }
            if (errno != EINTR) {
                throw new NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)", errno, JnaLibc.describe(errno),
                        "this is unexpected; please report it with this message");
            }
        }
    }

    /**
     * A {@code waitpid} status as a shell reports it: the exit code, or 128 + N when signal N ended
     * the process (the {@code WIFEXITED}/{@code WEXITSTATUS}/{@code WTERMSIG} macros of Linux and
     * macOS alike; without {@code WUNTRACED} no other kind of status is reported).
     */
    static int shellStatus(int waitStatus) {
        int low = waitStatus & 0x7f;
        if (low == 0) {
            return (waitStatus >> 8) & 0xff;
        }
        return 128 + low;
    }

    @Override
    public boolean setChildSubreaper() {
        if (!this.linux) {
            return false;
        }
        if (JnaLinuxLibc.prctl(JnaLinuxLibc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        throw new NativeAccessException("prctl(PR_SET_CHILD_SUBREAPER, 1)", errno, JnaLibc.describe(errno),
                "orphans of the instance will go to PID 1 instead of the supervisor; this needs Linux 3.4 or later");
    }

    @Override
    public void exec(String executable, List<String> argv, Map<String, String> environment) {
        String operation = "execve(" + executable + ")";
        if (!this.linux) {
            throw new NativeAccessException(operation, "SAM replaces its program only on Linux",
                    "supervise from the JVM the user started (the default elsewhere)");
        }
        markDescriptorsCloseOnExec();
        if (JnaLinuxLibc.sigprocmask(JnaLinuxLibc.SIG_SETMASK, new byte[JnaLinuxLibc.SIGSET_BYTES], null) != 0) {
            int errno = Native.getLastError();
            throw new NativeAccessException("sigprocmask(SIG_SETMASK, {})", errno, JnaLibc.describe(errno),
                    "this is unexpected; please report it with this message");
        }
        // The JVM decodes its arguments and environment with sun.jnu.encoding: encode them back with it.
        String encoding = System.getProperty("sun.jnu.encoding", Native.getDefaultStringEncoding());
        StringArray arguments = new StringArray(argv.toArray(String[]::new), encoding);
        StringArray variables = new StringArray(environment.entrySet().stream()
            .map((entry) -> entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new), encoding);
        JnaLinuxLibc.execve(executable, arguments, variables);
        int errno = Native.getLastError();
        throw new NativeAccessException(operation, errno, JnaLibc.describe(errno),
                (errno == ENOENT || errno == EACCES) ? "the JVM's own java executable is missing or not executable"
                        : "this is unexpected; please report it with this message");
    }

    /**
     * Marks every open descriptor above 2 close-on-exec, as listed in {@code /proc/self/fd}. The JDK
     * opens most files without {@code O_CLOEXEC}; it relies on closing them in the child when it
     * starts a process, which {@code execve} alone does not do.
     */
    private static void markDescriptorsCloseOnExec() {
        File[] entries = new File("/proc/self/fd").listFiles();
        if (entries == null) {
            throw new NativeAccessException("listing /proc/self/fd", "it cannot be read",
                    "mount /proc; the supervisor cannot know which descriptors to close otherwise");
        }
        for (File entry : entries) {
            int fd;
            try {
                fd = Integer.parseInt(entry.getName());
            }
            catch (NumberFormatException ex) {
                continue;
            }
            if (fd <= 2) {
                continue;
            }
            int flags = JnaLinuxLibc.fcntl(fd, JnaLinuxLibc.F_GETFD, 0);
            if (flags >= 0 && (flags & JnaLinuxLibc.FD_CLOEXEC) == 0) {
                // A descriptor closed meanwhile (the listing's own) fails with EBADF: nothing to do.
                JnaLinuxLibc.fcntl(fd, JnaLinuxLibc.F_SETFD, flags | JnaLinuxLibc.FD_CLOEXEC);
            }
        }
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public String toString() {
        return "JNA (" + (this.linux ? "Linux" : "macOS") + " C library)";
    }
}
