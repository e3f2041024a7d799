package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.samboot.HealthCheckMode;
import io.samboot.SamSettings;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A missed deadline inside a stop-the-world pause, forgiven up to the pause grace. */
class PauseGraceTests {

	private static final long T0 = 3_000_000_000L;

	private final CapturedLog log = new CapturedLog();

	private final PauseGrace grace = new PauseGrace(this.log.log);

	private final List<Long> looks = new ArrayList<>();

	private Optional<Duration> pause = Optional.of(Duration.ofMillis(700));

	private SamSettings settings = SamSettings.builder()
		.timeInterval(Duration.ofSeconds(1))
		.healthCheckMode(HealthCheckMode.APPLICATION)
		.pauseGrace(Duration.ofSeconds(5))
		.build();

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, Instant.EPOCH, 0);

	PauseGraceTests() {
		this.grace.probe(pid -> {
			this.looks.add(pid);
			return this.pause;
		});
	}

	@Test
	void withoutAProbeNoPauseIsSeen() {
		PauseGrace none = new PauseGrace(this.log.log);

		assertThat(none.extend(this.instance, this.settings, T0)).isFalse();
	}

	@Test
	void aLookAsksTheProbeAboutTheInstancesJvm() {
		this.grace.look(this.instance);

		assertThat(this.looks).containsExactly(2001L);
	}

	@Test
	void aPauseExtendsTheDeadlineByARequestPeriod() {
		assertThat(this.grace.extend(this.instance, this.settings, T0)).isTrue();

		assertThat(this.instance.pauseGraceUntilNanos).isEqualTo(T0 + Duration.ofMillis(250).toNanos());
		assertThat(this.log.lines())
			.containsExactly("INFO instance 1 (pid 2001) missed its health-check deadline inside"
					+ " a stop-the-world pause (700ms so far): extending the deadline while it lasts, up to"
					+ " sam.health-check.pause-grace (5s)");
	}

	@Test
	void anExtensionIsNeverShorterThanTenMilliseconds() {
		this.settings = this.settings.withTimeInterval(Duration.ofMillis(4));

		this.grace.extend(this.instance, this.settings, T0);

		assertThat(this.instance.pauseGraceUntilNanos).isEqualTo(T0 + Duration.ofMillis(10).toNanos());
	}

	@Test
	void withoutAPauseTheDeadlineStands() {
		this.pause = Optional.empty();

		assertThat(this.grace.extend(this.instance, this.settings, T0)).isFalse();
		assertThat(this.instance.pauseGraceUntilNanos).isZero();
	}

	@Test
	void aZeroPauseGraceForgivesNothing() {
		this.settings = this.settings.toBuilder().pauseGrace(Duration.ZERO).build();

		assertThat(this.grace.extend(this.instance, this.settings, T0)).isFalse();
		assertThat(this.looks).isEmpty();
	}

	@Test
	void aFailedCheckIsNotForgivenEvenInAPause() {
		this.instance.lastFailure = new HealthCheckResult(1, Outcome.DOWN, "db", null, 1_000);

		assertThat(this.grace.extend(this.instance, this.settings, T0)).isFalse();
	}

	@Test
	void aTimedOutCheckIsForgivenInAPause() {
		this.instance.lastFailure = new HealthCheckResult(1, Outcome.TIMEOUT, null, null, 1_000);

		assertThat(this.grace.extend(this.instance, this.settings, T0)).isTrue();
	}

	@Test
	void thePauseGraceBoundsAllExtensionsTogether() {
		this.grace.extend(this.instance, this.settings, T0);
		assertThat(this.grace.extend(this.instance, this.settings, T0 + Duration.ofSeconds(5).toNanos() - 1)).isTrue();

		assertThat(this.grace.extend(this.instance, this.settings, T0 + Duration.ofSeconds(5).toNanos())).isFalse();
		assertThat(this.log.lines()).last()
			.isEqualTo("WARN instance 1 (pid 2001) is still paused after sam.health-check.pause-grace (5s)");
	}

	@Test
	void anAnswerEndsTheExtensionAndSaysHowLongItLasted() {
		this.grace.extend(this.instance, this.settings, T0);

		this.grace.answered(this.instance, T0 + Duration.ofMillis(1_200).toNanos());

		assertThat(this.instance.pauseGraceSinceNanos).isZero();
		assertThat(this.instance.pauseGraceUntilNanos).isZero();
		assertThat(this.log.lines()).last()
			.isEqualTo("INFO instance 1 (pid 2001) answered again after a pause; its deadline was extended for 1200ms");
	}

	@Test
	void anAnswerWithoutAnExtensionSaysNothing() {
		this.grace.answered(this.instance, T0);

		assertThat(this.log.lines()).isEmpty();
	}

}
