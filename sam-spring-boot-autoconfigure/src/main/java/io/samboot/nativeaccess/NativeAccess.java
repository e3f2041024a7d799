package io.samboot.nativeaccess;

import io.samboot.PosixSignal;

/**
 * The few operating-system calls SAM needs that the JDK does not offer.
 *
 * <p>Obtain it with {@link NativeAccess#get()}: the implementation is chosen once per JVM, a JNA
 * binding to the C library where JNA and the platform allow it, otherwise a fallback built on
 * {@link ProcessHandle} that logs once what it cannot do.
 */
public interface NativeAccess {

    /** The PID of this process. */
    long getpid();

    /** The PID of this process's parent, as the kernel sees it now. */
    long getppid();

    /**
     * Sends a signal to a process.
     * @return {@code true} if the signal was sent, {@code false} if the process does not exist
     *     (ESRCH)
     * @throws NativeAccessException if the signal could not be sent for another reason (the message
     *     names the call, the PID, the signal and {@code strerror(errno)})
     */
    boolean kill(long pid, PosixSignal signal);

    /**
     * Asks the kernel to send {@code signal} to this process when the thread that created it
     * ends (Linux {@code prctl(PR_SET_PDEATHSIG)}).
     * @return {@code false} where the platform has no such call
     */
    boolean setParentDeathSignal(PosixSignal signal);

    /** Whether this implementation calls the C library (and not a fallback). */
    boolean isNative();

    /** The implementation chosen for this JVM. */
    static NativeAccess get() {
        return NativeAccessHolder.INSTANCE;
    }
}
