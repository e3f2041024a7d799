package io.samboot.corosync;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.samboot.EndCause;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link CmapPublisher} and {@link CmapWriter} on a {@link FakeCmap}: what is written
 * when, in which order, after a lost daemon, and that nothing ever escapes to the
 * supervisor loop.
 */
class CmapPublisherTests {

	private static final String PREFIX = "resources.process.77.";

	private final FakeCmap cmap = new FakeCmap();

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final AtomicLong clock = new AtomicLong(1_000);

	private final CmapPublisher publisher = new CmapPublisher(new CmapWriter(this.cmap, PREFIX, ListLog.to(this.log),
			new Backoff(Duration.ofMillis(1), Duration.ofMillis(5))), this.clock::get, ListLog.to(this.log));

	@Test
	void recoveryCanOnlyBeQuitOrRestart() {
		Set<String> values = EnumSet.allOf(RecoveryPolicy.class)
			.stream()
			.map(CmapWriter::recoveryValue)
			.collect(Collectors.toSet());
		assertThat(values).containsExactlyInAnyOrder("quit", "restart");
	}

	@Test
	void registrationWritesRecoveryAndPollPeriodBeforeStateAndNoLastUpdated() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(3));
		flush();
		assertThat(this.cmap.calls()).containsExactly("cmap_initialize",
				"cmap_set_string " + PREFIX + "recovery=restart", "cmap_set_uint64 " + PREFIX + "poll_period=3000",
				"cmap_set_string " + PREFIX + "state=stopped");
	}

	@Test
	void startWritesLastUpdatedBeforeStateAndHealthOnlyLastUpdated() {
		register(RecoveryPolicy.QUIT, Duration.ofSeconds(1));
		flush();
		this.clock.set(5_000);
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		flush();
		this.clock.set(6_000);
		this.publisher.instanceHealthy(1);
		flush();
		assertThat(this.cmap.calls()).endsWith("cmap_set_uint64 " + PREFIX + "last_updated=<ns>",
				"cmap_set_string " + PREFIX + "state=running", "cmap_set_uint64 " + PREFIX + "last_updated=<ns>");
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "last_updated", 6_000L)
			.containsEntry(PREFIX + "state", "running")
			.containsEntry(PREFIX + "recovery", "quit");
	}

	@Test
	void unchangedValuesAreNotWrittenAgain() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		flush();
		int before = this.cmap.calls().size();
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		this.publisher.instanceLaunched(2, 99);
		flush();
		assertThat(this.cmap.calls()).hasSize(before);
	}

	@Test
	void aNewInstanceIsStoppedUntilItStarts() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		flush();
		this.publisher.endingDecided(1, EndCause.HEALTH_CHECK_TIMEOUT, "no heartbeat");
		this.publisher.instanceLaunched(2, 1234);
		flush();
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "stopped");
	}

	@Test
	void waitingForQuorumRefreshesLastUpdatedOnceAsTheStartRequestDid() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		this.clock.set(2_000);
		this.publisher.stateChanged(1, SamState.WAITING_FOR_QUORUM);
		flush();
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "waiting for quorum")
			.containsEntry(PREFIX + "last_updated", 2_000L);
		this.clock.set(9_000);
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		flush();
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "running")
			.containsEntry(PREFIX + "last_updated", 2_000L);
	}

	@Test
	void aCleanExitDeletesEveryKeyOfTheEntry() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		flush();
		this.cmap.map.put(PREFIX + "added_by_someone_else", "x");
		this.cmap.map.put("resources.process.78.state", "running");
		this.publisher.supervisorExiting(0, false);
		assertThat(this.cmap.entries()).containsOnlyKeys("resources.process.78.state");
		assertThat(this.cmap.calls()).last().isEqualTo("cmap_finalize");
	}

	@Test
	void aFailedExitLeavesStateFailed() {
		register(RecoveryPolicy.QUIT, Duration.ofSeconds(1));
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		this.publisher.supervisorExiting(1, true);
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "failed").containsKey(PREFIX + "recovery");
	}

	@Test
	void afterMarkFailedNothingTurnsTheStateBack() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		this.publisher.stateChanged(1, SamState.FAILED);
		this.publisher.stateChanged(1, SamState.REGISTERED);
		this.publisher.instanceLaunched(2, 5);
		this.publisher.supervisorExiting(137, false);
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "failed");
	}

	@Test
	void aRestartedDaemonGetsTheWholeEntryInOrder() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(2));
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		flush();
		this.cmap.restart();
		int before = this.cmap.calls().size();
		this.clock.set(7_000);
		this.publisher.instanceHealthy(1);
		flush();
		assertThat(this.cmap.calls().subList(before, this.cmap.calls().size())).containsExactly(
				"cmap_set_uint64 " + PREFIX + "last_updated=<ns>", "cmap_finalize", "cmap_initialize",
				"cmap_set_string " + PREFIX + "recovery=restart", "cmap_set_uint64 " + PREFIX + "poll_period=2000",
				"cmap_set_uint64 " + PREFIX + "last_updated=<ns>", "cmap_set_string " + PREFIX + "state=running");
		assertThat(this.log).hasSize(2);
		assertThat(this.log.get(0)).contains("lost the connection to corosync's CMAP", "CS_ERR_LIBRARY (2)");
		assertThat(this.log.get(1)).contains("reachable again");
	}

	@Test
	void aDaemonThatIsDownIsRetriedAndTheEntryWrittenWhenItComes() throws Exception {
		this.cmap.refuseConnections = CsError.CS_ERR_LIBRARY.code();
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		flush();
		assertThat(this.cmap.entries()).isEmpty();
		this.cmap.refuseConnections = 0;
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		// The retry writes the entries one by one, then says so: wait for the last of
		// them
		// and for its line.
		while ((!this.cmap.entries().containsKey(PREFIX + "state") || this.log.size() < 2)
				&& System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "stopped");
		assertThat(this.log).hasSize(2);
		assertThat(this.log.get(0)).contains("cannot connect to corosync's CMAP", "CS_ERR_LIBRARY (2)");
		assertThat(this.log.get(1)).contains("reachable again");
	}

	@Test
	void otherErrorsAreLoggedOnceAndDoNotReconnect() {
		register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
		flush();
		this.cmap.failNextCall = CsError.CS_ERR_NO_RESOURCES.code();
		this.publisher.instanceHealthy(1);
		flush();
		assertThat(this.cmap.connections).isEqualTo(1);
		assertThat(this.log).singleElement().asString().contains("CS_ERR_NO_RESOURCES (18)");
	}

	@Test
	void theListenerNeverThrows() {
		this.cmap.brokenWith = new IllegalStateException("broken library");
		assertThatNoException().isThrownBy(() -> {
			register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
			this.publisher.healthCheckingStarted(1);
			this.publisher.stateChanged(1, SamState.STARTED);
			this.publisher.instanceHealthy(1);
			this.publisher.healthCheckingStopped(1);
		});
		flush();
		assertThat(this.log).anySatisfy(line -> assertThat(line).contains("broken library"));
		assertThatNoException().isThrownBy(() -> this.publisher.supervisorExiting(0, false));
	}

	@Test
	void theListenerNeverWaitsForADaemonThatDoesNotAnswer() {
		CountDownLatch hung = new CountDownLatch(1);
		this.cmap.hang = hung;
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
				register(RecoveryPolicy.RESTART, Duration.ofSeconds(1));
				for (int i = 0; i < 10_000; i++) {
					this.clock.incrementAndGet();
					this.publisher.instanceHealthy(1);
				}
				this.publisher.stateChanged(1, SamState.STARTED);
			});
			assertThat(this.publisher.flush(Duration.ofMillis(50))).as("nothing written while corosync hangs")
				.isFalse();
		}
		finally {
			hung.countDown();
		}
		flush();
		assertThat(this.cmap.entries()).containsEntry(PREFIX + "state", "running")
			.containsEntry(PREFIX + "last_updated", this.clock.get());
		assertThat(this.cmap.calls())
			.as("10,000 updates while it hung: written once or twice (the batch the writer"
					+ " took before it hung, then the latest)")
			.filteredOn(call -> call.contains("last_updated"))
			.hasSizeBetween(1, 2);
	}

	private void register(RecoveryPolicy policy, Duration interval) {
		this.publisher.instanceRegistered(1,
				SamSettings.builder().recoveryPolicy(policy).timeInterval(interval).cmap(true).build());
		this.publisher.stateChanged(1, SamState.REGISTERED);
	}

	private void flush() {
		assertThat(this.publisher.flush(Duration.ofSeconds(5))).isTrue();
	}

}
