package io.samboot.supervisor;

import java.time.Duration;

import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartBackoffTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private final RestartBackoff backoff = new RestartBackoff();

	private final SamSettings settings = SamSettings.builder()
		.restartDelay(Duration.ofMillis(200))
		.restartMultiplier(2)
		.maxRestarts(3)
		.restartWindow(Duration.ofSeconds(60))
		.build();

	@Test
	void delaysGrowByTheMultiplierThenTheLimitGivesUp() {
		assertThat(this.backoff.afterFailure(this.settings, 0, SECOND).delay()).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.afterFailure(this.settings, 2 * SECOND, SECOND).delay())
			.isEqualTo(Duration.ofMillis(400));
		assertThat(this.backoff.afterFailure(this.settings, 4 * SECOND, SECOND).delay())
			.isEqualTo(Duration.ofMillis(800));
		RestartBackoff.Decision fourth = this.backoff.afterFailure(this.settings, 6 * SECOND, SECOND);
		assertThat(fourth.giveUp()).isTrue();
		assertThat(fourth.restartsInWindow()).isEqualTo(3);
	}

	@Test
	void aStableRunStartsTheDelayOverAndOldRestartsLeaveTheWindow() {
		this.backoff.afterFailure(this.settings, 0, SECOND);
		this.backoff.afterFailure(this.settings, SECOND, SECOND);
		RestartBackoff.Decision afterStableRun = this.backoff.afterFailure(this.settings, 100 * SECOND, 90 * SECOND);
		assertThat(afterStableRun.giveUp()).isFalse();
		assertThat(afterStableRun.delay()).isEqualTo(Duration.ofMillis(200));
		assertThat(afterStableRun.restartsInWindow()).isEqualTo(1);
	}

	@Test
	void theDelayStopsAtTheMaximum() {
		SamSettings capped = this.settings.toBuilder().maxRestarts(0).restartMaxDelay(Duration.ofMillis(500)).build();
		this.backoff.afterFailure(capped, 0, 0);
		this.backoff.afterFailure(capped, 1, 0);
		assertThat(this.backoff.afterFailure(capped, 2, 0).delay()).isEqualTo(Duration.ofMillis(500));
		assertThat(this.backoff.nextDelay(capped)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void noDelayAndNoLimitByDefault() {
		SamSettings defaults = SamSettings.defaults();
		for (int i = 0; i < 1000; i++) {
			RestartBackoff.Decision decision = this.backoff.afterFailure(defaults, i, 0);
			assertThat(decision.giveUp()).isFalse();
			assertThat(decision.delay()).isZero();
		}
	}

}
