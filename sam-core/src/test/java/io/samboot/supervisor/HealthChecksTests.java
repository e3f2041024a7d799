package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.SamSettings;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import io.samboot.supervisor.SupervisedInstance.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the supervisor learns of an instance's health. */
class HealthChecksTests {

	private static final Instant WALL = Instant.parse("2026-12-01T10:00:00Z");

	private static final long T0 = 1_000_000_000L;

	private final FakeControlChannel channel = new FakeControlChannel();

	private final SupervisorDataStore dataStore = new SupervisorDataStore(null, SamSettings.defaults(), () -> T0);

	private final CapturedLog log = new CapturedLog();

	private final RecordingListener listener = new RecordingListener();

	private final HealthChecks health = new HealthChecks(this.channel, this.dataStore, new PauseGrace(this.log.log),
			this.listener, this.log.log, Clock.fixed(WALL, ZoneOffset.UTC), () -> T0);

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, WALL, 0);

	private final SamSettings settings = SamSettings.builder()
		.timeInterval(Duration.ofSeconds(4))
		.healthCheckMode(HealthCheckMode.EVENT)
		.build();

	@Test
	void inApplicationModeEveryMessageIsASignOfLife() {
		this.health.received(this.instance, new Message.StatusRequest(), T0);

		assertThat(this.instance.lastAliveNanos).isEqualTo(T0);
	}

	@Test
	void inEventModeADataStoreIsNoSignOfLife() {
		this.instance.eventDriven = true;

		this.health.received(this.instance, new Message.DataStore(new byte[] { 1 }), T0);

		assertThat(this.instance.lastAliveNanos).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "heartbeat", "start", "passed check" })
	void inEventModeAHeartbeatAStartOrAPassedCheckIsASignOfLife(String kind) {
		this.instance.eventDriven = true;
		Message message = switch (kind) {
			case "heartbeat" -> new Message.Heartbeat();
			case "start" -> new Message.Start(true);
			default -> result(Outcome.UP);
		};

		this.health.received(this.instance, message, T0);

		assertThat(this.instance.lastAliveNanos).isEqualTo(T0);
	}

	@Test
	void aFailedCheckIsNoSignOfLifeInAnyMode() {
		this.health.received(this.instance, result(Outcome.DOWN), T0);

		assertThat(this.instance.lastAliveNanos).isZero();
	}

	@Test
	void aFailedCheckIsRememberedAndLoggedOnceUntilACheckPasses() {
		this.health.result(this.instance, result(Outcome.DOWN));
		this.health.result(this.instance, result(Outcome.ERROR));
		assertThat(this.instance.lastFailure.outcome()).isEqualTo(Outcome.ERROR);

		this.health.result(this.instance, result(Outcome.UP));

		assertThat(this.instance.lastFailure).isNull();
		assertThat(this.log.lines()).containsExactly(
				"WARN instance 1 (pid 2001) health check down: database (connection refused)",
				"INFO instance 1 (pid 2001) is healthy again");
	}

	@Test
	void aPassedCheckIsHeardAsHealthAndUpdatesTheStatus() {
		this.health.result(this.instance, result(Outcome.UP));

		assertThat(this.listener.heard).containsExactly("healthy 1");
		assertThat(this.health.lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void aHeartbeatIsHeardAsHealthOnlyWhileStarted() {
		this.health.heartbeat(this.instance);
		this.instance.phase = Phase.STARTED;
		this.health.heartbeat(this.instance);

		assertThat(this.listener.heard).containsExactly("healthy 1");
		assertThat(this.health.lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void anInstanceThatIsGoingIsNotHeardAsHealthy() {
		this.instance.phase = Phase.STARTED;
		this.instance.ending = new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGTERM to the supervisor");

		this.health.heartbeat(this.instance);
		this.health.result(this.instance, result(Outcome.UP));

		assertThat(this.listener.heard).isEmpty();
	}

	@Test
	void startingGivesAWholeIntervalAndForgetsAnEarlierFailure() {
		this.instance.lastFailure = result(Outcome.DOWN);

		this.health.started(this.instance, false, this.settings, T0);

		assertThat(this.instance.lastFailure).isNull();
		assertThat(this.instance.lastAliveNanos).isEqualTo(T0);
		assertThat(this.instance.nextRequestNanos).as("the first request at once").isEqualTo(T0);
		assertThat(this.health.lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void startingAnswersTheStartAndTellsTheListeners() {
		this.instance.eventDriven = true;

		this.health.started(this.instance, false, this.settings, T0);

		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(this.listener.heard).containsExactly("started 1", "state 1 STARTED");
		assertThat(this.log.lines())
			.containsExactly("INFO instance 1 (pid 2001) started health checking (the supervisor requests checks)");
	}

	@Test
	void aStartThatWaitedForQuorumIsToldToGoOn() {
		this.health.started(this.instance, true, this.settings, T0);

		assertThat(this.channel.lastTo(1)).isInstanceOf(Message.QuorumStart.class);
	}

	@Test
	void aStartThatWaitsForQuorumIsAnsweredAtOnceAndToldToTheListeners() {
		this.health.waitingForQuorum(this.instance);

		assertThat(this.channel.lastTo(1)).isEqualTo(new Message.Reply(null, Message.Reply.WAITING_FOR_QUORUM));
		assertThat(this.listener.heard).containsExactly("state 1 WAITING_FOR_QUORUM");
		assertThat(this.log.lines())
			.containsExactly("INFO instance 1 (pid 2001) waits for quorum before health checking" + " starts");
	}

	@Test
	void aStopOfStartedChecksIsAnsweredAndHeard() {
		this.instance.phase = Phase.STARTED;

		this.health.stop(this.instance);

		assertThat(this.instance.phase).isEqualTo(Phase.STOPPED);
		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(this.listener.heard).containsExactly("stopped 1", "state 1 REGISTERED");
	}

	@Test
	void aStopWhileWaitingForQuorumIsAnsweredAndTheStartGoesOnWaiting() {
		this.instance.phase = Phase.WAITING_FOR_QUORUM;

		this.health.stop(this.instance);

		assertThat(this.instance.phase).isEqualTo(Phase.WAITING_FOR_QUORUM);
		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(this.listener.heard).isEmpty();
	}

	@Test
	void aStopOfAnInstanceThatIsGoingIsAnsweredButNotHeard() {
		this.instance.phase = Phase.STARTED;
		this.instance.ending = new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, "SIGHUP received");

		this.health.stop(this.instance);

		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(this.listener.heard).isEmpty();
	}

	@Test
	void stoppingIsHeardAsBackToRegistered() {
		this.health.stopped(this.instance);

		assertThat(this.listener.heard).containsExactly("stopped 1", "state 1 REGISTERED");
	}

	@Test
	void eachRequestHasTheNextSequenceAndTheOneAfterIsDueAQuarterIntervalLater() {
		this.health.request(this.instance, this.settings, T0);
		this.health.request(this.instance, this.settings, T0 + 1);

		assertThat(this.channel.sentTo(1, Message.HealthCheckRequest.class))
			.extracting(Message.HealthCheckRequest::sequence)
			.containsExactly(1L, 2L);
		assertThat(this.instance.nextRequestNanos).isEqualTo(T0 + 1 + Duration.ofSeconds(1).toNanos());
	}

	@Test
	void aStoreKeptOnTheChannelIsASignOfLifeInApplicationMode() {
		this.dataStore.keepFrom(1);
		this.dataStore.store(1, StoredBytes.bufferOf(new byte[] { 1 }));

		this.health.noteChannelStores(this.instance);

		assertThat(this.instance.lastAliveNanos).isEqualTo(T0);
	}

	@Test
	void aStoreKeptOnTheChannelIsNoSignOfLifeInEventMode() {
		this.instance.eventDriven = true;
		this.dataStore.keepFrom(1);
		this.dataStore.store(1, StoredBytes.bufferOf(new byte[] { 1 }));

		this.health.noteChannelStores(this.instance);

		assertThat(this.instance.lastAliveNanos).isZero();
	}

	@Test
	void aMissedDeadlineAfterAFailedCheckIsAFailure() {
		this.instance.lastFailure = result(Outcome.DOWN);

		assertThat(this.health.missedCause(this.instance)).isEqualTo(EndCause.HEALTH_CHECK_FAILED);
		assertThat(this.health.missedDetail(this.instance, T0)).isEqualTo("database (connection refused)");
	}

	@Test
	void aMissedDeadlineAfterATimedOutCheckIsATimeout() {
		this.instance.lastFailure = new HealthCheckResult(1, Outcome.TIMEOUT, null, null, 1_000);

		assertThat(this.health.missedCause(this.instance)).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
		assertThat(this.health.missedDetail(this.instance, T0)).isEqualTo("health check");
	}

	@Test
	void aSilentInstanceTimesOutAndTheDetailSaysForHowLong() {
		this.instance.lastAliveNanos = T0;

		assertThat(this.health.missedCause(this.instance)).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
		assertThat(this.health.missedDetail(this.instance, T0 + Duration.ofSeconds(4).toNanos()))
			.isEqualTo("no heartbeat for 4s");
		this.instance.eventDriven = true;
		assertThat(this.health.missedDetail(this.instance, T0 + Duration.ofMillis(4_250).toNanos()))
			.isEqualTo("no answer to a health-check request for 4250ms");
	}

	private static HealthCheckResult result(Outcome outcome) {
		return outcome.healthy() ? new HealthCheckResult(1, outcome, null, null, 1_000)
				: new HealthCheckResult(1, outcome, "database", "connection refused", 1_000);
	}

}
