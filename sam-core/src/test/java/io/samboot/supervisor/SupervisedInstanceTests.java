package io.samboot.supervisor;

import java.time.Instant;

import io.samboot.EndCause;
import io.samboot.SamState;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import io.samboot.supervisor.SupervisedInstance.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** One instance's phase, and what its state and its exit mean. */
class SupervisedInstanceTests {

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, Instant.EPOCH, 100);

	@Test
	void aLaunchedInstanceHasNotRegisteredNorStartedAndIsAliveSinceItsLaunch() {
		assertThat(this.instance.registered).isFalse();
		assertThat(this.instance.phase).isEqualTo(Phase.NOT_STARTED);
		assertThat(this.instance.lastAliveNanos).isEqualTo(100);
	}

	@Test
	void registeringLeavesThePhaseAsItIs() {
		this.instance.phase = Phase.STARTED;

		this.instance.register(500);

		assertThat(this.instance.registered).isTrue();
		assertThat(this.instance.phase).isEqualTo(Phase.STARTED);
		assertThat(this.instance.lastAliveNanos).isEqualTo(500);
	}

	@Test
	void stoppingAStartedInstanceStopsItsChecks() {
		this.instance.phase = Phase.STARTED;

		assertThat(this.instance.stopChecks()).isTrue();
		assertThat(this.instance.phase).isEqualTo(Phase.STOPPED);
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = "STARTED", mode = EnumSource.Mode.EXCLUDE)
	void stoppingAnInstanceThatIsNotStartedChangesNothing(Phase phase) {
		this.instance.phase = phase;

		assertThat(this.instance.stopChecks()).isFalse();
		assertThat(this.instance.phase).isEqualTo(phase);
	}

	@Test
	void theStateFollowsThePhase() {
		assertThat(this.instance.state()).isEqualTo(SamState.REGISTERED);
		this.instance.phase = Phase.WAITING_FOR_QUORUM;
		assertThat(this.instance.state()).isEqualTo(SamState.WAITING_FOR_QUORUM);
		this.instance.phase = Phase.STARTED;
		assertThat(this.instance.state()).isEqualTo(SamState.STARTED);
		this.instance.phase = Phase.STOPPED;
		assertThat(this.instance.state()).isEqualTo(SamState.REGISTERED);
	}

	@Test
	void anInstanceThatIsGoingIsNoLongerStarted() {
		this.instance.phase = Phase.STARTED;
		this.instance.ending = new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGTERM to the supervisor");

		assertThat(this.instance.state()).isEqualTo(SamState.REGISTERED);
	}

	@Test
	void theEndingDecidedBeforeTheExitStands() {
		Ending decided = new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, "SIGHUP received");
		this.instance.ending = decided;

		assertThat(this.instance.endingAtExit(true, 1)).isSameAs(decided);
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = { "STARTED", "WAITING_FOR_QUORUM" })
	void dyingWhileCheckedIsRecovered(Phase phase) {
		this.instance.phase = phase;

		assertThat(this.instance.endingAtExit(true, 1))
			.isEqualTo(new Ending(EndCause.EXITED, Next.RECOVER, "ended while health checking was started"));
	}

	@ParameterizedTest
	@EnumSource(value = Phase.class, names = { "NOT_STARTED", "STOPPED" })
	void endingWhileNotCheckedIsAQuit(Phase phase) {
		this.instance.phase = phase;

		assertThat(this.instance.endingAtExit(true, 1))
			.isEqualTo(new Ending(EndCause.EXITED, Next.QUIT, "ended while health checking was stopped"));
	}

	@Test
	void withoutEnforcedChecksEveryEndIsAQuit() {
		this.instance.phase = Phase.STARTED;

		assertThat(this.instance.endingAtExit(false, 1).next()).isEqualTo(Next.QUIT);
	}

	@Test
	void killedBySigkillBeforeItStartedIsRecoveredNotAConfigurationError() {
		this.instance.phase = Phase.NOT_STARTED;

		assertThat(this.instance.endingAtExit(true, 137))
			.isEqualTo(new Ending(EndCause.EXITED, Next.RECOVER, "killed by SIGKILL during its start-up"));
		assertThat(this.instance.endingAtExit(true, 143).next()).as("SIGTERM: the application may stop itself")
			.isEqualTo(Next.QUIT);
		assertThat(this.instance.endingAtExit(false, 137).next()).isEqualTo(Next.QUIT);
	}

}
