package io.samboot;

import java.util.Optional;

/**
 * Every JVM switch SAM reads: system properties given on the {@code java} command line
 * ({@code -Dname=value}), all in one place.
 *
 * <p>
 * They are not {@code application.yml} properties. The supervisor reads them before
 * Spring Boot reads any property file (and the lean supervisor JVM never runs Spring at
 * all), so a switch written in {@code application.yml} or a profile has no effect; Spring
 * Boot's listener warns when it finds one there. The {@code sam.*} properties of
 * {@code application.yml} are described by {@code SamProperties} in
 * sam-spring-boot-autoconfigure. {@code sam.enabled} is both: SAM reads
 * {@code -Dsam.enabled} (and {@code SAM_ENABLED}) as a switch before Spring runs, and the
 * property wherever Spring Boot reads properties once it does.
 *
 * <p>
 * The names are the ones SAM has always read; a later version may give them names of
 * their own and will keep these working.
 */
public enum JvmSwitch {

	/**
	 * {@code false} (or {@code off}, {@code no}, {@code 0}): supervise from the JVM the
	 * user started, not a lean one.
	 */
	SUPERVISOR_REEXEC("sam.supervisor.reexec", "true"),

	/**
	 * The lean supervisor JVM's options, separated by spaces, instead of SAM's defaults.
	 */
	SUPERVISOR_JVM_OPTIONS("sam.supervisor.jvm-options", null),

	/**
	 * {@code false}: the lean supervisor JVM neither uses nor makes a class-data archive
	 * in the user's cache directory.
	 */
	SUPERVISOR_ARCHIVE("sam.supervisor.archive", "true"),

	/**
	 * {@code fallback}: do not call the C library through JNA (SIGTERM and SIGKILL only,
	 * no parent-death signal).
	 */
	NATIVE("sam.native", "jna"),

	/**
	 * Milliseconds a connecting instance has to complete its hello on the control
	 * channel.
	 */
	CONTROL_HANDSHAKE_TIMEOUT_MS("sam.control.handshake-timeout-ms", "10000"),

	/**
	 * {@code true} (or {@code on}, {@code yes}, {@code 1}): enforce the health-check
	 * limits ({@code time-interval}, {@code startup-timeout}) on an instance whose JVM
	 * runs a JDWP agent too; by default they are not, so that a breakpoint does not get
	 * the instance killed.
	 */
	DEBUG_ENFORCE_LIMITS("sam.debug.enforce-limits", "false"),

	/** The file name or path of corosync's quorum client library. */
	COROSYNC_QUORUM_LIBRARY("sam.corosync.quorum-library", "libquorum.so.5"),

	/** The file name or path of corosync's CMAP client library. */
	COROSYNC_CMAP_LIBRARY("sam.corosync.cmap-library", "libcmap.so.4"),

	/**
	 * {@code false}: an executable jar built with SAM's layout lets Spring Boot's
	 * listener start the supervisor instead of its launcher. The launcher reads it itself
	 * (it runs before sam-core is on the class path) under this same name.
	 */
	LAUNCHER_EARLY("sam.launcher.early", "true");

	private final String propertyName;

	private final String defaultValue;

	JvmSwitch(String propertyName, String defaultValue) {
		this.propertyName = propertyName;
		this.defaultValue = defaultValue;
	}

	/** The system property, as written after {@code -D}. */
	public String propertyName() {
		return this.propertyName;
	}

	/**
	 * What applies when the switch is not given, as text; {@code null} when SAM computes
	 * it.
	 */
	public String defaultValue() {
		return this.defaultValue;
	}

	/** The value given on the command line, if any. */
	public Optional<String> value() {
		return Optional.ofNullable(System.getProperty(this.propertyName));
	}

	/** The value given on the command line, or {@link #defaultValue()}. */
	public String valueOrDefault() {
		return System.getProperty(this.propertyName, this.defaultValue);
	}

	/**
	 * The value given on the command line as a number, or the default's, as
	 * {@link Long#getLong} reads a number (text that is not one counts as not given).
	 */
	public long numberOrDefault() {
		return Long.getLong(this.propertyName, Long.parseLong(this.defaultValue));
	}

	/** The switch named {@code propertyName}, if SAM has one of that name. */
	public static Optional<JvmSwitch> named(String propertyName) {
		for (JvmSwitch candidate : values()) {
			if (candidate.propertyName.equals(propertyName)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
