package io.samboot.nativeaccess;

import com.sun.jna.Native;
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
    public boolean isNative() {
        return true;
    }

    @Override
    public String toString() {
        return "JNA (" + (this.linux ? "Linux" : "macOS") + " C library)";
    }
}
