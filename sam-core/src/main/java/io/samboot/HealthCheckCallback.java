package io.samboot;

/**
 * An event-driven health check ({@code sam_hc_callback_register}): the supervisor asks,
 * the instance runs this callback and answers. Throwing counts as unhealthy, with the
 * exception as the reason; running longer than {@code sam.health-check.timeout} counts as
 * a timeout.
 */
@FunctionalInterface
public interface HealthCheckCallback {

	CheckResult check() throws Exception;

}
