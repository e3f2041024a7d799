package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import io.samboot.SamSettings;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.env.Environment;

/**
 * The warning for a {@code sam.time-interval} shorter than a JVM answers reliably
 * ({@link SamSettings#RELIABLE_TIME_INTERVAL}), with where it was set. A warning, not a
 * refusal: corosync's SAM takes any number of milliseconds, and so does SAM when asked
 * to; but {@code time-interval: 10} meant 10ms before a bare number became seconds, and a
 * value this short gets healthy instances killed in a loop.
 */
final class ShortTimeIntervalWarning {

	private ShortTimeIntervalWarning() {
	}

	static Optional<String> message(SamSettings settings, Environment environment) {
		Duration interval = settings.timeInterval();
		if (interval.isZero() || interval.compareTo(SamSettings.RELIABLE_TIME_INTERVAL) >= 0) {
			return Optional.empty();
		}
		ConfigurationProperty property = InvalidSamPropertyException.find("sam.time-interval", environment);
		String where = (property != null && property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : "";
		return Optional.of("sam.time-interval is " + SamSettings.format(interval) + where + ", shorter than "
				+ SamSettings.format(SamSettings.RELIABLE_TIME_INTERVAL)
				+ ": a garbage collection, a safepoint or a busy machine can delay a health check that long, and the"
				+ " instance is then killed although it is healthy. Use a few seconds (a number without a unit is"
				+ " seconds: time-interval: 10 is 10s)");
	}

}
