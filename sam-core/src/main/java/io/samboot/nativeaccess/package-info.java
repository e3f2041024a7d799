/**
 * A thin layer over the few C library calls SAM needs and the JDK does not offer: {@code getppid},
 * {@code kill} with any signal, and Linux's {@code prctl(PR_SET_PDEATHSIG)}.
 *
 * <p>The supervisor runs before any Spring context exists and must start even where JNA is missing
 * or the platform has no such calls, so {@link io.samboot.nativeaccess.NativeAccess} is chosen once
 * per JVM: a JNA binding where possible, otherwise a fallback on {@link java.lang.ProcessHandle}
 * that logs once what it cannot do and how to fix it. Only the package-private {@code Jna*} classes
 * import {@code com.sun.jna}, so that JNA stays an optional dependency and nothing else in SAM can
 * fail with {@link java.lang.NoClassDefFoundError} when it is absent.
 */
package io.samboot.nativeaccess;
