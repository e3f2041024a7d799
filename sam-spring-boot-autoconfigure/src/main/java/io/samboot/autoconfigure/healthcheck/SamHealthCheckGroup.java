package io.samboot.autoconfigure.healthcheck;

import io.samboot.CheckResult;

/**
 * Further checks that {@link SamHealthChecks} runs on every event-driven health check,
 * after the liveness state and the {@link io.samboot.SamHealthCheck @SamHealthCheck}
 * methods. Beans of this type run in their
 * {@link org.springframework.core.annotation.Order order}; the first that reports
 * unhealthy decides the answer.
 */
@FunctionalInterface
public interface SamHealthCheckGroup {

	/**
	 * Runs the checks of this group.
	 * @return {@link CheckResult#up()}, or the name of the check that failed and why
	 */
	CheckResult check();

}
