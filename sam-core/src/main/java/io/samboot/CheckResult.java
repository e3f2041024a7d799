package io.samboot;

/**
 * The answer of an event-driven health check: healthy, or unhealthy with the name of the
 * check that failed and why. The supervisor logs the name and reason and records them in
 * the history.
 */
public record CheckResult(boolean healthy, String check, String reason) {

	private static final CheckResult UP = new CheckResult(true, null, null);

	public static CheckResult up() {
		return UP;
	}

	public static CheckResult down(String check, String reason) {
		return new CheckResult(false, check, reason);
	}
}
