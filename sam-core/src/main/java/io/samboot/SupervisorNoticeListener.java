package io.samboot;

/**
 * Hears what the supervisor is about to do to this instance, as it tells the instance
 * before it acts: the cluster lost or regained quorum, and the instance is about to be
 * stopped (the warning signal, SIGTERM or SIGKILL follows). Methods are called on the
 * control channel's reader thread and must return quickly: hand anything slow to another
 * thread (Spring's listener publishes application events from its own).
 */
public interface SupervisorNoticeListener {

	/** Hears nothing. */
	SupervisorNoticeListener NO_OP = new SupervisorNoticeListener() {
	};

	/**
	 * The cluster lost quorum; while health checking is started the recovery
	 * ({@code quorum-lost}) follows at once.
	 */
	default void quorumLost() {
	}

	/** The cluster is quorate again. */
	default void quorumRegained() {
	}

	/**
	 * The supervisor is about to stop this instance: a recovery (health check, startup
	 * timeout, lost quorum), a requested restart, {@code markFailed()}, or its own
	 * shutdown.
	 * @param cause why, as it will appear in the history
	 * @param detail the failing check and why, or {@code null}
	 */
	default void stopping(EndCause cause, String detail) {
	}

}
