package io.samboot.corosync;

/**
 * The keys corosync's libsam keeps under {@code resources.process.<pid>.}, in the order
 * they are written: {@code state} last, because adding it is what makes corosync's
 * watchdog service start watching the entry, and by then the others must be there.
 */
enum ProcessKey {

	/**
	 * String: what corosync's watchdog service does when the entry fails; only
	 * {@code quit} or {@code restart}.
	 */
	RECOVERY("recovery"),

	/** Unsigned 64-bit: the health-check time interval in milliseconds. */
	POLL_PERIOD("poll_period"),

	/** Unsigned 64-bit: the monotonic clock in nanoseconds at the last sign of life. */
	LAST_UPDATED("last_updated"),

	/** String: a {@link ProcessState} value. */
	STATE("state");

	private final String suffix;

	ProcessKey(String suffix) {
		this.suffix = suffix;
	}

	String suffix() {
		return this.suffix;
	}

}
