package io.samboot.corosync;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.corosync.CmapKeys.Typed;
import io.samboot.testsupport.CorosyncNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link CmapPublisher} against the real corosync 3 daemon, compared key by key, type by
 * type and value by value with what corosync's own libsam writes for the same policy and
 * the same steps (read back with {@code corosync-cmapctl}). {@code last_updated} differs
 * by nature: both must be the monotonic clock (the one {@link System#nanoTime()} reads)
 * at the step.
 */
@ResourceLock(CorosyncNode.LOCK)
@ExtendWith(CorosyncNode.MachineLock.class)
@Tag("process")
@Tag("corosync")
class CmapPublisherProcessTests {

	private static final int INTERVAL_MS = 1000;

	@TempDir
	static Path buildDir;

	private static LibsamProgram libsam;

	@TempDir
	Path dir;

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final long ourPid = ProcessHandle.current().pid();

	private CorosyncNode node;

	private CmapPublisher publisher;

	/**
	 * An entry read at one step, with the monotonic clock just before the step and just
	 * after the read.
	 */
	record Snapshot(Map<String, Typed> keys, long before, long after) {
	}

	@BeforeAll
	static void buildLibsamProgram() {
		CorosyncNode.assumeUsable();
		libsam = LibsamProgram.compile(buildDir);
	}

	@BeforeEach
	void requireCorosync() {
		CorosyncNode.assumeUsable();
	}

	@AfterEach
	void cleanUp() {
		if (this.node != null) {
			CmapKeys.delete(this.ourPid);
			this.node.close();
		}
	}

	@Test
	void restartPolicyLifecycleIsLibsams() throws Exception {
		this.node = CorosyncNode.start(this.dir, 1);
		Snapshot[] theirs = new Snapshot[5];
		try (LibsamProgram.Run sam = libsam.start("restart", INTERVAL_MS, false)) {
			long pid = sam.serverPid();
			theirs[0] = step(pid, () -> {
			});
			theirs[1] = step(pid, () -> expectOk(sam, "start"));
			theirs[2] = stepUntilUpdated(pid, theirs[1], () -> expectOk(sam, "hc"));
			theirs[3] = step(pid, () -> expectOk(sam, "stop"));
			theirs[4] = step(pid, () -> {
				expectOk(sam, "exit 0");
				assertThat(awaitExit(sam)).isZero();
			});
		}
		startPublisher();
		Snapshot[] ours = new Snapshot[5];
		ours[0] = ourStep(p -> register(p, RecoveryPolicy.RESTART));
		ours[1] = ourStep(p -> {
			p.healthCheckingStarted(1);
			p.stateChanged(1, SamState.STARTED);
		});
		ours[2] = ourStep(p -> p.instanceHealthy(1));
		ours[3] = ourStep(p -> {
			p.healthCheckingStopped(1);
			p.stateChanged(1, SamState.REGISTERED);
		});
		ours[4] = ourStep(p -> {
			p.instanceEnded(record(1, EndCause.EXITED, 0));
			p.supervisorExiting(0, false);
		});

		assertThat(theirs[0].keys())
			.hasToString("{poll_period=(u64) 1000, recovery=(str) restart, state=(str) stopped}");
		assertThat(theirs[1].keys().get("state")).hasToString("(str) running");
		assertThat(theirs[3].keys().get("state")).hasToString("(str) stopped");
		assertThat(theirs[4].keys()).as("libsam deletes the entry on a clean exit").isEmpty();
		assertSameEntries(ours, theirs);
		assertThat(ours[2].keys().get("last_updated").asLong()).as("a sign of health refreshes last_updated")
			.isGreaterThan(ours[1].keys().get("last_updated").asLong());
		assertThat(this.log).isEmpty();
	}

	@Test
	void quitAfterAFailureLeavesStateFailedAsLibsamDoes() throws Exception {
		this.node = CorosyncNode.start(this.dir, 1);
		Snapshot[] theirs = new Snapshot[3];
		try (LibsamProgram.Run sam = libsam.start("quit", INTERVAL_MS, false)) {
			long pid = sam.serverPid();
			try {
				theirs[0] = step(pid, () -> {
				});
				theirs[1] = step(pid, () -> expectOk(sam, "start"));
				theirs[2] = step(pid, () -> {
					expectOk(sam, "exit 1");
					assertThat(awaitExit(sam)).isEqualTo(1);
				});
			}
			finally {
				CmapKeys.delete(pid);
			}
		}
		startPublisher();
		Snapshot[] ours = new Snapshot[3];
		ours[0] = ourStep(p -> register(p, RecoveryPolicy.QUIT));
		ours[1] = ourStep(p -> {
			p.healthCheckingStarted(1);
			p.stateChanged(1, SamState.STARTED);
		});
		// What SupervisorLoop tells its listeners when the instance dies while started
		// and the policy is quit.
		ours[2] = ourStep(p -> {
			p.instanceEnded(record(1, EndCause.EXITED, 1));
			p.stateChanged(1, SamState.FAILED);
			p.supervisorExiting(1, true);
		});

		assertThat(theirs[2].keys().get("state")).hasToString("(str) failed");
		assertThat(theirs[2].keys().get("recovery")).hasToString("(str) quit");
		assertSameEntries(ours, theirs);
	}

	@Test
	void markFailedLeavesStateFailedAsLibsamDoes() throws Exception {
		this.node = CorosyncNode.start(this.dir, 1);
		Snapshot[] theirs = new Snapshot[2];
		try (LibsamProgram.Run sam = libsam.start("restart", INTERVAL_MS, false)) {
			long pid = sam.serverPid();
			try {
				theirs[0] = step(pid, () -> expectOk(sam, "start"));
				theirs[1] = step(pid, () -> {
					// Its answer may never come: libsam's server can end the process
					// first
					// (a busy build saw that once). What counts is the state it leaves.
					sam.command("markfailed");
					awaitExit(sam);
				});
			}
			finally {
				CmapKeys.delete(pid);
			}
		}
		startPublisher();
		Snapshot[] ours = new Snapshot[2];
		ours[0] = ourStep(p -> {
			register(p, RecoveryPolicy.RESTART);
			p.healthCheckingStarted(1);
			p.stateChanged(1, SamState.STARTED);
		});
		// What SupervisorLoop tells its listeners for markFailed(): state failed, the
		// kill, the exit.
		ours[1] = ourStep(p -> {
			p.stateChanged(1, SamState.FAILED);
			p.endingDecided(1, EndCause.MARKED_FAILED, "markFailed() called");
			p.instanceEnded(record(1, EndCause.MARKED_FAILED, 137));
			p.stateChanged(1, SamState.FAILED);
			p.supervisorExiting(137, true);
		});

		assertThat(theirs[1].keys().get("state")).hasToString("(str) failed");
		assertThat(theirs[1].keys().get("recovery")).as("libsam keeps the policy it registered with")
			.hasToString("(str) restart");
		assertSameEntries(ours, theirs);
	}

	@Test
	void waitingForQuorumIsLibsams() throws Exception {
		this.node = CorosyncNode.start(this.dir, 2);
		Snapshot[] theirs = new Snapshot[2];
		try (LibsamProgram.Run sam = libsam.start("quit", INTERVAL_MS, true)) {
			long pid = sam.serverPid();
			try {
				long before = System.nanoTime();
				sam.send("start");
				await().until(() -> "(str) waiting for quorum".equals(String.valueOf(CmapKeys.read(pid).get("state"))));
				theirs[0] = new Snapshot(CmapKeys.read(pid), before, System.nanoTime());
				theirs[1] = step(pid, () -> {
					assertThat(CorosyncNode.run(Duration.ofSeconds(10), "corosync-quorumtool", "-e", "1").exitCode())
						.isZero();
					assertThat(sam.line(Duration.ofSeconds(10))).startsWith("ok ").endsWith(" start");
				});
			}
			finally {
				sam.close();
				CmapKeys.delete(pid);
			}
		}
		startPublisher();
		Snapshot[] ours = new Snapshot[2];
		ours[0] = ourStep(p -> {
			register(p, RecoveryPolicy.QUIT);
			p.stateChanged(1, SamState.WAITING_FOR_QUORUM);
		});
		ours[1] = ourStep(p -> {
			p.healthCheckingStarted(1);
			p.stateChanged(1, SamState.STARTED);
		});

		assertThat(theirs[0].keys().get("state")).hasToString("(str) waiting for quorum");
		assertThat(theirs[1].keys().get("state")).hasToString("(str) running");
		assertSameEntries(ours, theirs);
	}

	@Test
	void aRestartedDaemonGetsTheWholeEntryAgain() throws Exception {
		this.node = CorosyncNode.start(this.dir.resolve("first"), 1);
		startPublisher();
		ourStep(p -> {
			register(p, RecoveryPolicy.RESTART);
			p.healthCheckingStarted(1);
			p.stateChanged(1, SamState.STARTED);
		});
		this.node.stop();
		this.node = CorosyncNode.start(this.dir.resolve("second"), 1);
		assertThat(CmapKeys.read(this.ourPid)).as("a new daemon starts with an empty CMAP").isEmpty();

		Snapshot healthy = ourStep(p -> p.instanceHealthy(1));
		assertThat(healthy.keys()).containsOnlyKeys("last_updated", "poll_period", "recovery", "state");
		assertThat(healthy.keys().get("state")).hasToString("(str) running");
		assertThat(healthy.keys().get("recovery")).hasToString("(str) restart");
		assertThat(healthy.keys().get("poll_period")).hasToString("(u64) 1000");
		assertThat(this.log).anySatisfy(
				line -> assertThat(line).contains("lost the connection to corosync's CMAP", "CS_ERR_LIBRARY (2)"));
		assertThat(this.log).anySatisfy(line -> assertThat(line).contains("reachable again"));
	}

	@Test
	void writesNothingWhileTheDaemonIsDownAndNeverThrows() throws Exception {
		startPublisher();
		long started = System.nanoTime();
		register(this.publisher, RecoveryPolicy.RESTART);
		this.publisher.healthCheckingStarted(1);
		this.publisher.stateChanged(1, SamState.STARTED);
		this.publisher.instanceHealthy(1);
		System.out.printf("listener calls without a daemon took %.2f ms%n", (System.nanoTime() - started) / 1e6);
		assertThat(this.publisher.flush(Duration.ofSeconds(5))).isTrue();
		await().untilAsserted(() -> assertThat(this.log).singleElement()
			.asString()
			.contains("cannot connect to corosync's CMAP", "CS_ERR_LIBRARY (2)", "will be written when it can"));

		this.node = CorosyncNode.start(this.dir, 1);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(CmapKeys.read(this.ourPid)).containsKeys("recovery", "state"));
		assertThat(CmapKeys.read(this.ourPid).get("state")).hasToString("(str) running");
	}

	// ---- steps
	// --------------------------------------------------------------------------------

	interface Step {

		void run() throws Exception;

	}

	private static Snapshot step(long pid, Step step) throws Exception {
		long before = System.nanoTime();
		step.run();
		return new Snapshot(CmapKeys.read(pid), before, System.nanoTime());
	}

	/**
	 * For libsam's one-way heartbeat: waits until its server has written the new
	 * last_updated.
	 */
	private static Snapshot stepUntilUpdated(long pid, Snapshot previous, Step step) throws Exception {
		long before = System.nanoTime();
		step.run();
		Typed old = previous.keys().get("last_updated");
		await().until(() -> !old.equals(CmapKeys.read(pid).get("last_updated")));
		return new Snapshot(CmapKeys.read(pid), before, System.nanoTime());
	}

	private Snapshot ourStep(Consumer<CmapPublisher> calls) {
		long before = System.nanoTime();
		calls.accept(this.publisher);
		assertThat(this.publisher.flush(Duration.ofSeconds(5))).as("written within 5s").isTrue();
		return new Snapshot(CmapKeys.read(this.ourPid), before, System.nanoTime());
	}

	private void startPublisher() {
		this.publisher = new CmapPublisher(
				new CmapWriter(CorosyncLibraries.cmap(CorosyncLibraries.DEFAULT_CMAP),
						CmapPublisher.prefix(this.ourPid), ListLog.to(this.log), CorosyncQuorumSource.defaultBackoff()),
				System::nanoTime, ListLog.to(this.log));
	}

	private static void register(CmapPublisher publisher, RecoveryPolicy policy) {
		SamSettings settings = SamSettings.builder()
			.timeInterval(Duration.ofMillis(INTERVAL_MS))
			.recoveryPolicy(policy)
			.cmap(true)
			.build();
		publisher.instanceRegistered(1, settings);
		publisher.stateChanged(1, SamState.REGISTERED);
	}

	private static InstanceRecord record(int id, EndCause cause, int status) {
		return new InstanceRecord(id, 4242, Instant.now(), Instant.now(), cause, status, null, null);
	}

	private static void expectOk(LibsamProgram.Run sam, String command) throws Exception {
		assertThat(sam.command(command)).as("libsam's answer to " + command).startsWith("ok ").endsWith(" " + command);
	}

	private static int awaitExit(LibsamProgram.Run sam) throws InterruptedException {
		return sam.awaitExit(Duration.ofSeconds(10));
	}

	/**
	 * Step by step: same keys, same types, same values; last_updated refreshed at the
	 * same steps, each time to the monotonic clock at that step.
	 */
	private static void assertSameEntries(Snapshot[] ours, Snapshot[] theirs) {
		for (int i = 0; i < ours.length; i++) {
			assertSameEntry("step " + i, ours[i], theirs[i], (i > 0) ? ours[i - 1] : null,
					(i > 0) ? theirs[i - 1] : null);
		}
	}

	private static void assertSameEntry(String step, Snapshot ours, Snapshot theirs, Snapshot oursBefore,
			Snapshot theirsBefore) {
		assertThat(ours.keys().keySet()).as(step + ": keys (ours, then libsam's)").isEqualTo(theirs.keys().keySet());
		for (Map.Entry<String, Typed> entry : theirs.keys().entrySet()) {
			String key = entry.getKey();
			Typed mine = ours.keys().get(key);
			assertThat(mine.type()).as(step + ": type of " + key).isEqualTo(entry.getValue().type());
			if (key.equals("last_updated")) {
				Typed theirsPrevious = (theirsBefore != null) ? theirsBefore.keys().get(key) : null;
				Typed oursPrevious = (oursBefore != null) ? oursBefore.keys().get(key) : null;
				if (entry.getValue().equals(theirsPrevious)) {
					assertThat(mine).as(step + ": libsam left last_updated as it was, so do we")
						.isEqualTo(oursPrevious);
				}
				else {
					assertThat(mine.asLong()).as(step + ": our last_updated is the monotonic clock at the step")
						.isBetween(ours.before(), ours.after());
					assertThat(entry.getValue().asLong()).as(step + ": libsam's last_updated is the same clock")
						.isBetween(theirs.before(), theirs.after());
				}
			}
			else {
				assertThat(mine.value()).as(step + ": value of " + key).isEqualTo(entry.getValue().value());
			}
		}
	}

}
