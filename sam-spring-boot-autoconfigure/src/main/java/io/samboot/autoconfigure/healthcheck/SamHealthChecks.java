package io.samboot.autoconfigure.healthcheck;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;

/**
 * The application's event-driven health check: on every request from the supervisor it
 * runs, in order, the application's {@link LivenessState} ({@code BROKEN} fails), every
 * {@link io.samboot.SamHealthCheck @SamHealthCheck} method, and every
 * {@link SamHealthCheckGroup} (the Actuator health contributors named in
 * {@code sam.health-check.include}). The first failure is the answer, naming the check
 * and why.
 */
public class SamHealthChecks implements HealthCheckCallback {

	private final ObjectProvider<ApplicationAvailability> availability;

	private final SamHealthCheckMethods methods;

	private final ObjectProvider<SamHealthCheckGroup> groups;

	public SamHealthChecks(ObjectProvider<ApplicationAvailability> availability, SamHealthCheckMethods methods,
			ObjectProvider<SamHealthCheckGroup> groups) {
		this.availability = availability;
		this.methods = methods;
		this.groups = groups;
	}

	@Override
	public CheckResult check() {
		ApplicationAvailability applicationAvailability = this.availability.getIfAvailable();
		if (applicationAvailability != null) {
			// Only a published BROKEN counts: before the first event the state is
			// unknown, not broken.
			LivenessState liveness = applicationAvailability.getState(LivenessState.class);
			if (liveness == LivenessState.BROKEN) {
				return CheckResult.down("livenessState", liveness.name());
			}
		}
		CheckResult result = this.methods.check();
		if (!result.healthy()) {
			return result;
		}
		for (SamHealthCheckGroup group : this.groups.orderedStream().toList()) {
			result = group.check();
			if (result != null && !result.healthy()) {
				return result;
			}
		}
		return CheckResult.up();
	}

}
