package io.samboot;

import java.time.Duration;

/**
 * Hears about every event-driven health check the instance runs, for metrics. Methods are
 * called on the health-check thread and must return quickly.
 */
public interface HealthCheckListener {

	/** Listens to nothing. */
	HealthCheckListener NO_OP = new HealthCheckListener() {
	};

	/** How a check ended, as the {@code outcome} tag of {@code sam.healthcheck}. */
	enum Outcome {

		UP, DOWN, TIMEOUT, ERROR

	}

	default void onCheck(Outcome outcome, Duration duration, CheckResult result) {
	}

}
