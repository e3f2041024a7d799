/**
 * A thin layer over the few C library calls SAM needs and the JDK does not offer:
 * {@code getppid}, {@code kill} with any signal, {@code waitpid} for orphans, Linux's
 * {@code prctl}, Unix datagrams for systemd and {@code execve}.
 *
 * <p>
 * Three layers, as in Elasticsearch's {@code libs/native} and SAM's own {@code corosync}
 * package: {@code Libc} has the raw calls, one method per C function, C-shaped, deciding
 * nothing; {@code JnaLibc} is its one implementation; {@code PosixNativeAccess} and its
 * Linux and macOS subclasses hold the policy (which {@code errno} is an answer, what a
 * failure's message advises, wait statuses, close-on-exec) and are tested in the JVM with
 * a fake {@code Libc}.
 *
 * <p>
 * The supervisor runs before any Spring context exists and must start even where JNA is
 * missing or the platform has no such calls, so
 * {@link io.samboot.nativeaccess.NativeAccess} is chosen once per JVM: a JNA binding
 * where possible, otherwise a fallback on {@link java.lang.ProcessHandle} that logs once
 * what it cannot do and how to fix it. Only the package-private {@code Jna*} classes
 * import {@code com.sun.jna} (a test checks it), so that JNA stays an optional dependency
 * and nothing else in SAM can fail with {@link java.lang.NoClassDefFoundError} when it is
 * absent.
 */
package io.samboot.nativeaccess;
