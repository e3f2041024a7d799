package io.samboot.actuate;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class SamHealthIndicatorTests {

	private final FakeSamClient client = new FakeSamClient();

	private final SamHealthIndicator indicator = new SamHealthIndicator(this.client);

	@Test
	void startedIsUpWithDetails() {
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("instanceId", 3)
			.containsEntry("restartCount", 2)
			.containsEntry("state", "started")
			.containsEntry("supervised", true);
	}

	@Test
	void registeredIsUp() {
		this.client.state = SamState.REGISTERED;
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void unsupervisedIsUpAndSaysSo() {
		this.client.state = SamState.REGISTERED;
		this.client.supervised = false;
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "registered").containsEntry("supervised", false);
	}

	@Test
	void failedIsDown() {
		this.client.state = SamState.FAILED;
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void waitingForQuorumIsOutOfService() {
		this.client.state = SamState.WAITING_FOR_QUORUM;
		this.client.quorate = false;
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("quorate", false);
	}

	@Test
	void aSupervisorThatDoesNotAnswerIsUnknownNotDown() {
		this.client.statusFailure = new SamException(SamError.TIMEOUT,
				"the supervisor did not answer StatusRequest within 2s (it may be stopped, frozen or starved)");
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("supervised", true)
			.hasEntrySatisfying("error", (error) -> assertThat(error).asString()
				.contains(
						"the supervisor did not answer StatusRequest within 2s (it may be stopped, frozen or starved)"));
	}

}
