package io.samboot.corosync;

/** The values of the {@code state} key, exactly as corosync's libsam writes them. */
enum ProcessState {

	/**
	 * Registered, health checking not started (corosync's watchdog does not check the
	 * entry).
	 */
	STOPPED("stopped"),

	/** Health checking started. */
	RUNNING("running"),

	/**
	 * Supervision gave up; corosync's watchdog service flags the entry at its next check.
	 */
	FAILED("failed"),

	/** {@code start()} waits for the cluster to become quorate. */
	WAITING_FOR_QUORUM("waiting for quorum");

	private final String value;

	ProcessState(String value) {
		this.value = value;
	}

	String value() {
		return this.value;
	}

}
