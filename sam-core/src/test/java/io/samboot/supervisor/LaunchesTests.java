package io.samboot.supervisor;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.InstanceLauncher.LaunchTicket;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Instance after instance, launched or adopted, on one path. */
class LaunchesTests {

	private static final Instant WALL = Instant.parse("2026-12-01T10:00:00Z");

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final List<SupervisorEvent> posted = new ArrayList<>();

	private final RecordingListener listener = new RecordingListener();

	private final CapturedLog log = new CapturedLog();

	private final AtomicLong nanos = new AtomicLong(9_000_000_000L);

	private final Launches launches = new Launches(this.launcher, this.channel, 1000, this.posted::add, this.listener,
			this.log.log, Clock.fixed(WALL, ZoneOffset.UTC), this.nanos::get);

	@Test
	void eachLaunchHasTheNextIdAndASecretOfItsOwn() {
		SupervisedInstance first = this.launches.next(now());
		SupervisedInstance second = this.launches.next(now());

		assertThat(first.id).isEqualTo(1);
		assertThat(second.id).isEqualTo(2);
		LaunchTicket ticket = this.launcher.lastTicket();
		assertThat(ticket.secret()).hasSize(32).isNotEqualTo(this.launcher.tickets.get(0).secret());
		assertThat(ticket.socketPath()).isEqualTo(FakeControlChannel.SOCKET);
		assertThat(ticket.supervisorPid()).isEqualTo(1000);
	}

	@Test
	void theChannelExpectsTheSecretAndThenThePid() {
		this.launches.next(now());

		assertThat(this.channel.expectedSecrets.get(1)).isEqualTo(this.launcher.lastTicket().secret());
		assertThat(this.channel.expectedPids).containsEntry(1, FakeInstanceLauncher.pidOf(1));
	}

	@Test
	void theInstanceStartsWhenLaunched() {
		SupervisedInstance instance = this.launches.next(now());

		assertThat(instance.pid).isEqualTo(FakeInstanceLauncher.pidOf(1));
		assertThat(instance.startedAt).isEqualTo(WALL);
		assertThat(instance.launchedNanos).isEqualTo(now());
		assertThat(instance.lastAliveNanos).isEqualTo(now());
	}

	@Test
	void theExitOfAnInstanceIsPosted() {
		this.launches.next(now());

		this.launcher.instance(1).exit().complete(143);

		assertThat(this.posted).containsExactly(new SupervisorEvent.InstanceExited(1, 143));
	}

	@Test
	void anExitWithoutAStatusIsPostedAsOne() {
		this.launches.next(now());

		this.launcher.instance(1).exit().completeExceptionally(new IOException("gone"));

		assertThat(this.posted).containsExactly(new SupervisorEvent.InstanceExited(1, 1));
	}

	@Test
	void everyLaunchAfterTheFirstIsARestart() {
		this.launches.next(now());
		assertThat(this.launches.restartCount()).isZero();

		this.launches.next(now());
		this.launches.next(now());

		assertThat(this.launches.restartCount()).isEqualTo(2);
		assertThat(this.launches.lastId()).isEqualTo(3);
	}

	@Test
	void aFailedLaunchIsLoggedAndCountsNothing() {
		this.launcher.failNext = new IOException("no java here");

		assertThat(this.launches.next(now())).isNull();

		assertThat(this.launches.lastId()).isZero();
		assertThat(this.log.lines()).containsExactly("ERROR could not launch instance 1: no java here");
		assertThat(this.listener.heard).isEmpty();
	}

	@Test
	void theListenersAndTheLogHearOfEveryLaunch() {
		this.launches.next(now());

		assertThat(this.listener.heard).containsExactly("launched 1 " + FakeInstanceLauncher.pidOf(1));
		assertThat(this.log.lines()).containsExactly("INFO launched instance 1 (pid 2001)");
	}

	@Test
	void theLogSaysHowLongAfterTheLastEndTheNextWasLaunched() {
		SupervisedInstance first = this.launches.next(now());
		this.launches.ended(first, now());
		this.nanos.addAndGet(Duration.ofMillis(250).toNanos());

		this.launches.next(now());

		assertThat(this.log.lines()).last()
			.isEqualTo("INFO launched instance 2 (pid 2002), 250ms after instance 1 ended");
	}

	@Test
	void anEndedInstancesChannelIsClosed() {
		SupervisedInstance first = this.launches.next(now());

		this.launches.ended(first, now());

		assertThat(this.channel.disconnected).containsExactly(1);
	}

	@Test
	void anAdoptedFirstInstanceIsTakenOverInsteadOfLaunched() {
		CompletableFuture<Integer> exit = new CompletableFuture<>();
		long launchedNanos = now() - Duration.ofMillis(300).toNanos();
		this.launches.adoptFirst(new AdoptedInstance(new LaunchTicket(1, new byte[32], "/x", 1000),
				new LaunchedInstance(777, exit), launchedNanos, WALL.minusMillis(300)));

		SupervisedInstance adopted = this.launches.next(now());

		assertThat(this.launcher.tickets).isEmpty();
		assertThat(adopted.id).isEqualTo(1);
		assertThat(adopted.pid).isEqualTo(777);
		assertThat(adopted.launchedNanos).isEqualTo(launchedNanos);
		assertThat(adopted.startedAt).isEqualTo(WALL.minusMillis(300));
		assertThat(this.channel.expectedSecrets).as("the channel expected it before the loop ran").isEmpty();
		assertThat(this.channel.expectedPids).containsEntry(1, 777L);
		assertThat(this.listener.heard).containsExactly("launched 1 777");
		assertThat(this.log.lines())
			.containsExactly("INFO launched instance 1 (pid 777), 300ms before this supervisor JVM took it over");
	}

	@Test
	void anAdoptedInstanceIsWatchedLikeALaunchedOne() {
		CompletableFuture<Integer> exit = new CompletableFuture<>();
		this.launches.adoptFirst(new AdoptedInstance(new LaunchTicket(1, new byte[32], "/x", 1000),
				new LaunchedInstance(777, exit), now(), WALL));
		this.launches.next(now());

		exit.complete(137);

		assertThat(this.posted).containsExactly(new SupervisorEvent.InstanceExited(1, 137));
	}

	@Test
	void theInstanceAfterAnAdoptedOneIsLaunched() {
		this.launches.adoptFirst(new AdoptedInstance(new LaunchTicket(1, new byte[32], "/x", 1000),
				new LaunchedInstance(777, new CompletableFuture<>()), now(), WALL));
		this.launches.next(now());

		SupervisedInstance second = this.launches.next(now());

		assertThat(second.id).isEqualTo(2);
		assertThat(this.launcher.tickets).extracting(LaunchTicket::instanceId).containsExactly(2);
		assertThat(this.launches.restartCount()).isEqualTo(1);
	}

	@Test
	void anAdoptionForAnotherIdIsDroppedAndTheInstanceLaunched() {
		this.launches.adoptFirst(new AdoptedInstance(new LaunchTicket(2, new byte[32], "/x", 1000),
				new LaunchedInstance(777, new CompletableFuture<>()), now(), WALL));

		SupervisedInstance first = this.launches.next(now());
		SupervisedInstance second = this.launches.next(now());

		assertThat(first.pid).isEqualTo(FakeInstanceLauncher.pidOf(1));
		assertThat(second.pid).isEqualTo(FakeInstanceLauncher.pidOf(2));
	}

	private long now() {
		return this.nanos.get();
	}

}
