package io.samboot.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.samboot.PosixSignal;
import io.samboot.conformance.SamFixture;
import io.samboot.nativeaccess.DatagramSink;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The supervisor of a real application ({@link SamFixture}'s {@code heartbeat} scenario)
 * started the way systemd starts a {@code Type=notify} unit with {@code WatchdogSec=0.4}:
 * {@code NOTIFY_SOCKET} names a datagram socket this test binds, and the messages are
 * read from it in order. Signals go only to the supervisor and the instance this test
 * started.
 */
@Tag("process")
class SystemdNotifierProcessTests {

	private static final Duration STEP = Duration.ofSeconds(20);

	private static final NativeAccess OS = NativeAccess.get();

	@TempDir
	Path directory;

	@BeforeEach
	void linuxWithJna() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
	}

	@Test
	void readyWatchdogReloadingReadyStoppingInOrder() throws Exception {
		try (DatagramSink sink = DatagramSink.bindAbstract();
				SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(),
						Map.of("NOTIFY_SOCKET", sink.address(), "WATCHDOG_USEC", "400000"), "heartbeat", "500")) {
			long first = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			int ready = awaitIndex(sink, app, "READY=1\n", 0);
			assertThat(sink.messages().get(ready)).contains("STATUS=instance 1 started")
				.contains("MAINPID=" + app.supervisorPid());
			await("three watchdog pings").atMost(STEP)
				.until(() -> sink.messages().stream().filter("WATCHDOG=1\n"::equals).count() >= 3);

			OS.kill(app.supervisorPid(), PosixSignal.HUP);
			int reloading = awaitIndex(sink, app, "RELOADING=1\n", ready);
			int readyAgain = awaitIndex(sink, app, "READY=1\n", reloading);
			assertThat(sink.messages().get(readyAgain)).contains("STATUS=instance 2 started");
			assertThat(sink.messages().subList(ready, reloading)).contains("WATCHDOG=1\n");

			OS.kill(app.supervisorPid(), PosixSignal.TERM);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 15);
			int stopping = awaitIndex(sink, app, "STOPPING=1\n", readyAgain);
			assertThat(sink.messages().get(stopping)).contains("instance 2 shutdown: stopping");
			assertThat(sink.messages().get(sink.messages().size() - 1))
				.startsWith("STOPPING=1\nSTATUS=supervisor exits with status 143");
		}
	}

	@Test
	void noWatchdogPingWhileAHungInstanceIsReplaced() throws Exception {
		try (DatagramSink sink = DatagramSink.bindPath(this.directory);
				SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(),
						Map.of("NOTIFY_SOCKET", sink.address(), "WATCHDOG_USEC", "400000"), "heartbeat", "500")) {
			long hung = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + hung + " started", STEP);
			int ready = awaitIndex(sink, app, "READY=1\n", 0);
			OS.kill(hung, PosixSignal.STOP);
			int timeout = awaitIndex(sink, app, "STATUS=instance 1 health-check-timeout: restarting", ready);
			int ended = awaitIndex(sink, app, "STATUS=instance 1 ended", timeout);
			int started = awaitIndex(sink, app, "STATUS=instance 2 started", ended);
			await("a ping for instance 2").atMost(STEP).until(() -> {
				// One snapshot: the sink's list grows while the test reads it.
				List<String> messages = sink.messages();
				return messages.subList(started, messages.size()).contains("WATCHDOG=1\n");
			});
			assertThat(sink.messages().subList(ended, started)).as(sink.toString()).doesNotContain("WATCHDOG=1\n");
			assertThat(sink.messages().subList(ready, started)).as(sink.toString())
				.filteredOn(m -> m.startsWith("READY"))
				.hasSize(1);
		}
	}

	/**
	 * Waits for a message that starts with {@code prefix} at index {@code from} or later
	 * and returns its index.
	 */
	private static int awaitIndex(DatagramSink sink, SupervisedApp app, String prefix, int from) {
		Predicate<String> predicate = message -> message.startsWith(prefix);
		try {
			await("a message starting with '" + prefix.replace("\n", "\\n") + "'").atMost(STEP)
				.pollInterval(Duration.ofMillis(10))
				.failFast("supervisor exited",
						() -> !app.supervisor().isAlive() && app.output().isComplete()
								&& indexOf(sink, predicate, from) < 0)
				.until(() -> indexOf(sink, predicate, from) >= 0);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(ex.getMessage() + " (is the SystemdNotifier a listener of the loop in"
					+ " Supervisor.superviseThisProcess?)\nreceived: " + sink.messages() + "\nsupervisor output:\n"
					+ app, ex);
		}
		return indexOf(sink, predicate, from);
	}

	private static int indexOf(DatagramSink sink, Predicate<String> predicate, int from) {
		List<String> messages = sink.messages();
		for (int i = from; i < messages.size(); i++) {
			if (predicate.test(messages.get(i))) {
				return i;
			}
		}
		return -1;
	}

}
