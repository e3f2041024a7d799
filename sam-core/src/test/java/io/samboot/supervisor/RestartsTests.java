package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;

import io.samboot.EndCause;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.supervisor.Deadlines.Deadline;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether and when another instance follows one that ended. */
class RestartsTests {

	private static final long T0 = 5_000_000_000L;

	private static final Ending CRASHED = new Ending(EndCause.EXITED, Next.RECOVER,
			"ended while health checking was started");

	private static final Ending ASKED = new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, "SIGHUP received");

	private static final Ending SHUT_DOWN = new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGTERM to the supervisor");

	private final CapturedLog log = new CapturedLog();

	private final SamSettings settings = SamSettings.builder()
		.restartDelay(Duration.ofMillis(200))
		.immediateRestarts(0)
		.restartMultiplier(2)
		.maxRestarts(2)
		.restartWindow(Duration.ofSeconds(60))
		.build();

	/** No instance runs while a restart waits, as in the loop after an end. */
	private final Deadlines deadlines = new Deadlines(() -> null, () -> this.settings);

	private final Restarts restarts = new Restarts(this.deadlines, this.log.log);

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, Instant.EPOCH, 0);

	@Test
	void aRestartAskedForFollowsAtOnceWhateverThePolicy() {
		SamSettings quit = this.settings.withRecoveryPolicy(RecoveryPolicy.QUIT);

		assertThat(this.restarts.after(this.instance, ASKED, quit, T0)).isEqualTo(Restarts.Outcome.NOW);
		assertThat(this.log.lines()).isEmpty();
	}

	@Test
	void aRestartAskedForIsNotCountedAsAFailure() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.restarts.after(this.instance, ASKED, this.settings, T0 + i))
				.isEqualTo(Restarts.Outcome.NOW);
		}

		assertThat(this.restarts.restartsInWindow(this.settings, T0 + 5)).isZero();
	}

	@Test
	void aQuitHasNoSuccessor() {
		assertThat(this.restarts.after(this.instance, SHUT_DOWN, this.settings, T0)).isEqualTo(Restarts.Outcome.NONE);
	}

	@Test
	void aRecoveryUnderTheQuitPolicyHasNoSuccessor() {
		SamSettings quit = this.settings.withRecoveryPolicy(RecoveryPolicy.QUIT);

		assertThat(this.restarts.after(this.instance, CRASHED, quit, T0)).isEqualTo(Restarts.Outcome.NONE);
		assertThat(this.restarts.restartsInWindow(quit, T0)).isZero();
	}

	@Test
	void aRecoveryWithoutADelayFollowsAtOnce() {
		assertThat(this.restarts.after(this.instance, CRASHED, SamSettings.defaults(), T0))
			.isEqualTo(Restarts.Outcome.NOW);
		assertThat(this.deadlines.remaining(Deadline.RESTART, T0)).isEqualTo(Deadlines.NONE);
	}

	@Test
	void aRecoveryWithADelayIsHeldInTheDeadlinesAndSaysSo() {
		assertThat(this.restarts.after(this.instance, CRASHED, this.settings, T0)).isEqualTo(Restarts.Outcome.LATER);

		assertThat(this.deadlines.remaining(Deadline.RESTART, T0)).isEqualTo(Duration.ofMillis(200).toNanos());
		assertThat(this.log.lines()).containsExactly("INFO restarting in 200ms (restart 1 within 60s)");
	}

	@Test
	void pastTheMostRestartsSupervisionGivesUpAndSaysWhy() {
		this.restarts.after(this.instance, CRASHED, this.settings, T0);
		this.restarts.after(this.instance, CRASHED, this.settings, T0 + 1);

		assertThat(this.restarts.after(this.instance, CRASHED, this.settings, T0 + 2))
			.isEqualTo(Restarts.Outcome.GIVE_UP);
		assertThat(this.log.lines()).last()
			.isEqualTo("ERROR instance 1 (pid 2001) failed (exited) after 2 restarts within sam.restart.window (60s),"
					+ " the most sam.restart.max-restarts allows: giving up, state failed");
	}

	@Test
	void theStatusReadsTheNextDelayAndTheRestartsInTheWindow() {
		this.restarts.after(this.instance, CRASHED, this.settings, T0);

		assertThat(this.restarts.nextDelay(this.settings)).isEqualTo(Duration.ofMillis(400));
		assertThat(this.restarts.restartsInWindow(this.settings, T0)).isEqualTo(1);
	}

}
