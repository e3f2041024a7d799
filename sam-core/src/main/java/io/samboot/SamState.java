package io.samboot;

import java.util.Locale;

/**
 * The supervision state as the supervisor sees it (docs/CONTRACT.md, endpoint field
 * {@code state}).
 */
public enum SamState {

	/** The instance is registered but health checking is not started (or was stopped). */
	REGISTERED,

	/** Health checking is started: the supervisor enforces the time interval. */
	STARTED,

	/**
	 * Supervision has given up: {@code markFailed()}, a quit after a failure, or too many
	 * restarts.
	 */
	FAILED,

	/** {@code start()} waits until corosync reports the cluster quorate. */
	WAITING_FOR_QUORUM;

	/**
	 * The name used in the endpoint, metrics and logs: {@code registered},
	 * {@code waiting-for-quorum}, ...
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** The state with the given {@link #id()}. */
	public static SamState ofId(String id) {
		for (SamState state : values()) {
			if (state.id().equals(id)) {
				return state;
			}
		}
		throw new IllegalArgumentException("unknown SAM state '" + id + "'");
	}

}
