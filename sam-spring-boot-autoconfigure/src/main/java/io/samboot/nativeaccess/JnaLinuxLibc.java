package io.samboot.nativeaccess;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The Linux-only C library calls, kept apart from {@link JnaLibc} because binding a symbol that
 * does not exist (as {@code prctl} on macOS) fails the whole class.
 */
final class JnaLinuxLibc {

    /** {@code PR_SET_PDEATHSIG} from {@code <linux/prctl.h>}. */
    static final int PR_SET_PDEATHSIG = 1;

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
}
