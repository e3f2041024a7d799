/**
 * SAM on a corosync 3 cluster: the quorum policy and the CMAP entry of corosync's libsam,
 * through corosync's own client libraries ({@code libquorum.so.5}, {@code libcmap.so.4})
 * called with JNA.
 *
 * <ul>
 * <li>{@link io.samboot.corosync.CorosyncClusterServices} is what the supervisor finds
 * through {@link java.util.ServiceLoader}:
 * {@link io.samboot.corosync.CorosyncQuorumSource} tracks the quorum,
 * {@link io.samboot.corosync.CmapPublisher} keeps
 * {@code resources.process.<supervisor pid>.*}.</li>
 * <li>{@link io.samboot.corosync.CorosyncAvailability} is checked by the instance at
 * start-up and says what to install or start.</li>
 * </ul>
 *
 * <p>
 * As in {@code io.samboot.nativeaccess}, only the package-private {@code Jna*} classes
 * import {@code com.sun.jna}, behind the small {@code QuorumLibrary} and
 * {@code CmapLibrary} interfaces, and JNA is looked up by name first, so that nothing
 * else fails with {@link java.lang.NoClassDefFoundError} without it. corosync's dispatch
 * calls need about 1 MiB of C stack: every corosync call runs on a thread created with an
 * 8 MiB stack ({@code NativeThreads}). The {@code recovery} key is written from
 * {@link io.samboot.RecoveryPolicy} only, so {@code reboot} and {@code shutdown}, which
 * would make corosync's watchdog service reset or power off the machine, cannot be
 * written.
 */
package io.samboot.corosync;
