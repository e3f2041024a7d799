package io.samboot.actuate;

import io.samboot.SamClient;
import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code sam} health contributor: {@code UP} while the instance is registered or
 * started, {@code DOWN} when supervision has failed, {@code OUT_OF_SERVICE} while it
 * waits for quorum, {@code UNKNOWN} while the supervisor does not answer within
 * {@code SamSession.STATUS_TIMEOUT} (stopped, frozen or starved); with the instance id,
 * restart count, state and whether a supervisor watches this process as details
 * ({@code sam.enabled=false}: {@code UP}, state {@code registered}, {@code supervised}
 * false).
 */
public class SamHealthIndicator extends AbstractHealthIndicator {

	private final SamClient client;

	public SamHealthIndicator(SamClient client) {
		super("SAM status could not be read");
		this.client = client;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SamStatus status;
		try {
			status = this.client.status();
		}
		catch (SamException ex) {
			if (ex.error() != SamError.TIMEOUT) {
				throw ex;
			}
			// A supervisor that does not answer (stopped, frozen, starved) is no reason
			// to call this application down: it serves, and is supervised again as soon
			// as the supervisor runs.
			builder.unknown().withDetail("supervised", this.client.supervised()).withDetail("error", ex.getMessage());
			return;
		}
		switch (status.state()) {
			case REGISTERED, STARTED -> builder.up();
			case FAILED -> builder.down();
			case WAITING_FOR_QUORUM -> builder.outOfService();
		}
		builder.withDetail("state", status.state().id())
			.withDetail("instanceId", status.instanceId())
			.withDetail("restartCount", status.restartCount())
			.withDetail("supervised", this.client.supervised());
		if (status.quorate() != null) {
			builder.withDetail("quorate", status.quorate());
		}
	}

}
