package io.samboot;

import java.util.Locale;

/** Who drives health checking once it is started. */
public enum HealthCheckMode {

	/**
	 * The supervisor asks, the instance runs its checks and answers (SAM's event-driven
	 * checking).
	 */
	EVENT,

	/** The application calls {@code hcSend()} at least once per time interval. */
	APPLICATION;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static HealthCheckMode parse(String text) {
		if (text != null) {
			for (HealthCheckMode mode : values()) {
				if (mode.name().equalsIgnoreCase(text.trim())) {
					return mode;
				}
			}
		}
		throw new IllegalArgumentException("'" + text + "' is not a health-check mode; use 'event' or 'application'");
	}

}
