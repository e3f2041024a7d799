package io.samboot;

import java.util.Locale;

/** Why an instance ended, as recorded in the supervisor's history. */
public enum EndCause {

	/**
	 * The instance exited or died on its own (including a crash or a SIGKILL from
	 * outside).
	 */
	EXITED,

	/** It stopped answering: no health check or heartbeat within the time interval. */
	HEALTH_CHECK_TIMEOUT,

	/**
	 * It answered, but a health check said it is unhealthy, for a whole time interval.
	 */
	HEALTH_CHECK_FAILED,

	/** corosync reported that the cluster lost quorum. */
	QUORUM_LOST,

	/** It did not become ready within {@code sam.startup-timeout}. */
	STARTUP_TIMEOUT,

	/**
	 * A restart was asked for: SIGHUP to the supervisor or the endpoint's restart action.
	 */
	RESTART_REQUESTED,

	/** The application called {@code markFailed()}. */
	MARKED_FAILED,

	/** The supervisor was asked to stop (SIGTERM or SIGINT) and stopped the instance. */
	SHUTDOWN;

	/** The name used in the endpoint and logs, e.g. {@code health-check-timeout}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	public static EndCause ofId(String id) {
		for (EndCause cause : values()) {
			if (cause.id().equals(id)) {
				return cause;
			}
		}
		throw new IllegalArgumentException("unknown end cause '" + id + "'");
	}

}
