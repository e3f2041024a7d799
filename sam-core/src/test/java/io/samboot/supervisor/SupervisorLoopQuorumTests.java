package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Quorum in the supervisor loop, with a fake quorum source: start waits, losing quorum
 * recovers.
 */
class SupervisorLoopQuorumTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private final QueuedEvents queue = new QueuedEvents();

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final FakeExit exit = new FakeExit();

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final List<SamState> states = new ArrayList<>();

	private final FakeQuorum quorum = new FakeQuorum();

	private final SamSettings settings = SamSettings.builder()
		.timeInterval(INTERVAL)
		.quorum(true)
		.threadDump(false)
		.healthCheckMode(HealthCheckMode.APPLICATION)
		.build();

	private final SupervisorLoop loop = new SupervisorLoop(this.queue, this.settings, null, this.launcher, this.channel,
			this.os, this.exit, this.nanos::get, Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC));

	SupervisorLoopQuorumTests() {
		this.loop.clusterServices(new ClusterServices() {
			@Override
			public void checkAvailable(boolean quorum, boolean cmap) {
			}

			@Override
			public QuorumSource quorum() {
				return SupervisorLoopQuorumTests.this.quorum;
			}

			@Override
			public SupervisorListener cmap(long supervisorPid) {
				throw new ClusterUnavailableException("cmap", "not in this test");
			}
		});
		this.loop.addListener(new SupervisorListener() {
			@Override
			public void stateChanged(int instanceId, SamState state) {
				SupervisorLoopQuorumTests.this.states.add(state);
			}
		});
	}

	@Test
	void startWaitsUntilQuorateThenChecksBegin() {
		registered(1);
		this.quorum.report(false);
		receive(1, new Message.Start(false));

		assertThat(this.channel.sentTo(1, Message.Reply.class)).last()
			.isEqualTo(new Message.Reply(null, Message.Reply.WAITING_FOR_QUORUM));
		assertThat(this.loop.status(now()).state()).isEqualTo(SamState.WAITING_FOR_QUORUM);
		assertThat(this.loop.status(now()).quorate()).isFalse();
		elapse(INTERVAL.multipliedBy(5));
		assertThat(this.os.kills).isEmpty();

		this.quorum.report(true);
		assertThat(this.channel.sentTo(1, Message.QuorumStart.class)).hasSize(1);
		assertThat(this.loop.status(now()).state()).isEqualTo(SamState.STARTED);
		assertThat(this.states).containsSubsequence(SamState.REGISTERED, SamState.WAITING_FOR_QUORUM, SamState.STARTED);
	}

	@Test
	void losingQuorumWhileStartedWarnsThenKillsWithCauseQuorumLost() {
		registered(1);
		this.quorum.report(true);
		receive(1, new Message.Start(false));
		assertThat(this.channel.sentTo(1, Message.Reply.class)).last().isEqualTo(Message.Reply.ok());

		this.quorum.report(false);
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal).containsExactly(PosixSignal.TERM);
		elapse(INTERVAL);
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal)
			.containsExactly(PosixSignal.TERM, PosixSignal.KILL);
		instanceExits(1, 137);
		assertThat(this.loop.status(now()).history()).singleElement()
			.satisfies(record -> assertThat(record.cause()).isEqualTo(EndCause.QUORUM_LOST));

		// The next instance waits for quorum again.
		hello(2);
		receive(2, new Message.Start(false));
		assertThat(this.loop.status(now()).state()).isEqualTo(SamState.WAITING_FOR_QUORUM);
	}

	@Test
	void theInstanceIsToldOfQuorumLostThenThatItIsStoppedBeforeAnySignal() {
		registered(1);
		this.quorum.report(true);
		receive(1, new Message.Start(false));

		this.quorum.report(false);

		assertThat(this.channel.sentTo(1, Message.Notice.class)).extracting(Message.Notice::kind, Message.Notice::cause)
			.containsExactly(tuple(Message.Notice.QUORUM_REGAINED, null), tuple(Message.Notice.QUORUM_LOST, null),
					tuple(Message.Notice.STOPPING, "quorum-lost"));
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void aRegisteredInstanceIsToldWhenQuorumReturns() {
		registered(1);
		this.quorum.report(false);
		this.quorum.report(true);

		assertThat(this.channel.sentTo(1, Message.Notice.class)).extracting(Message.Notice::kind)
			.containsExactly(Message.Notice.QUORUM_LOST, Message.Notice.QUORUM_REGAINED);
	}

	@Test
	void anInstanceThatDiesWhileWaitingForQuorumIsRecovered() {
		registered(1);
		this.quorum.report(false);
		receive(1, new Message.Start(false));
		instanceExits(1, 0);
		assertThat(this.exit.statuses).isEmpty();
		assertThat(this.launcher.tickets).hasSize(2);
	}

	@Test
	void quorumLostBeforeStartChangesNothing() {
		registered(1);
		this.quorum.report(true);
		this.quorum.report(false);
		assertThat(this.os.kills).isEmpty();
	}

	private void registered(int id) {
		this.loop.start(now());
		hello(id);
		assertThat(this.quorum.sink).isNotNull();
	}

	private void hello(int id) {
		this.loop.handle(new SupervisorEvent.Connected(id, new Message.Hello(this.launcher.tickets.get(id - 1).secret(),
				FakeInstanceLauncher.pidOf(id), this.settings.toMap())), now());
	}

	private void receive(int id, Message message) {
		this.loop.handle(new SupervisorEvent.Received(id, message), now());
	}

	private void instanceExits(int id, int status) {
		this.launcher.instance(id).exit().complete(status);
		this.loop.handle(this.queue.poll(), now());
	}

	private long now() {
		return this.nanos.get();
	}

	private void elapse(Duration duration) {
		LoopTime.elapse(this.loop, this.nanos, duration);
	}

	/**
	 * A quorum source whose reports go straight to the loop, as the real one's posted
	 * events would.
	 */
	private final class FakeQuorum implements QuorumSource {

		Consumer<Boolean> sink;

		@Override
		public void start(Consumer<Boolean> changes) {
			this.sink = changes;
		}

		void report(boolean quorate) {
			this.sink.accept(quorate);
			SupervisorEvent event = SupervisorLoopQuorumTests.this.queue.poll();
			SupervisorLoopQuorumTests.this.loop.handle(event, now());
		}

		@Override
		public void close() {
		}

	}

}
