package io.samboot.supervisor;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamSettings;
import io.samboot.SamState;

/**
 * Hears what the supervisor loop does, for the integrations that publish it (systemd's
 * notify socket, corosync's CMAP) without being threaded through the loop. Called on the
 * loop thread: a listener must return quickly and never throw (a throwing listener is
 * logged and skipped).
 */
public interface SupervisorListener {

	/** Hears nothing. */
	SupervisorListener NO_OP = new SupervisorListener() {
	};

	/**
	 * The supervision state changed (registered, started, waiting-for-quorum, failed),
	 * with the instance it concerns.
	 */
	default void stateChanged(int instanceId, SamState state) {
	}

	/** A new instance process exists. */
	default void instanceLaunched(int instanceId, long pid) {
	}

	/** The instance said hello; these are its settings. */
	default void instanceRegistered(int instanceId, SamSettings settings) {
	}

	/** Health checking started: the time interval is enforced from now on. */
	default void healthCheckingStarted(int instanceId) {
	}

	/**
	 * Health checking stopped (stop() or close()): the instance may exit without a
	 * restart.
	 */
	default void healthCheckingStopped(int instanceId) {
	}

	/** A sign of health: a heartbeat or a passed event-driven check. */
	default void instanceHealthy(int instanceId) {
	}

	/**
	 * The supervisor decided to end the instance, before any signal is sent: a recovery
	 * (health check, startup timeout, quorum), a requested restart, {@code markFailed()},
	 * or a shutdown of the supervisor.
	 */
	default void endingDecided(int instanceId, EndCause cause, String detail) {
	}

	/**
	 * The cluster became quorate or lost quorum, before the supervisor acts on it.
	 * @param instanceId the registered active instance, 0 for none
	 */
	default void quorumChanged(int instanceId, boolean quorate) {
	}

	/** An instance ended and was recorded. */
	default void instanceEnded(InstanceRecord record) {
	}

	/**
	 * The supervisor is about to exit with this status; {@code failed} when supervision
	 * gave up.
	 */
	default void supervisorExiting(int status, boolean failed) {
	}

}
