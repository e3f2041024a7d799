package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.SamSettings;
import io.samboot.supervisor.Deadlines.Deadline;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import io.samboot.supervisor.SupervisedInstance.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each deadline of the supervisor loop, and that "what is due" and "when is the next"
 * agree.
 */
class DeadlinesTests {

	private static final long T0 = 5_000_000_000L;

	private static final Duration INTERVAL = Duration.ofSeconds(4);

	private SupervisedInstance instance;

	private SamSettings settings = SamSettings.builder()
		.timeInterval(INTERVAL)
		.healthCheckMode(HealthCheckMode.APPLICATION)
		.build();

	private final Deadlines deadlines = new Deadlines(() -> this.instance, () -> this.settings);

	@Test
	void withNothingToWaitForTheLoopWaitsTheIdleTime() {
		assertThat(this.deadlines.next(T0)).isEqualTo(T0 + Deadlines.IDLE_NANOS);
		assertThat(this.deadlines.isAnyDue(T0)).isFalse();
		for (Deadline deadline : Deadline.values()) {
			assertThat(this.deadlines.remaining(deadline, T0)).as("%s", deadline).isEqualTo(Deadlines.NONE);
		}
	}

	@Test
	void aHeldRestartFallsDueAtItsTime() {
		this.deadlines.restartAt(T0 + millis(500));

		assertThat(this.deadlines.next(T0)).isEqualTo(T0 + millis(500));
		assertThat(this.deadlines.isDue(Deadline.RESTART, T0 + millis(500) - 1)).isFalse();
		assertThat(this.deadlines.isDue(Deadline.RESTART, T0 + millis(500))).isTrue();
	}

	@Test
	void aRestartThatHappenedIsNoLongerHeld() {
		this.deadlines.restartAt(T0);

		this.deadlines.restarted();

		assertThat(this.deadlines.remaining(Deadline.RESTART, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void aHeldRestartWaitsWhileAnInstanceRuns() {
		this.deadlines.restartAt(T0);

		launched();

		assertThat(this.deadlines.remaining(Deadline.RESTART, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void theStartupTimeoutCountsFromTheLaunch() {
		this.settings = this.settings.toBuilder().startupTimeout(Duration.ofSeconds(30)).build();
		launched();

		assertThat(this.deadlines.next(T0 + millis(10))).isEqualTo(T0 + millis(30_000));
		assertThat(this.deadlines.isDue(Deadline.STARTUP, T0 + millis(30_000) - 1)).isFalse();
		assertThat(this.deadlines.isDue(Deadline.STARTUP, T0 + millis(30_000))).isTrue();
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = "NOT_STARTED", mode = EnumSource.Mode.EXCLUDE)
	void theStartupTimeoutEndsWhenHealthCheckingFirstStarts(Phase phase) {
		this.settings = this.settings.toBuilder().startupTimeout(Duration.ofSeconds(30)).build();
		launched().phase = phase;

		assertThat(this.deadlines.remaining(Deadline.STARTUP, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void aZeroStartupTimeoutIsNoDeadline() {
		launched();

		assertThat(this.deadlines.remaining(Deadline.STARTUP, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void theHealthCheckFallsDueOneIntervalAfterTheLastSignOfLife() {
		started().lastAliveNanos = T0 + millis(700);

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK, T0 + millis(800))).isEqualTo(millis(3_900));
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, T0 + millis(4_700) - 1)).isFalse();
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, T0 + millis(4_700))).isTrue();
	}

	@Test
	void aForgivenPauseMovesTheHealthCheckLater() {
		started().pauseGraceUntilNanos = T0 + millis(6_000);

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK, T0)).isEqualTo(millis(6_000));
	}

	@Test
	void aForgivenPauseNeverMovesTheHealthCheckEarlier() {
		started().pauseGraceUntilNanos = T0 + millis(1_000);

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK, T0)).isEqualTo(INTERVAL.toNanos());
	}

	@Test
	void anEventDrivenInstanceIsAskedBeforeItsDeadlineAndTheEarlierIsNext() {
		SupervisedInstance started = started();
		started.eventDriven = true;
		started.nextRequestNanos = T0 + millis(1_000);

		assertThat(this.deadlines.next(T0)).isEqualTo(T0 + millis(1_000));
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK_REQUEST, T0 + millis(1_000))).isTrue();
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, T0 + millis(1_000))).isFalse();
	}

	@Test
	void anApplicationDrivenInstanceIsNeverAsked() {
		started().nextRequestNanos = T0;

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK_REQUEST, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void aZeroIntervalMeansNoTimeLimit() {
		this.settings = this.settings.withTimeInterval(Duration.ZERO);
		started().eventDriven = true;

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK, T0)).isEqualTo(Deadlines.NONE);
		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK_REQUEST, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void withoutHealthCheckingThereIsNoTimeLimit() {
		launched().phase = Phase.STOPPED;

		assertThat(this.deadlines.next(T0 + millis(60_000))).isEqualTo(T0 + millis(60_000) + Deadlines.IDLE_NANOS);
	}

	@Test
	void anInstanceWithADebuggersAgentHasNoTimeIntervalButIsStillAsked() {
		SupervisedInstance started = started();
		started.eventDriven = true;
		started.nextRequestNanos = T0 + millis(1_000);
		started.limitsWaived = true;

		assertThat(this.deadlines.remaining(Deadline.HEALTH_CHECK, T0 + millis(60_000))).isEqualTo(Deadlines.NONE);
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK_REQUEST, T0 + millis(1_000))).isTrue();
	}

	@Test
	void anInstanceWithADebuggersAgentHasNoStartupTimeout() {
		this.settings = this.settings.toBuilder().startupTimeout(Duration.ofSeconds(30)).build();
		launched().limitsWaived = true;

		assertThat(this.deadlines.remaining(Deadline.STARTUP, T0 + millis(60_000))).isEqualTo(Deadlines.NONE);
	}

	@Test
	void passThroughEnforcesNoLimit() {
		this.settings = this.settings.toBuilder().enabled(false).startupTimeout(Duration.ofSeconds(1)).build();
		started();

		assertThat(this.deadlines.next(T0 + millis(60_000))).isEqualTo(T0 + millis(60_000) + Deadlines.IDLE_NANOS);
	}

	@Test
	void onceTheInstanceIsGoingOnlyItsSigkillApplies() {
		SupervisedInstance going = started();
		going.ending = new Ending(EndCause.HEALTH_CHECK_TIMEOUT, Next.RECOVER, "no heartbeat");
		going.killAtNanos = T0 + millis(9_000);

		assertThat(this.deadlines.next(T0 + millis(5_000))).isEqualTo(T0 + millis(9_000));
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, T0 + millis(5_000))).isFalse();
		assertThat(this.deadlines.isDue(Deadline.KILL, T0 + millis(9_000))).isTrue();
	}

	@Test
	void noSigkillIsDueOnceItWasSent() {
		started().ending = new Ending(EndCause.MARKED_FAILED, Next.QUIT, "markFailed() called");

		assertThat(this.deadlines.remaining(Deadline.KILL, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void aDeadlineIsAheadOnlyWhileItAppliesAndHasNotPassed() {
		started();

		assertThat(this.deadlines.isAhead(Deadline.HEALTH_CHECK, T0)).isTrue();
		assertThat(this.deadlines.isAhead(Deadline.HEALTH_CHECK, T0 + INTERVAL.toNanos())).isFalse();
		assertThat(this.deadlines.isAhead(Deadline.STARTUP, T0)).isFalse();
	}

	@Test
	void deadlinesCompareAcrossTheOverflowOfTheTicker() {
		long beforeOverflow = Long.MAX_VALUE - millis(1_000);
		started().lastAliveNanos = beforeOverflow;

		long deadline = beforeOverflow + INTERVAL.toNanos();
		assertThat(deadline).isNegative();
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, Long.MAX_VALUE)).isFalse();
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, deadline - 1)).isFalse();
		assertThat(this.deadlines.isDue(Deadline.HEALTH_CHECK, deadline)).isTrue();
		assertThat(this.deadlines.next(deadline - millis(10))).isEqualTo(deadline);
	}

	@Test
	void whileAnInstanceIsHeldToItsIntervalTheLoopWakesEveryQuarterOfItWithNothingDue() {
		started().lastAliveNanos = T0;

		assertThat(this.deadlines.next(T0)).isEqualTo(T0 + INTERVAL.toNanos() / 4);
		assertThat(this.deadlines.isAnyDue(T0 + INTERVAL.toNanos() / 4)).isFalse();
		assertThat(this.deadlines.next(T0 + millis(3_500))).isEqualTo(T0 + INTERVAL.toNanos());
	}

	@Test
	void aLateWakeMeansNotScheduledAboveAnEighthOfTheIntervalWithin25MillisecondsAndASecond() {
		assertThat(Deadlines.notScheduledNanos(this.settings.withTimeInterval(Duration.ofMillis(800))))
			.isEqualTo(millis(100));
		assertThat(Deadlines.notScheduledNanos(this.settings.withTimeInterval(Duration.ofMillis(100))))
			.isEqualTo(millis(25));
		assertThat(Deadlines.notScheduledNanos(this.settings.withTimeInterval(Duration.ofMinutes(1))))
			.isEqualTo(millis(1_000));
		assertThat(Deadlines.notScheduledNanos(this.settings.withTimeInterval(Duration.ZERO))).isEqualTo(millis(1_000));
	}

	@Test
	void whatIsDueAndWhenTheNextFallsAgreeWhateverTheState() {
		Random random = new Random(42);
		for (int i = 0; i < 20_000; i++) {
			randomState(random);
			long now = T0 + random.nextInt(20_000) * 1_000_000L - 5_000_000_000L;
			boolean anyDue = false;
			for (Deadline deadline : Deadline.values()) {
				boolean due = this.deadlines.isDue(deadline, now);
				anyDue |= due;
				if (due) {
					assertThat(this.deadlines.next(now) - now).as("%s is due, so the loop must not wait", deadline)
						.isLessThanOrEqualTo(0);
				}
			}
			assertThat(this.deadlines.isAnyDue(now)).isEqualTo(anyDue);
			assertThat(this.deadlines.next(now) - now <= 0).as("the loop is woken only for a due deadline")
				.isEqualTo(anyDue);
		}
	}

	private void randomState(Random random) {
		SamSettings.Builder builder = SamSettings.builder()
			.timeInterval(random.nextBoolean() ? INTERVAL : Duration.ZERO)
			.startupTimeout(random.nextBoolean() ? Duration.ofSeconds(3) : Duration.ZERO)
			.enabled(random.nextInt(5) != 0);
		this.settings = builder.build();
		this.deadlines.restarted();
		if (random.nextInt(4) == 0) {
			this.instance = null;
			if (random.nextBoolean()) {
				this.deadlines.restartAt(T0 + random.nextInt(4_000) * 1_000_000L);
			}
			return;
		}
		this.instance = new SupervisedInstance(1, 2001, Instant.EPOCH, T0 - random.nextInt(4_000) * 1_000_000L);
		this.instance.phase = Phase.values()[random.nextInt(Phase.values().length)];
		this.instance.eventDriven = random.nextBoolean();
		this.instance.lastAliveNanos = T0 - random.nextInt(6_000) * 1_000_000L;
		this.instance.nextRequestNanos = T0 + random.nextInt(2_000) * 1_000_000L - 1_000_000_000L;
		this.instance.pauseGraceUntilNanos = random.nextBoolean() ? 0 : T0 + random.nextInt(3_000) * 1_000_000L;
		this.instance.limitsWaived = random.nextInt(4) == 0;
		if (random.nextInt(3) == 0) {
			this.instance.ending = new Ending(EndCause.SHUTDOWN, Next.QUIT, "test");
			this.instance.killAtNanos = random.nextBoolean() ? 0 : T0 + random.nextInt(3_000) * 1_000_000L;
		}
	}

	private SupervisedInstance launched() {
		this.instance = new SupervisedInstance(1, 2001, Instant.EPOCH, T0);
		return this.instance;
	}

	private SupervisedInstance started() {
		SupervisedInstance started = launched();
		started.register(T0);
		started.phase = Phase.STARTED;
		return started;
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
