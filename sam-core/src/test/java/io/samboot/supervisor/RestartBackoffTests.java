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
		.immediateRestarts(0)
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
	void byDefaultAFirstFailureRestartsAtOnceAndFailuresInARowBackOffFromOneSecondToAMinute() {
		SamSettings defaults = SamSettings.defaults();
		long[] expectedSeconds = { 0, 1, 2, 4, 8, 16, 32, 60, 60 };
		for (int i = 0; i < expectedSeconds.length; i++) {
			RestartBackoff.Decision decision = this.backoff.afterFailure(defaults, i * SECOND, SECOND);
			assertThat(decision.giveUp()).isFalse();
			assertThat(decision.delay()).as("failure %d in a row", i + 1)
				.isEqualTo(Duration.ofSeconds(expectedSeconds[i]));
		}
		// A run as long as the window starts over: restarted at once again.
		assertThat(this.backoff.afterFailure(defaults, 1000 * SECOND, 60 * SECOND).delay()).isZero();
	}

	@Test
	void noDelayAndNoLimitWithSamsOwnBehaviour() {
		SamSettings exact = SamSettings.builder().restartDelay(Duration.ZERO).build();
		for (int i = 0; i < 1000; i++) {
			RestartBackoff.Decision decision = this.backoff.afterFailure(exact, i, 0);
			assertThat(decision.giveUp()).isFalse();
			assertThat(decision.delay()).isZero();
		}
	}

	@Test
	void moreImmediateRestartsDelayTheBackOff() {
		SamSettings two = SamSettings.builder().immediateRestarts(2).build();
		assertThat(this.backoff.afterFailure(two, 0, 0).delay()).isZero();
		assertThat(this.backoff.afterFailure(two, 1, 0).delay()).isZero();
		assertThat(this.backoff.afterFailure(two, 2, 0).delay()).isEqualTo(Duration.ofSeconds(1));
	}

}
