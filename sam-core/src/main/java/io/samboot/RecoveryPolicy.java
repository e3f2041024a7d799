package io.samboot;

import java.util.Locale;

/**
 * What the supervisor does when the active instance fails while health checking is
 * started.
 */
public enum RecoveryPolicy {

	/** The supervisor exits with the status of the failed instance. */
	QUIT,

	/** The supervisor starts a new instance with the next instance id. */
	RESTART;

	/**
	 * The lower-case name used in configuration, the endpoint and CMAP: {@code quit} or
	 * {@code restart}.
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses {@code quit} or {@code restart} in any case.
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static RecoveryPolicy parse(String text) {
		if (text != null) {
			for (RecoveryPolicy policy : values()) {
				if (policy.name().equalsIgnoreCase(text.trim())) {
					return policy;
				}
			}
		}
		throw new IllegalArgumentException("'" + text + "' is not a recovery policy; use 'restart' or 'quit'");
	}

}
