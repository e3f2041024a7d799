package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.InstanceRecord;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.SamStatus;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import io.samboot.protocol.ProtocolException;
import io.samboot.protocol.StatusMessages;
import io.samboot.supervisor.FakeNativeAccess.Kill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The supervisor loop's decisions, driven through {@code start}, {@code handle},
 * {@code onTime} and {@code nextDeadline} with a manual nanosecond clock and fakes for
 * everything outside the loop.
 */
class SupervisorLoopTests {

	private static final Instant WALL = Instant.parse("2025-06-01T12:00:00Z");

	private static final Duration INTERVAL = Duration.ofSeconds(4);

	private static final Duration FAR = Duration.ofSeconds(60);

	private static final long ONE_NANO = 1;

	private final QueuedEvents queue = new QueuedEvents();

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final FakeExit exit = new FakeExit();

	private final AtomicLong nanos = new AtomicLong(7_000_000_000L);

	private SupervisorLoop loop;

	// ---- before and at the first launch
	// -------------------------------------------------------

	@Test
	void beforeTheFirstLaunchThereIsNoDeadlineAndNothingToDo() {
		newLoop(applicationDriven());

		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + FAR.toNanos());
		this.loop.onTime(now());
		elapse(Duration.ofHours(1));

		assertThat(this.launcher.tickets).isEmpty();
		assertThat(this.os.kills).isEmpty();
		assertThat(this.exit.statuses).isEmpty();
	}

	@Test
	void startLaunchesInstanceOneWithAFreshTicket() {
		newLoop(applicationDriven());

		this.loop.start(now());

		assertThat(this.launcher.tickets).hasSize(1);
		InstanceLauncher.LaunchTicket ticket = this.launcher.lastTicket();
		assertThat(ticket.instanceId()).isEqualTo(1);
		assertThat(ticket.supervisorPid()).isEqualTo(FakeNativeAccess.PID);
		assertThat(ticket.socketPath()).isEqualTo(FakeControlChannel.SOCKET);
		assertThat(ticket.secret()).hasSize(32);
		assertThat(this.channel.expectedSecrets.get(1)).isEqualTo(ticket.secret());
		assertThat(this.channel.expectedPids).containsEntry(1, FakeInstanceLauncher.pidOf(1));
		SamStatus status = status();
		assertThat(status.instanceId()).isEqualTo(1);
		assertThat(status.restartCount()).isZero();
		assertThat(status.pid()).isEqualTo(FakeInstanceLauncher.pidOf(1));
		assertThat(status.supervisorPid()).isEqualTo(FakeNativeAccess.PID);
		assertThat(status.state()).isEqualTo(SamState.REGISTERED);
		assertThat(status.history()).isEmpty();
	}

	@Test
	void anAdoptedInstanceIsInstanceOneWithItsOwnTicketAndLaunchTimeAndTheNextIsLaunched() {
		newLoop(applicationDriven());
		byte[] secret = new byte[32];
		secret[0] = 42;
		InstanceLauncher.LaunchTicket ticket = new InstanceLauncher.LaunchTicket(1, secret, FakeControlChannel.SOCKET,
				FakeNativeAccess.PID);
		CompletableFuture<Integer> exit = new CompletableFuture<>();
		long launchedNanos = now() - Duration.ofMillis(300).toNanos();
		this.loop.adoptFirstInstance(new InstanceLauncher.AdoptedInstance(ticket,
				new InstanceLauncher.LaunchedInstance(777, exit), launchedNanos, WALL.minusMillis(300)));

		this.loop.start(now());

		assertThat(this.launcher.tickets).as("nothing launched: it runs already").isEmpty();
		assertThat(this.channel.expectedSecrets).as("the channel was told before the loop ran").isEmpty();
		assertThat(this.channel.expectedPids).containsEntry(1, 777L);
		SamStatus status = status();
		assertThat(status.instanceId()).isEqualTo(1);
		assertThat(status.pid()).isEqualTo(777);
		assertThat(status.restartCount()).isZero();

		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(secret, 777, applicationDriven().toMap())),
				now());
		assertThat(this.channel.lastTo(1)).isInstanceOf(Message.Welcome.class);
		receive(1, new Message.Start(false));
		exit.complete(137);
		SupervisorEvent event = this.queue.poll();
		assertThat(event).isEqualTo(new SupervisorEvent.InstanceExited(1, 137));
		this.loop.handle(event, now());
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(this.launcher.lastTicket().instanceId()).isEqualTo(2);
		assertThat(this.launcher.lastTicket().secret()).isNotEqualTo(secret);
		assertThat(status().history()).singleElement().satisfies(record -> {
			assertThat(record.pid()).isEqualTo(777);
			assertThat(record.exitStatus()).isEqualTo(137);
		});
	}

	@Test
	void helloIsAnsweredWithAWelcomeCarryingTheDataAndSetsTheFrameLimit() {
		byte[] data = { 1, 2, 3 };
		this.loop = new SupervisorLoop(this.queue, applicationDriven(), data, this.launcher, this.channel, this.os,
				this.exit, this.nanos::get, Clock.fixed(WALL, ZoneOffset.UTC));
		data[0] = 9;
		SamSettings registered = applicationDriven().toBuilder().dataStoreMaxSize(2048).build();
		this.loop.start(now());

		hello(1, registered);

		Message.Welcome welcome = (Message.Welcome) this.channel.lastTo(1);
		assertThat(welcome.instanceId()).isEqualTo(1);
		assertThat(welcome.supervisorPid()).isEqualTo(FakeNativeAccess.PID);
		assertThat(welcome.restartCount()).isZero();
		assertThat(welcome.data()).as("a copy taken at construction").containsExactly(1, 2, 3);
		assertThat(this.channel.frameLimits).containsExactly(2048L);
		assertThat(this.loop.settings()).isEqualTo(registered);
	}

	@Test
	void withoutStartThereIsNoTimeLimit() {
		newLoop(applicationDriven());
		this.loop.start(now());
		hello(1, applicationDriven());

		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + FAR.toNanos());
		elapse(Duration.ofHours(1));

		assertThat(this.os.kills).isEmpty();
	}

	// ---- application-driven checking
	// ----------------------------------------------------------

	@Test
	void afterStartTheDeadlineIsLastAlivePlusTheInterval() {
		startedInstance(applicationDriven(), false);
		long started = now();

		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(this.loop.deadline(Deadlines.Deadline.HEALTH_CHECK, now())).isEqualTo(started + INTERVAL.toNanos());
		assertThat(status().state()).isEqualTo(SamState.STARTED);
		elapse(INTERVAL.minusNanos(ONE_NANO));
		assertThat(this.os.kills).isEmpty();

		elapse(Duration.ofNanos(ONE_NANO));

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
	}

	@Test
	void aHeartbeatReArmsTheTimer() {
		startedInstance(applicationDriven(), false);
		for (int i = 0; i < 60; i++) {
			elapse(Duration.ofSeconds(3));
			receive(1, new Message.Heartbeat());
			assertThat(this.loop.deadline(Deadlines.Deadline.HEALTH_CHECK, now()))
				.isEqualTo(now() + INTERVAL.toNanos());
		}
		assertThat(this.os.kills).isEmpty();
		assertThat(status().lastUpdated()).isEqualTo(WALL);

		elapse(INTERVAL.minusNanos(ONE_NANO));
		assertThat(this.os.kills).isEmpty();
		elapse(Duration.ofNanos(ONE_NANO));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void inApplicationModeEveryMessageReArmsAsInCorosync() {
		startedInstance(applicationDriven(), false);
		elapse(Duration.ofSeconds(3));

		receive(1, new Message.DataStore(new byte[] { 1 }));
		elapse(Duration.ofSeconds(3));

		assertThat(this.os.kills).isEmpty();
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + Duration.ofSeconds(1).toNanos());
	}

	@Test
	void startWhileStartedIsRefusedWithBadHandle() {
		startedInstance(applicationDriven(), false);

		receive(1, new Message.Start(false));

		Message.Reply reply = (Message.Reply) this.channel.lastTo(1);
		assertThat(reply.error()).isEqualTo(SamError.BAD_HANDLE.name());
	}

	@Test
	void stopEndsTheTimeLimitAndStartArmsItAgain() {
		startedInstance(applicationDriven(), false);
		elapse(Duration.ofSeconds(3));

		receive(1, new Message.Stop());
		elapse(Duration.ofMinutes(5));
		assertThat(this.os.kills).isEmpty();
		assertThat(status().state()).isEqualTo(SamState.REGISTERED);

		receive(1, new Message.Start(false));
		assertThat(this.loop.nextDeadline(now())).as("a quarter of the interval: the loop's watch")
			.isEqualTo(now() + INTERVAL.toNanos() / 4);
		elapse(INTERVAL);
		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void aZeroIntervalMeansNoTimeLimitOnlyDeath() {
		SamSettings settings = applicationDriven().withTimeInterval(Duration.ZERO);
		startedInstance(settings, false);

		elapse(Duration.ofHours(2));
		assertThat(this.os.kills).isEmpty();
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + FAR.toNanos());

		instanceExits(1, 1);
		assertThat(this.launcher.tickets).hasSize(2);
	}

	// ---- event-driven checking
	// ----------------------------------------------------------------

	@Test
	void inEventModeRequestsGoOutEveryQuarterIntervalAndUpAnswersKeepItAlive() {
		startedInstance(eventDriven(), true);
		long started = now();
		List<Long> requestTimes = new ArrayList<>();
		int answered = 0;
		for (int step = 0; step <= 160; step++) {
			if (step > 0) {
				elapse(Duration.ofMillis(250));
			}
			else {
				this.loop.onTime(now());
			}
			List<Message.HealthCheckRequest> requests = this.channel.sentTo(1, Message.HealthCheckRequest.class);
			for (; answered < requests.size(); answered++) {
				requestTimes.add(now() - started);
				receive(1, result(requests.get(answered).sequence(), Outcome.UP));
			}
		}

		assertThat(this.os.kills).isEmpty();
		assertThat(this.channel.sentTo(1, Message.HealthCheckRequest.class))
			.extracting(Message.HealthCheckRequest::sequence)
			.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 41).boxed().toList());
		assertThat(requestTimes).first().isEqualTo(0L);
		for (int i = 1; i < requestTimes.size(); i++) {
			assertThat(requestTimes.get(i) - requestTimes.get(i - 1)).isEqualTo(INTERVAL.dividedBy(4).toNanos());
		}
		assertThat(status().lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void aLoopStoppedWhileItLookedAtItsDeadlinesGivesTheInstanceAFreshDeadline() {
		startedInstance(eventDriven(), true);
		long lookedAt = now();
		this.loop.onTime(lookedAt);
		// SIGSTOP inside onTime: two intervals pass without the loop.
		this.nanos.addAndGet(INTERVAL.multipliedBy(2).toNanos());

		long resumed = this.loop.scheduledSince(lookedAt);
		this.loop.onTime(resumed);

		assertThat(resumed).isEqualTo(now());
		assertThat(this.os.kills).as("the healthy instance is not killed for the supervisor's absence").isEmpty();
		assertThat(this.loop.deadline(Deadlines.Deadline.HEALTH_CHECK, now())).isEqualTo(now() + INTERVAL.toNanos());
		// The fresh deadline still holds: no answer for a whole interval ends it.
		elapse(INTERVAL);
		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
	}

	@Test
	void aLoopThatRanShortlyIsNotTakenForAway() {
		startedInstance(eventDriven(), true);
		long lookedAt = now();
		this.nanos.addAndGet(Duration.ofMillis(10).toNanos());

		this.loop.scheduledSince(lookedAt);

		assertThat(this.loop.deadline(Deadlines.Deadline.HEALTH_CHECK, now())).isEqualTo(lookedAt + INTERVAL.toNanos());
	}

	@Test
	void inEventModeTheNextDeadlineIsTheNextRequest() {
		startedInstance(eventDriven(), true);
		this.loop.onTime(now());

		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + INTERVAL.dividedBy(4).toNanos());
	}

	@Test
	void inEventModeADownAnswerDoesNotReArmAndEndsAsHealthCheckFailed() {
		startedInstance(eventDriven(), true);
		long started = now();
		answerEveryRequestFor(INTERVAL.minusNanos(ONE_NANO), Outcome.DOWN);
		assertThat(this.os.kills).isEmpty();

		answerEveryRequestFor(Duration.ofNanos(ONE_NANO), Outcome.DOWN);

		assertThat(now() - started).isEqualTo(INTERVAL.toNanos());
		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		instanceExits(1, 143);
		InstanceRecord record = status().history().get(0);
		assertThat(record.cause()).isEqualTo(EndCause.HEALTH_CHECK_FAILED);
		assertThat(record.detail()).contains("database").contains("connection refused");
		assertThat(this.launcher.tickets).hasSize(2);
	}

	@Test
	void inEventModeAnUpAnswerAfterDownAnswersReArms() {
		startedInstance(eventDriven(), true);
		answerEveryRequestFor(Duration.ofMillis(2500), Outcome.DOWN);

		answerEveryRequestFor(Duration.ofSeconds(1), Outcome.UP);
		answerEveryRequestFor(Duration.ofSeconds(3), Outcome.DOWN);

		assertThat(this.os.kills).isEmpty();
		assertThat(this.loop.status(now()).lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void inEventModeNoAnswerEndsAsHealthCheckTimeout() {
		startedInstance(eventDriven(), true);

		elapse(INTERVAL);

		assertThat(this.channel.sentTo(1, Message.HealthCheckRequest.class)).hasSizeGreaterThanOrEqualTo(4);
		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
		instanceExits(1, 143);
		assertThat(status().history().get(0).cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
	}

	@Test
	void inEventModeACheckThatTimedOutInTheInstanceEndsAsHealthCheckTimeout() {
		startedInstance(eventDriven(), true);

		answerEveryRequestFor(INTERVAL, Outcome.TIMEOUT);
		instanceExits(1, 143);

		assertThat(status().history().get(0).cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
	}

	@Test
	void inEventModeAnErrorAnswerEndsAsHealthCheckFailed() {
		startedInstance(eventDriven(), true);

		answerEveryRequestFor(INTERVAL, Outcome.ERROR);
		instanceExits(1, 143);

		assertThat(status().history().get(0).cause()).isEqualTo(EndCause.HEALTH_CHECK_FAILED);
	}

	@Test
	void aStoreReadIntoDirectMemoryThatReachesTheLoopIsKeptAndWelcomesTheNextInstance() {
		startedInstance(applicationDriven(), false);
		ByteBuffer read = ByteBuffer.allocateDirect(2).put(new byte[] { 4, 2 }).flip();

		receive(1, new Message.DataStoreRead(read));

		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		assertThat(status().dataSize()).isEqualTo(2);
		instanceExits(1, 137);
		hello(2, applicationDriven());
		assertThat(((Message.Welcome) this.channel.lastTo(2)).data()).containsExactly(4, 2);
	}

	@Test
	void inEventModeOtherMessagesDoNotReArmButAHeartbeatDoes() {
		startedInstance(eventDriven(), true);
		elapse(Duration.ofSeconds(3));
		receive(1, new Message.DataStore(new byte[] { 1 }));
		receive(1, new Message.StatusRequest());
		elapse(Duration.ofSeconds(1));
		assertThat(this.os.kills).hasSize(1);

		startedInstanceAfterRestart(eventDriven());
		elapse(Duration.ofSeconds(3));
		receive(2, new Message.Heartbeat());
		elapse(Duration.ofSeconds(3));
		assertThat(this.os.kills).hasSize(1);
	}

	// ---- warning and kill
	// ---------------------------------------------------------------------

	@Test
	void theWarningSignalIsFollowedBySigkillAfterTheKillDelay() {
		SamSettings settings = applicationDriven().toBuilder().killDelay(Duration.ofSeconds(2)).build();
		startedInstance(settings, false);
		elapse(INTERVAL);
		long pid = FakeInstanceLauncher.pidOf(1);
		assertThat(this.os.kills).containsExactly(new Kill(pid, PosixSignal.TERM));
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + Duration.ofSeconds(2).toNanos());

		elapse(Duration.ofSeconds(2).minusNanos(ONE_NANO));
		assertThat(this.os.kills).hasSize(1);
		elapse(Duration.ofNanos(ONE_NANO));

		assertThat(this.os.kills).containsExactly(new Kill(pid, PosixSignal.TERM), new Kill(pid, PosixSignal.KILL));
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + FAR.toNanos());
		elapse(Duration.ofMinutes(10));
		assertThat(this.os.kills).hasSize(2);
	}

	@Test
	void aMissedCheckAsksForAThreadDumpBeforeTheWarning() {
		startedInstance(applicationDriven().toBuilder().threadDump(true).build(), false);
		elapse(INTERVAL);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.QUIT, PosixSignal.TERM);
		assertThat(this.loop.status(now()).history()).isEmpty();
	}

	@Test
	void withALogFileTheInstanceWritesTheDumpToAFileBesideItInsteadOfSigquit() {
		startedInstance(applicationDriven().toBuilder()
			.threadDump(true)
			.logging(Map.of("logging.file.name", "/var/log/shop/app.log"))
			.build(), false);
		elapse(INTERVAL);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
		assertThat(this.channel.sentTo(1, Message.ThreadDumpRequest.class)).singleElement()
			.satisfies((request) -> assertThat(request.path()).matches("/var/log/shop/sam-thread-dump-instance-1-pid-"
					+ FakeInstanceLauncher.pidOf(1) + "-\\d{8}T\\d{6}\\.\\d{3}Z\\.txt"));
		assertThat(this.loop.current().ending.detail()).contains("thread dump in /var/log/shop/sam-thread-dump");
	}

	@Test
	void theDumpDirectoryCanBeNamed() {
		startedInstance(applicationDriven().toBuilder().threadDump(true).threadDumpDirectory("/dumps").build(), false);
		elapse(INTERVAL);

		assertThat(this.channel.sentTo(1, Message.ThreadDumpRequest.class)).singleElement()
			.satisfies((request) -> assertThat(request.path()).startsWith("/dumps/sam-thread-dump-instance-1-"));
		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void theKillDelayDefaultsToTheInterval() {
		startedInstance(applicationDriven(), false);
		elapse(INTERVAL);

		elapse(INTERVAL.minusNanos(ONE_NANO));
		assertThat(this.os.kills).hasSize(1);
		elapse(Duration.ofNanos(ONE_NANO));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
	}

	@Test
	void warnSignalKillMeansNoWarning() {
		startedInstance(applicationDriven().withWarnSignal(PosixSignal.KILL), false);

		elapse(INTERVAL);
		elapse(Duration.ofMinutes(10));

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.KILL));
	}

	@ParameterizedTest
	@EnumSource(value = PosixSignal.class, names = { "TERM", "INT", "HUP", "USR1" })
	void theConfiguredWarningSignalIsSentFirst(PosixSignal warning) {
		startedInstance(applicationDriven().withWarnSignal(warning), false);

		elapse(INTERVAL.multipliedBy(2));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(warning, PosixSignal.KILL);
	}

	@Test
	void messagesAfterTheWarningDoNotCancelTheRecovery() {
		startedInstance(applicationDriven(), false);
		elapse(INTERVAL);

		receive(1, new Message.Heartbeat());
		receive(1, new Message.Stop());
		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		receive(1, new Message.Start(false));
		receive(1, new Message.Heartbeat());
		elapse(INTERVAL);
		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
		receive(1, new Message.Stop());
		instanceExits(1, 143);

		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(this.exit.statuses).isEmpty();
		InstanceRecord record = status().history().get(0);
		assertThat(record.cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
		assertThat(record.exitStatus()).isEqualTo(143);
		assertThat(record.signal()).isEqualTo("SIGTERM");
	}

	// ---- death of the instance
	// ----------------------------------------------------------------

	@Test
	void deathWhileStartedRestartsWithTheNextInstanceId() {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.DataStore(new byte[] { 4, 2 }));
		byte[] firstSecret = this.launcher.lastTicket().secret();

		instanceExits(1, 137);

		assertThat(this.exit.statuses).isEmpty();
		assertThat(this.channel.disconnected).containsExactly(1);
		assertThat(this.launcher.tickets).hasSize(2);
		InstanceLauncher.LaunchTicket second = this.launcher.lastTicket();
		assertThat(second.instanceId()).isEqualTo(2);
		assertThat(second.secret()).hasSize(32).isNotEqualTo(firstSecret);
		assertThat(this.channel.expectedSecrets.get(2)).isEqualTo(second.secret());
		hello(2, applicationDriven());
		Message.Welcome welcome = (Message.Welcome) this.channel.lastTo(2);
		assertThat(welcome.instanceId()).isEqualTo(2);
		assertThat(welcome.restartCount()).isEqualTo(1);
		assertThat(welcome.data()).containsExactly(4, 2);
		SamStatus status = status();
		assertThat(status.instanceId()).isEqualTo(2);
		assertThat(status.restartCount()).isEqualTo(1);
		assertThat(status.pid()).isEqualTo(FakeInstanceLauncher.pidOf(2));
		assertThat(status.history()).hasSize(1);
		InstanceRecord record = status.history().get(0);
		assertThat(record.instanceId()).isEqualTo(1);
		assertThat(record.pid()).isEqualTo(FakeInstanceLauncher.pidOf(1));
		assertThat(record.startedAt()).isEqualTo(WALL);
		assertThat(record.endedAt()).isEqualTo(WALL);
		assertThat(record.cause()).isEqualTo(EndCause.EXITED);
		assertThat(record.exitStatus()).isEqualTo(137);
		assertThat(record.signal()).isEqualTo("SIGKILL");
	}

	@ParameterizedTest(name = "exit status {0}")
	@ValueSource(ints = { 0, 3, 143 })
	void deathWhileNotStartedQuitsWithItsStatus(int status) {
		newLoop(applicationDriven());
		this.loop.start(now());
		hello(1, applicationDriven());

		instanceExits(1, status);

		assertThat(this.exit.statuses).containsExactly(status);
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(this.channel.closed).isTrue();
		assertThat(this.loop.hasExited()).isTrue();
		assertThat(status().state()).isEqualTo(SamState.REGISTERED);
		assertThat(status().history()).extracting(InstanceRecord::cause).containsExactly(EndCause.EXITED);
	}

	@Test
	void deathBeforeRegisteringQuitsWithItsStatus() {
		newLoop(applicationDriven());
		this.loop.start(now());

		instanceExits(1, 2);

		assertThat(this.exit.statuses).containsExactly(2);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	@Test
	void deathAfterStopQuitsWithItsStatus() {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.Stop());

		instanceExits(1, 0);

		assertThat(this.exit.statuses).containsExactly(0);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	@Test
	void deathAfterCloseQuitsWithItsStatus() {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.Close());
		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());

		instanceExits(1, 5);

		assertThat(this.exit.statuses).containsExactly(5);
	}

	@Test
	void aClosedConnectionHasItsInstancesExitTakenAtOnce() {
		this.os.awaitsExits = true;
		this.os.endedChildren.put(FakeInstanceLauncher.pidOf(1), 137);
		startedInstance(applicationDriven().toBuilder().restartDelay(Duration.ZERO).build(), false);
		List<Integer> swept = sweptLeftovers();

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());

		assertThat(this.os.awaitedExits).containsExactly(FakeInstanceLauncher.pidOf(1));
		assertThat(this.launcher.tickets).as("relaunched before the waiting thread posted").hasSize(2);
		assertThat(status().history()).singleElement().satisfies((record) -> {
			assertThat(record.exitStatus()).isEqualTo(137);
			assertThat(record.signal()).isEqualTo("SIGKILL");
		});
		// The thread that waits for the process posts the same exit: a copy, dropped.
		instanceExits(1, 137);
		assertThat(swept).as("what instance 1 left behind, swept once").containsExactly(1);
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).hasSize(1);
		assertThat(status().instanceId()).isEqualTo(2);
	}

	@Test
	void anInstanceReapedByAnotherThreadHasItsStatusFromThatThread() {
		this.os.awaitsExits = true;
		this.os.reapedChildren.add(FakeInstanceLauncher.pidOf(1));
		startedInstance(applicationDriven().toBuilder().restartDelay(Duration.ZERO).build(), false);
		List<Integer> swept = sweptLeftovers();
		this.launcher.instance(1).exit().complete(143);

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());

		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).singleElement().extracting(InstanceRecord::exitStatus).isEqualTo(143);
		this.loop.handle(this.queue.poll(), now());
		assertThat(swept).as("swept once").containsExactly(1);
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).hasSize(1);
	}

	@Test
	void anExitTheWaitingThreadHoldsAlreadyIsTakenWithoutAskingTheKernel() {
		this.os.awaitsExits = true;
		this.os.endedChildren.put(FakeInstanceLauncher.pidOf(1), 1);
		startedInstance(applicationDriven().toBuilder().restartDelay(Duration.ZERO).build(), false);
		this.launcher.instance(1).exit().complete(137);

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());

		assertThat(this.os.awaitedExits).isEmpty();
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).singleElement().extracting(InstanceRecord::exitStatus).isEqualTo(137);
		// The waiting thread's own post of it: a copy, dropped.
		instanceExits(1, 137);
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).hasSize(1);
	}

	@Test
	void theEndRehearsedWhenTheFirstInstanceStartsLeavesNoTraceAndTheFirstRealEndIsDecidedAsAlways() {
		SamSettings settings = applicationDriven().toBuilder().restartDelay(Duration.ofSeconds(2)).build();
		newLoop(settings);
		RecordingListener listener = new RecordingListener();
		this.loop.addListener(listener);
		this.loop.start(now());
		hello(1, settings);
		Duration delayBefore = status().nextRestartDelay();
		receive(1, new Message.Start(false));

		SamStatus status = status();
		assertThat(status.history()).isEmpty();
		assertThat(status.restartsInWindow()).isZero();
		assertThat(status.nextRestartDelay()).isEqualTo(delayBefore);
		assertThat(listener.heard).noneMatch(heard -> heard.contains("ended"));
		assertThat(this.loop.deadline(Deadlines.Deadline.RESTART, now())).isEqualTo(Deadlines.NONE);
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(this.os.kills).isEmpty();
		assertThat(this.exit.statuses).isEmpty();

		instanceExits(1, 137);

		assertThat(status().history()).singleElement().satisfies(record -> {
			assertThat(record.instanceId()).isEqualTo(1);
			assertThat(record.signal()).isEqualTo("SIGKILL");
		});
		assertThat(listener.heard).filteredOn(heard -> heard.contains("ended")).hasSize(1);
		assertThat(status().restartsInWindow()).isEqualTo(1);
		// The back-off's first restart is immediate, as it would be without the
		// rehearsal.
		assertThat(delayBefore).isZero();
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().nextRestartDelay()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aClosedSessionsConnectionEndIsTakenAsItsExitToo() {
		this.os.awaitsExits = true;
		this.os.endedChildren.put(FakeInstanceLauncher.pidOf(1), 5);
		startedInstance(applicationDriven(), false);
		receive(1, new Message.Close());

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());

		assertThat(this.os.awaitedExits).containsExactly(FakeInstanceLauncher.pidOf(1));
		assertThat(this.exit.statuses).containsExactly(5);
	}

	@Test
	void aPassingFailureLeavesOneExitToTheWaitingThreadAndTheNextIsAskedAgain() {
		this.os.awaitsExits = true;
		this.os.outOfResources.add(FakeInstanceLauncher.pidOf(1));
		this.os.endedChildren.put(FakeInstanceLauncher.pidOf(2), 137);
		SamSettings immediate = applicationDriven().toBuilder().restartDelay(Duration.ZERO).build();
		startedInstance(immediate, false);

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());
		assertThat(this.launcher.tickets).as("left to the posted exit").hasSize(1);
		instanceExits(1, 137);
		hello(2, immediate);
		receive(2, new Message.Start(false));
		this.loop.handle(new SupervisorEvent.Disconnected(2), now());

		assertThat(this.os.awaitedExits).containsExactly(FakeInstanceLauncher.pidOf(1), FakeInstanceLauncher.pidOf(2));
		assertThat(this.launcher.tickets).as("taken at once").hasSize(3);
	}

	@Test
	void aConnectionClosedByAnInstanceThatLivesOnDecidesNothing() {
		this.os.awaitsExits = true;
		startedInstance(applicationDriven().toBuilder().restartDelay(Duration.ZERO).build(), false);

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());

		assertThat(this.os.awaitedExits).containsExactly(FakeInstanceLauncher.pidOf(1));
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(status().history()).isEmpty();
		instanceExits(1, 137);
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history()).singleElement().extracting(InstanceRecord::exitStatus).isEqualTo(137);
	}

	@Test
	void withoutTheCallExitsAreLeftToTheWaitingThreadAfterOneTry() {
		SamSettings immediate = applicationDriven().toBuilder().restartDelay(Duration.ZERO).build();
		startedInstance(immediate, false);

		this.loop.handle(new SupervisorEvent.Disconnected(1), now());
		instanceExits(1, 137);
		hello(2, immediate);
		receive(2, new Message.Start(false));
		this.loop.handle(new SupervisorEvent.Disconnected(2), now());
		instanceExits(2, 137);

		assertThat(this.os.awaitedExits).as("asked once").containsExactly(FakeInstanceLauncher.pidOf(1));
		assertThat(this.launcher.tickets).hasSize(3);
		assertThat(status().history()).hasSize(2);
	}

	@Test
	void aClosedConnectionOfAnInstanceNotCurrentIsNoSignOfItsEnd() {
		this.os.awaitsExits = true;
		startedInstance(applicationDriven(), false);

		this.loop.handle(new SupervisorEvent.Disconnected(7), now());

		assertThat(this.os.awaitedExits).isEmpty();
	}

	@Test
	void quitPolicyExitsWithTheStatusAndStateFailed() {
		startedInstance(applicationDriven().withRecoveryPolicy(RecoveryPolicy.QUIT), false);

		instanceExits(1, 1);

		assertThat(this.exit.statuses).containsExactly(1);
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(status().state()).isEqualTo(SamState.FAILED);
	}

	@Test
	void quitPolicyAfterAMissedHealthCheckExitsWithTheKilledStatus() {
		startedInstance(applicationDriven().withRecoveryPolicy(RecoveryPolicy.QUIT), false);
		elapse(INTERVAL.multipliedBy(2));

		instanceExits(1, 137);

		assertThat(this.exit.statuses).containsExactly(137);
		assertThat(status().history()).extracting(InstanceRecord::cause).containsExactly(EndCause.HEALTH_CHECK_TIMEOUT);
	}

	@ParameterizedTest(name = "exit status {0} -> signal {1}")
	@CsvSource(nullValues = "none", value = { "137, SIGKILL", "143, SIGTERM", "130, SIGINT", "134, SIGABRT",
			"129, SIGHUP", "0, none", "1, none", "127, none", "128, none", "255, none" })
	void historyNamesTheSignalAnExitStatusStandsFor(int status, String signal) {
		startedInstance(applicationDriven(), false);

		instanceExits(1, status);

		InstanceRecord record = status().history().get(0);
		assertThat(record.exitStatus()).isEqualTo(status);
		assertThat(record.signal()).isEqualTo(signal);
	}

	@Test
	void historyKeepsOneRecordPerEndedInstanceUpToTheLimit() {
		// Restarted at once, as corosync's SAM does, so that no back-off delay holds the
		// crashes apart.
		SamSettings immediate = applicationDriven().toBuilder().restartDelay(Duration.ZERO).build();
		startedInstance(immediate, false);
		int crashes = SamStatus.HISTORY_LIMIT + 6;
		for (int id = 1; id <= crashes; id++) {
			instanceExits(id, 137);
			hello(id + 1, immediate);
			receive(id + 1, new Message.Start(false));
		}

		SamStatus status = status();
		assertThat(status.history()).hasSize(SamStatus.HISTORY_LIMIT);
		assertThat(status.history().get(0).instanceId()).isEqualTo(crashes - SamStatus.HISTORY_LIMIT + 1);
		assertThat(status.history().get(SamStatus.HISTORY_LIMIT - 1).instanceId()).isEqualTo(crashes);
		assertThat(status.history()).allSatisfy(record -> {
			assertThat(record.cause()).isEqualTo(EndCause.EXITED);
			assertThat(record.signal()).isEqualTo("SIGKILL");
		});
		assertThat(status.instanceId()).isEqualTo(crashes + 1);
		assertThat(status.restartCount()).isEqualTo(crashes);
	}

	@Test
	void eventsOfAnEndedInstanceAreIgnored() {
		startedInstance(applicationDriven(), false);
		instanceExits(1, 137);
		int sent = this.channel.sent.size();

		this.loop.handle(new SupervisorEvent.Received(1, new Message.MarkFailed()), now());
		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(new byte[32], 1, Map.of())), now());
		this.loop.handle(new SupervisorEvent.InstanceExited(1, 0), now());
		this.loop.handle(new SupervisorEvent.Disconnected(2), now());

		assertThat(this.channel.sent).hasSize(sent);
		assertThat(this.os.kills).isEmpty();
		assertThat(this.exit.statuses).isEmpty();
		assertThat(this.launcher.tickets).hasSize(2);
	}

	@Test
	void aFailedFirstLaunchExitsWithStatusOneAndStateFailed() {
		newLoop(applicationDriven());
		this.launcher.failNext = new IOException("no java here");

		this.loop.start(now());

		assertThat(this.exit.statuses).containsExactly(1);
		assertThat(status().state()).isEqualTo(SamState.FAILED);
	}

	@Test
	void aFailedRelaunchExitsWithTheLastStatus() {
		startedInstance(applicationDriven(), false);
		this.launcher.failNext = new IOException("out of processes");

		instanceExits(1, 137);

		assertThat(this.exit.statuses).containsExactly(137);
	}

	// ---- signals to the supervisor
	// ------------------------------------------------------------

	@Test
	void sigtermStopsTheInstanceKillsItAfterTheShutdownTimeoutAndExitsWithItsStatus() {
		SamSettings settings = applicationDriven().toBuilder().shutdownTimeout(Duration.ofSeconds(10)).build();
		startedInstance(settings, false);
		long pid = FakeInstanceLauncher.pidOf(1);

		signal(PosixSignal.TERM);

		assertThat(this.os.kills).containsExactly(new Kill(pid, PosixSignal.TERM));
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + Duration.ofSeconds(10).toNanos());
		elapse(Duration.ofSeconds(10).minusNanos(ONE_NANO));
		assertThat(this.os.kills).hasSize(1);
		elapse(Duration.ofNanos(ONE_NANO));
		assertThat(this.os.kills).containsExactly(new Kill(pid, PosixSignal.TERM), new Kill(pid, PosixSignal.KILL));

		instanceExits(1, 137);

		assertThat(this.exit.statuses).containsExactly(137);
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(status().history()).extracting(InstanceRecord::cause).containsExactly(EndCause.SHUTDOWN);
	}

	@ParameterizedTest
	@EnumSource(value = PosixSignal.class, names = { "TERM", "INT" })
	void aStopSignalSendsSigtermAndTheInstancesOwnStatusIsTheExitStatus(PosixSignal signal) {
		startedInstance(applicationDriven(), false);

		signal(signal);
		elapse(Duration.ofSeconds(1));
		instanceExits(1, 143);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
		assertThat(this.exit.statuses).containsExactly(143);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	@Test
	void healthChecksNoLongerCountWhileShuttingDown() {
		startedInstance(applicationDriven(), false);

		signal(PosixSignal.TERM);
		elapse(INTERVAL.multipliedBy(2));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void aSecondStopSignalKillsAtOnce() {
		startedInstance(applicationDriven(), false);

		signal(PosixSignal.TERM);
		signal(PosixSignal.INT);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
		instanceExits(1, 137);
		assertThat(this.exit.statuses).containsExactly(137);
	}

	@Test
	void sigtermDuringARecoveryStillEndsWithoutRestart() {
		startedInstance(applicationDriven(), false);
		elapse(INTERVAL);

		signal(PosixSignal.TERM);
		instanceExits(1, 143);

		assertThat(this.exit.statuses).containsExactly(143);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	@Test
	void sighupRestartsGracefully() {
		SamSettings settings = applicationDriven().toBuilder().shutdownTimeout(Duration.ofSeconds(10)).build();
		startedInstance(settings, false);

		signal(PosixSignal.HUP);

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + Duration.ofSeconds(10).toNanos());
		instanceExits(1, 143);
		assertThat(this.exit.statuses).isEmpty();
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().restartCount()).isEqualTo(1);
		InstanceRecord record = status().history().get(0);
		assertThat(record.cause()).isEqualTo(EndCause.RESTART_REQUESTED);
		assertThat(record.signal()).isEqualTo("SIGTERM");
	}

	@Test
	void sighupRestartsEvenWithTheQuitPolicy() {
		startedInstance(applicationDriven().withRecoveryPolicy(RecoveryPolicy.QUIT), false);

		signal(PosixSignal.HUP);
		instanceExits(1, 0);

		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(this.exit.statuses).isEmpty();
	}

	@Test
	void aRestartThatHangsIsKilledAfterTheShutdownTimeout() {
		SamSettings settings = applicationDriven().toBuilder().shutdownTimeout(Duration.ofSeconds(10)).build();
		startedInstance(settings, false);

		signal(PosixSignal.HUP);
		signal(PosixSignal.HUP);
		elapse(Duration.ofSeconds(10));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
	}

	@Test
	void aRestartRequestFromTheInstanceRestartsGracefully() {
		startedInstance(applicationDriven(), false);

		receive(1, new Message.RestartRequest());

		assertThat(this.channel.sentTo(1, Message.Reply.class)).last().isEqualTo(Message.Reply.ok());
		assertThat(this.channel.sentTo(1, Message.Notice.class)).containsExactly(new Message.Notice(
				Message.Notice.STOPPING, "restart-requested", "the application asked for a restart"));
		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
		instanceExits(1, 143);
		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(status().history().get(0).cause()).isEqualTo(EndCause.RESTART_REQUESTED);
	}

	// ---- mark failed, startup timeout, data, warn signal
	// ---------------------------------------

	@Test
	void markFailedKillsTheInstanceAndExitsWithStateFailed() {
		startedInstance(applicationDriven(), false);

		receive(1, new Message.MarkFailed());

		assertThat(this.channel.sentTo(1, Message.Reply.class)).last().isEqualTo(Message.Reply.ok());
		assertThat(this.channel.sentTo(1, Message.Notice.class)).extracting(Message.Notice::cause)
			.containsExactly("marked-failed");
		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.KILL));
		assertThat(status().state()).isEqualTo(SamState.FAILED);
		assertThat(this.loop.settings().recoveryPolicy()).isEqualTo(RecoveryPolicy.QUIT);
		instanceExits(1, 137);
		assertThat(this.exit.statuses).containsExactly(137);
		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(status().state()).isEqualTo(SamState.FAILED);
		assertThat(status().history()).extracting(InstanceRecord::cause).containsExactly(EndCause.MARKED_FAILED);
	}

	@Test
	void markFailedWhileRegisteredAlsoEndsSupervision() {
		newLoop(applicationDriven());
		this.loop.start(now());
		hello(1, applicationDriven());

		receive(1, new Message.MarkFailed());
		instanceExits(1, 137);

		assertThat(this.exit.statuses).containsExactly(137);
		assertThat(status().state()).isEqualTo(SamState.FAILED);
	}

	@Test
	void anInstanceThatIsNotReadyWithinTheStartupTimeoutIsRecovered() {
		SamSettings settings = applicationDriven().toBuilder().startupTimeout(Duration.ofSeconds(30)).build();
		newLoop(settings);
		this.loop.start(now());
		long launched = now();
		assertThat(this.loop.nextDeadline(now())).isEqualTo(launched + Duration.ofSeconds(30).toNanos());
		elapse(Duration.ofSeconds(10));
		hello(1, settings);

		elapse(Duration.ofSeconds(20).minusNanos(ONE_NANO));
		assertThat(this.os.kills).isEmpty();
		elapse(Duration.ofNanos(ONE_NANO));

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		instanceExits(1, 143);
		assertThat(status().history().get(0).cause()).isEqualTo(EndCause.STARTUP_TIMEOUT);
		assertThat(this.launcher.tickets).hasSize(2);
	}

	@Test
	void anInstanceThatStartsWithinTheStartupTimeoutIsNotRecoveredForIt() {
		SamSettings settings = applicationDriven().toBuilder()
			.timeInterval(Duration.ZERO)
			.startupTimeout(Duration.ofSeconds(30))
			.build();
		newLoop(settings);
		this.loop.start(now());
		hello(1, settings);
		elapse(Duration.ofSeconds(29));

		receive(1, new Message.Start(false));
		receive(1, new Message.Stop());
		elapse(Duration.ofHours(1));

		assertThat(this.os.kills).isEmpty();
	}

	@Test
	void dataAboveTheMaximumSizeIsRefusedAsTooBig() {
		SamSettings settings = applicationDriven().toBuilder().dataStoreMaxSize(16).build();
		startedInstance(settings, false);

		receive(1, new Message.DataStore(new byte[17]));
		Message.Reply tooBig = (Message.Reply) this.channel.lastTo(1);
		receive(1, new Message.DataStore(new byte[16]));
		Message.Reply fits = (Message.Reply) this.channel.lastTo(1);

		assertThat(tooBig.error()).isEqualTo(SamError.TOO_BIG.name());
		assertThat(tooBig.message()).contains("17").contains("16");
		assertThat(fits.isOk()).isTrue();
		assertThat(status().dataSize()).isEqualTo(16);
	}

	@Test
	void dataLargerThanALimitLoweredSinceIsDroppedWithAWarningAndSupervisionGoesOn() {
		startedInstance(applicationDriven().toBuilder().dataStoreMaxSize(32).build(), false);
		receive(1, new Message.DataStore(new byte[24]));
		instanceExits(1, 137);

		hello(2, applicationDriven().toBuilder().dataStoreMaxSize(16).build());

		Message.Welcome welcome = (Message.Welcome) this.channel.lastTo(2);
		assertThat(welcome.data()).as("a frame larger than instance 2 reads would end it").isNull();
		assertThat(status().dataSize()).isZero();
		assertThat(this.exit.statuses).isEmpty();
	}

	@Test
	void theChannelKeepsDataStoresOfTheRegisteredInstanceOnlyAndTheyReachTheNextInstance() {
		SamSettings settings = applicationDriven().toBuilder().dataStoreMaxSize(16).build();
		newLoop(settings);
		this.loop.start(now());
		ControlChannel.DataSink sink = this.channel.dataSink;
		assertThat(sink).as("registered by the loop").isNotNull();
		assertThat(sink.store(1, StoredBytes.bufferOf(new byte[] { 9 }))).as("before its hello: left to the loop")
			.isNull();
		hello(1, settings);
		receive(1, new Message.Start(false));

		Message.Reply kept = sink.store(1, StoredBytes.bufferOf(new byte[] { 1, 2 }));
		Message.Reply tooBig = sink.store(1, StoredBytes.bufferOf(new byte[17]));
		Message.Reply other = sink.store(2, StoredBytes.bufferOf(new byte[] { 7 }));

		assertThat(kept.isOk()).isTrue();
		assertThat(tooBig.error()).isEqualTo(SamError.TOO_BIG.name());
		assertThat(tooBig.message()).contains("17").contains("16");
		assertThat(other).as("not the current instance").isNull();
		assertThat(status().dataSize()).isEqualTo(2);
		instanceExits(1, 137);
		assertThat(sink.store(1, StoredBytes.bufferOf(new byte[] { 3 }))).as("after its exit").isNull();
		hello(2, settings);
		assertThat(((Message.Welcome) this.channel.lastTo(2)).data()).containsExactly(1, 2);
		assertThat(sink.store(2, null).isOk()).isTrue();
		assertThat(status().dataSize()).isZero();
	}

	@Test
	void aDataStoreKeptByTheChannelReArmsAnApplicationModeInstanceWithoutAnEvent() {
		startedInstance(applicationDriven(), false);
		elapse(Duration.ofSeconds(3));

		assertThat(this.channel.dataSink.store(1, StoredBytes.bufferOf(new byte[] { 1 })).isOk()).isTrue();
		elapse(Duration.ofSeconds(3));

		assertThat(this.queue).isEmpty();
		assertThat(this.os.kills).isEmpty();
		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + Duration.ofSeconds(1).toNanos());
	}

	@Test
	void aDataStoreKeptByTheChannelDoesNotReArmAnEventDrivenInstance() {
		startedInstance(eventDriven(), true);
		elapse(Duration.ofSeconds(3));

		assertThat(this.channel.dataSink.store(1, StoredBytes.bufferOf(new byte[] { 1 })).isOk()).isTrue();
		elapse(Duration.ofSeconds(1));

		assertThat(this.os.kills).hasSize(1);
	}

	@Test
	void nullOrEmptyDataRemovesTheStoredData() {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.DataStore(new byte[] { 1, 2, 3 }));
		assertThat(status().dataSize()).isEqualTo(3);

		receive(1, new Message.DataStore(null));
		assertThat(status().dataSize()).isZero();
		receive(1, new Message.DataStore(new byte[] { 1 }));
		receive(1, new Message.DataStore(new byte[0]));
		assertThat(status().dataSize()).isZero();

		instanceExits(1, 1);
		hello(2, applicationDriven());
		assertThat(((Message.Welcome) this.channel.lastTo(2)).data()).isNull();
	}

	@Test
	void aWarnSignalSetAtRunTimeOutlivesTheInstanceThatSetIt() {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.WarnSignalSet("SIGUSR1"));
		assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		instanceExits(1, 137);

		hello(2, applicationDriven().withWarnSignal(PosixSignal.TERM));
		receive(2, new Message.Start(false));
		assertThat(status().warnSignal()).isEqualTo("SIGUSR1");
		elapse(INTERVAL);

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(2), PosixSignal.USR1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "STOP", "SIGUSR2", "garbage", "99", "" })
	void aWarnSignalThatCannotWarnIsRefusedWithInvalidParam(String signal) {
		startedInstance(applicationDriven(), false);

		receive(1, new Message.WarnSignalSet(signal));

		Message.Reply reply = (Message.Reply) this.channel.lastTo(1);
		assertThat(reply.error()).isEqualTo(SamError.INVALID_PARAM.name());
		assertThat(this.loop.settings().warnSignal()).isEqualTo(PosixSignal.TERM);
	}

	@Test
	void aRefusedWarnSignalIsNotAppliedToTheNextInstance() {
		SamSettings noWarning = applicationDriven().toBuilder()
			.warnSignal(PosixSignal.KILL)
			.killDelay(Duration.ZERO)
			.build();
		startedInstance(noWarning, false);
		receive(1, new Message.WarnSignalSet("TERM"));
		Message.Reply reply = (Message.Reply) this.channel.lastTo(1);
		instanceExits(1, 137);

		assertThatCode(() -> hello(2, noWarning)).doesNotThrowAnyException();
		assertThat(this.loop.settings().warnSignal()).as("warn signal after a reply of %s", reply)
			.isEqualTo(reply.isOk() ? PosixSignal.TERM : PosixSignal.KILL);
	}

	@Test
	void aStatusRequestIsAnsweredWithTheSupervisorsStatus() throws ProtocolException {
		startedInstance(applicationDriven(), false);
		receive(1, new Message.DataStore(new byte[5]));

		receive(1, new Message.StatusRequest());

		SamStatus status = StatusMessages.fromMessage((Message.Status) this.channel.lastTo(1));
		assertThat(status.state()).isEqualTo(SamState.STARTED);
		assertThat(status.instanceId()).isEqualTo(1);
		assertThat(status.recoveryPolicy()).isEqualTo(RecoveryPolicy.RESTART);
		assertThat(status.pollPeriod()).isEqualTo(INTERVAL);
		assertThat(status.warnSignal()).isEqualTo("SIGTERM");
		assertThat(status.pid()).isEqualTo(FakeInstanceLauncher.pidOf(1));
		assertThat(status.supervisorPid()).isEqualTo(FakeNativeAccess.PID);
		assertThat(status.dataSize()).isEqualTo(5);
		assertThat(status.lastUpdated()).isEqualTo(WALL);
	}

	@Test
	void helloSettingsThatDoNotParseKeepThePreviousSettings() {
		newLoop(applicationDriven());
		this.loop.start(now());
		Map<String, String> settings = new HashMap<>(applicationDriven().toMap());
		settings.put("recovery-policy", "sometimes");

		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(new byte[32], 1, settings)), now());

		assertThat(this.loop.settings()).isEqualTo(applicationDriven());
		assertThat(this.channel.lastTo(1)).isInstanceOf(Message.Welcome.class);
	}

	@Test
	void helloWithADurationThatDoesNotParseKeepsThePreviousSettings() {
		newLoop(applicationDriven());
		this.loop.start(now());
		Map<String, String> settings = new HashMap<>(applicationDriven().toMap());
		settings.put("time-interval", "ten seconds");

		assertThatCode(() -> this.loop
			.handle(new SupervisorEvent.Connected(1, new Message.Hello(new byte[32], 1, settings)), now()))
			.doesNotThrowAnyException();
		assertThat(this.loop.settings()).isEqualTo(applicationDriven());
		assertThat(this.channel.lastTo(1)).isInstanceOf(Message.Welcome.class);
	}

	// ---- pass-through
	// -------------------------------------------------------------------------

	@Test
	void passThroughEnforcesNoChecksAndExitsWithTheInstancesStatus() {
		SamSettings passThrough = eventDriven().toBuilder().enabled(false).build();
		startedInstance(passThrough, true);

		assertThat(this.loop.nextDeadline(now())).isEqualTo(now() + FAR.toNanos());
		elapse(Duration.ofHours(1));
		assertThat(this.os.kills).isEmpty();
		assertThat(this.channel.sentTo(1, Message.HealthCheckRequest.class)).isEmpty();

		signal(PosixSignal.TERM);
		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		instanceExits(1, 0);

		assertThat(this.exit.statuses).containsExactly(0);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(value = PosixSignal.class, names = { "INT", "HUP" })
	void passThroughForwardsSignalsAsTheyCame(PosixSignal signal) {
		startedInstance(applicationDriven().toBuilder().enabled(false).build(), false);

		signal(signal);

		assertThat(this.os.kills).containsExactly(new Kill(FakeInstanceLauncher.pidOf(1), signal));
	}

	@Test
	void passThroughDoesNotRestartADeadInstance() {
		startedInstance(applicationDriven().toBuilder().enabled(false).build(), false);

		instanceExits(1, 137);

		assertThat(this.exit.statuses).containsExactly(137);
		assertThat(this.launcher.tickets).hasSize(1);
	}

	// ---- the nanosecond ticker may wrap
	// -------------------------------------------------------

	@Test
	void deadlinesWorkAcrossTheOverflowOfTheNanosecondTicker() {
		this.nanos.set(Long.MAX_VALUE - Duration.ofSeconds(2).toNanos());
		startedInstance(applicationDriven(), false);

		elapse(Duration.ofSeconds(3));
		receive(1, new Message.Heartbeat());
		assertThat(now()).isNegative();
		elapse(Duration.ofSeconds(3));
		assertThat(this.os.kills).isEmpty();
		elapse(Duration.ofSeconds(1));

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	private static SamSettings applicationDriven() {
		// Thread dumps (SIGQUIT before the warning) have their own test; here only the
		// warning and SIGKILL count.
		return SamSettings.builder()
			.timeInterval(INTERVAL)
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.threadDump(false)
			.build();
	}

	private static SamSettings eventDriven() {
		return SamSettings.builder()
			.timeInterval(INTERVAL)
			.healthCheckMode(HealthCheckMode.EVENT)
			.threadDump(false)
			.build();
	}

	/** The instances whose leftovers the loop sweeps, in order. */
	private List<Integer> sweptLeftovers() {
		List<Integer> swept = new ArrayList<>();
		this.loop.leftovers(new Leftovers() {

			@Override
			public void instanceEnded(int instanceId, Map<Long, Integer> running) {
				swept.add(instanceId);
			}

		});
		return swept;
	}

	private void newLoop(SamSettings initial) {
		this.loop = new SupervisorLoop(this.queue, initial, null, this.launcher, this.channel, this.os, this.exit,
				this.nanos::get, Clock.fixed(WALL, ZoneOffset.UTC));
	}

	/** A loop with instance 1 launched, registered with these settings and started. */
	private void startedInstance(SamSettings settings, boolean eventDriven) {
		newLoop(settings);
		this.loop.start(now());
		hello(1, settings);
		receive(1, new Message.Start(eventDriven));
	}

	/** Ends the current instance (1) and starts the next (2) with these settings. */
	private void startedInstanceAfterRestart(SamSettings settings) {
		instanceExits(1, 137);
		hello(2, settings);
		receive(2, new Message.Start(settings.healthCheckMode() == HealthCheckMode.EVENT));
	}

	private long now() {
		return this.nanos.get();
	}

	private SamStatus status() {
		return this.loop.status(now());
	}

	private void hello(int instanceId, SamSettings settings) {
		this.loop.handle(new SupervisorEvent.Connected(instanceId,
				new Message.Hello(this.launcher.tickets.get(instanceId - 1).secret(),
						FakeInstanceLauncher.pidOf(instanceId), settings.toMap())),
				now());
	}

	private void receive(int instanceId, Message message) {
		this.loop.handle(new SupervisorEvent.Received(instanceId, message), now());
	}

	private void signal(PosixSignal signal) {
		this.loop.handle(new SupervisorEvent.SignalReceived(signal), now());
	}

	/**
	 * Completes the instance's exit future, as the process ending would, and hands the
	 * loop the event it posts.
	 */
	private void instanceExits(int instanceId, int status) {
		this.launcher.instance(instanceId).exit().complete(status);
		SupervisorEvent event = this.queue.poll();
		assertThat(event).isEqualTo(new SupervisorEvent.InstanceExited(instanceId, status));
		this.loop.handle(event, now());
	}

	private static Message.HealthCheckResult result(long sequence, Outcome outcome) {
		return outcome.healthy() ? new Message.HealthCheckResult(sequence, outcome, null, null, 1_000)
				: new Message.HealthCheckResult(sequence, outcome, "database", "connection refused", 1_000);
	}

	/** Lets time pass, answering every health-check request as soon as it is sent. */
	private void answerEveryRequestFor(Duration duration, Outcome outcome) {
		long end = now() + duration.toNanos();
		int answered = this.channel.sentTo(currentId(), Message.HealthCheckRequest.class).size();
		this.loop.onTime(now());
		while (true) {
			List<Message.HealthCheckRequest> requests = this.channel.sentTo(currentId(),
					Message.HealthCheckRequest.class);
			for (; answered < requests.size(); answered++) {
				receive(currentId(), result(requests.get(answered).sequence(), outcome));
			}
			if (now() - end >= 0) {
				return;
			}
			long next = this.loop.nextDeadline(now());
			this.nanos.set((next - end < 0) ? next : end);
			this.loop.onTime(now());
		}
	}

	private int currentId() {
		return this.loop.current().id;
	}

	/**
	 * Lets time pass as the real loop would: waking at every deadline
	 * {@code nextDeadline} names up to the end, and once at the end.
	 */
	private void elapse(Duration duration) {
		LoopTime.elapse(this.loop, this.nanos, duration);
	}

}
