package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamStatus;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot standby's decisions in the supervisor loop, with a manual clock and fakes: when
 * the standby is launched, what promotes it, what a promotion makes of it, and what
 * happens when it fails.
 */
class SupervisorLoopStandbyTests {

	private static final Duration INTERVAL = Duration.ofSeconds(4);

	private final QueuedEvents queue = new QueuedEvents();

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final FakeExit exit = new FakeExit();

	private final AtomicLong nanos = new AtomicLong(7_000_000_000L);

	private SupervisorLoop loop;

	@Test
	void theStandbyIsLaunchedOnlyOnceTheActiveInstanceServesAndAMomentLater() {
		activeInstanceOne(standby());
		assertThat(this.launcher.tickets).hasSize(1);

		elapse(Standby.SETTLE.minusMillis(100));
		assertThat(this.launcher.tickets).as("two JVMs starting beside one that serves").hasSize(1);
		elapse(Duration.ofMillis(200));

		assertThat(this.launcher.tickets).hasSize(2);
		assertThat(this.launcher.lastTicket().instanceId()).isEqualTo(2);
		SamStatus status = status();
		assertThat(status.instanceId()).as("a standby is no instance yet").isEqualTo(1);
		assertThat(status.restartCount()).isZero();
		assertThat(status.standby().state()).isEqualTo("starting");
	}

	@Test
	void aStandbyIsWelcomedAsOneAndItsDataStoresWaitForItsPromotion() {
		parkedStandby();

		assertThat(this.channel.sentTo(2, Message.StandbyWelcome.class)).singleElement()
			.satisfies((welcome) -> assertThat(welcome.instanceId()).isEqualTo(2));
		receive(2, new Message.DataStore(new byte[] { 1 }));
		assertThat(((Message.Reply) this.channel.lastTo(2)).error()).isEqualTo("BAD_HANDLE");
		assertThat(status().standby().state()).isEqualTo("ready");
	}

	@Test
	void aCrashPromotesTheParkedStandbyAtOnceAsTheNextInstance() {
		parkedStandby();

		instanceExits(0, 137);

		assertThat(this.channel.lastTo(2)).isInstanceOf(Message.Welcome.class);
		assertThat(this.launcher.tickets).as("nothing launched: the standby took over").hasSize(2);
		SamStatus status = status();
		assertThat(status.instanceId()).isEqualTo(2);
		assertThat(status.restartCount()).isEqualTo(1);
		assertThat(status.promotions()).isEqualTo(1);
		assertThat(status.pid()).isEqualTo(FakeInstanceLauncher.pidOf(2));
		assertThat(status.history()).singleElement()
			.satisfies((record) -> assertThat(record.cause()).isEqualTo(EndCause.EXITED));
		assertThat(status.standby().state()).isEqualTo("none");
	}

	@Test
	void whatAnEndedInstanceLeftIsStoppedAfterThePromotionWithTheStandbyCountedAsRunning() {
		parkedStandby();
		List<String> calls = new ArrayList<>();
		this.loop.leftovers(new Leftovers() {

			@Override
			public void instanceEnded(int instanceId, Map<Long, Integer> running) {
				calls.add("ended " + instanceId + " " + running);
			}

			@Override
			public void supervisorExiting(Map<Long, Integer> running) {
				calls.add("exiting " + running);
			}

		});

		instanceExits(0, 137);
		assertThat(this.channel.lastTo(2)).isInstanceOf(Message.Welcome.class);
		assertThat(calls).containsExactly("ended 1 {" + FakeInstanceLauncher.pidOf(2) + "=2}");

		this.loop.handle(new SupervisorEvent.SignalReceived(PosixSignal.TERM), now());
		instanceExits(1, 143);
		assertThat(calls).containsExactly("ended 1 {" + FakeInstanceLauncher.pidOf(2) + "=2}", "exiting {}",
				"ended 2 {}");
	}

	@Test
	void aHungInstanceIsReplacedWhenItsTimeIsUpAndThenSignalled() {
		parkedStandby();

		// Instance 1 is hung; the parked standby says it is alive as it should.
		aliveFor(2, INTERVAL.plusMillis(10));

		assertThat(this.channel.lastTo(2)).isInstanceOf(Message.Welcome.class);
		assertThat(status().instanceId()).isEqualTo(2);
		assertThat(this.os.kills)
			.containsExactly(new FakeNativeAccess.Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		elapse(INTERVAL.plusMillis(10));
		assertThat(this.os.kills).as("SIGKILL after kill-delay, as without a standby")
			.contains(new FakeNativeAccess.Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.KILL));
		instanceExits(0, 137);
		assertThat(status().history()).singleElement()
			.satisfies((record) -> assertThat(record.cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT));
		assertThat(status().instanceId()).isEqualTo(2);
		assertThat(this.exit.statuses).isEmpty();
	}

	@Test
	void aRequestedRestartPromotesFirstThenStopsTheOldInstanceWhichIsStillAnswered() {
		parkedStandby();

		this.loop.handle(new SupervisorEvent.SignalReceived(PosixSignal.HUP), now());

		assertThat(this.channel.lastTo(2)).isInstanceOf(Message.Welcome.class);
		assertThat(this.os.kills)
			.containsExactly(new FakeNativeAccess.Kill(FakeInstanceLauncher.pidOf(1), PosixSignal.TERM));
		receive(1, new Message.Stop());
		assertThat(this.channel.lastTo(1)).as("its shutdown must not wait for an answer").isEqualTo(Message.Reply.ok());
		instanceExits(0, 143);
		assertThat(status().history()).singleElement()
			.satisfies((record) -> assertThat(record.cause()).isEqualTo(EndCause.RESTART_REQUESTED));
		assertThat(this.launcher.tickets).hasSize(2);
	}

	@Test
	void anInstanceThatDiesWhileTheStandbyStartsWaitsForItAndAStandbyThatDiesThenGivesWayToAColdStart() {
		activeInstanceOne(standby());
		elapse(Standby.SETTLE.plusMillis(10));
		instanceExits(0, 137);
		assertThat(status().standby().state()).isEqualTo("promoting");
		assertThat(this.launcher.tickets).as("never two instances with one id").hasSize(2);

		instanceExits(1, 1);

		assertThat(this.launcher.tickets).hasSize(3);
		assertThat(this.launcher.lastTicket().instanceId()).isEqualTo(2);
		assertThat(status().standby().failures()).isEqualTo(1);
	}

	@Test
	void aSilentStandbyIsKilledAndReplacedAfterADelay() {
		parkedStandby();

		// Instance 1 keeps sending heartbeats; the standby says nothing after it parked.
		aliveFor(1, INTERVAL.plusSeconds(1));

		assertThat(this.os.kills)
			.containsExactly(new FakeNativeAccess.Kill(FakeInstanceLauncher.pidOf(2), PosixSignal.KILL));
		instanceExits(1, 137);
		assertThat(status().standby().failures()).isEqualTo(1);
		assertThat(status().instanceId()).isEqualTo(1);
		aliveFor(1, Standby.FIRST_DELAY.plusSeconds(1));
		assertThat(this.launcher.tickets).as("a new standby after the delay").hasSize(3);
	}

	/** Time passes with this instance (or standby) sending a heartbeat every 500 ms. */
	private void aliveFor(int instanceId, Duration duration) {
		for (long waited = 0; waited < duration.toMillis(); waited += 500) {
			elapse(Duration.ofMillis(Math.min(500, duration.toMillis() - waited)));
			receive(instanceId, new Message.Heartbeat());
		}
	}

	@Test
	void withTheQuitPolicyNoStandbyIsEverStarted() {
		activeInstanceOne(SamSettings.builder()
			.timeInterval(INTERVAL)
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.threadDump(false)
			.standby(true)
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.build());

		aliveFor(1, Duration.ofSeconds(6));

		assertThat(this.launcher.tickets).hasSize(1);
		assertThat(status().standby()).isNull();
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	private static SamSettings standby() {
		return SamSettings.builder()
			.timeInterval(INTERVAL)
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.threadDump(false)
			.standby(true)
			.build();
	}

	private void activeInstanceOne(SamSettings settings) {
		this.loop = new SupervisorLoop(this.queue, settings, null, this.launcher, this.channel, this.os, this.exit,
				this.nanos::get, Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
		this.loop.start(now());
		hello(0, settings);
		receive(1, new Message.Start(false));
	}

	/** Instance 1 serves and its standby (instance 2 to be) is parked. */
	private void parkedStandby() {
		activeInstanceOne(standby());
		elapse(Standby.SETTLE.plusMillis(10));
		receive(1, new Message.Heartbeat());
		hello(1, standby());
		receive(2, new Message.StandbyReady());
		receive(1, new Message.Heartbeat());
	}

	/** The hello of the process of the launcher's {@code launch}-th launch. */
	private void hello(int launch, SamSettings settings) {
		InstanceLauncher.LaunchTicket ticket = this.launcher.tickets.get(launch);
		this.loop.handle(new SupervisorEvent.Connected(ticket.instanceId(),
				new Message.Hello(ticket.secret(), FakeInstanceLauncher.pidOf(ticket.instanceId()), settings.toMap())),
				now());
	}

	private void receive(int instanceId, Message message) {
		this.loop.handle(new SupervisorEvent.Received(instanceId, message), now());
	}

	/** The process of the launcher's {@code launch}-th launch exits. */
	private void instanceExits(int launch, int status) {
		this.launcher.launched.get(launch).exit().complete(status);
		SupervisorEvent event = this.queue.poll();
		assertThat(event).isInstanceOf(SupervisorEvent.InstanceExited.class);
		this.loop.handle(event, now());
	}

	private void elapse(Duration duration) {
		LoopTime.elapse(this.loop, this.nanos, duration);
	}

	private long now() {
		return this.nanos.get();
	}

	private SamStatus status() {
		return this.loop.status(now());
	}

}
