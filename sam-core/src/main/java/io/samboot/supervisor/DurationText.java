package io.samboot.supervisor;

import java.time.Duration;

/**
 * A duration as the supervisor's log lines write it: {@code 4s}, {@code 250ms},
 * {@code 0s (none)}.
 */
final class DurationText {

	private DurationText() {
	}

	static String of(Duration duration) {
		if (duration.isZero()) {
			return "0s (none)";
		}
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
