package io.samboot.nativeaccess;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library calls SAM makes on every POSIX platform, direct-mapped with JNA.
 *
 * <p>Direct mapping binds each method once, when this class initialises, so a missing library or
 * symbol fails there (caught by {@link NativeAccessHolder}) and not at the first signal. After a
 * call returns {@code -1}, {@link Native#getLastError()} on the same thread holds its
 * {@code errno}.
 */
final class JnaLibc {

    /** {@code WNOHANG} from {@code <sys/wait.h>}, 1 on Linux and macOS alike. */
    static final int WNOHANG = 1;

    static {
        Native.register(JnaLibc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private JnaLibc() {
    }

    static native int getpid();

    static native int getppid();

    static native int kill(int pid, int signal);

    static native String strerror(int errno);

    /** {@code pid_t waitpid(pid_t pid, int *status, int options)}. */
    static native int waitpid(int pid, int[] status, int options);

    /** {@code strerror(errno)}, never failing: it is only used to build error messages. */
    static String describe(int errno) {
        try {
            String text = strerror(errno);
            return (text != null) ? text : "unknown error";
        }
        catch (RuntimeException | LinkageError ex) {
            return "unknown error";
        }
    }
}
