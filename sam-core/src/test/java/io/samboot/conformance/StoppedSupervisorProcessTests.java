package io.samboot.conformance;

import java.time.Duration;
import java.util.List;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A supervisor that is stopped (SIGSTOP, as a frozen cgroup, {@code docker pause} or a
 * paused VM stop it) must not kill a healthy instance when it runs again: the instance's
 * heartbeats could not reach it, so its deadline starts over.
 */
@Tag("process")
class StoppedSupervisorProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	@Test
	void aSupervisorStoppedLongerThanTheTimeIntervalGivesTheInstanceAFreshDeadline() throws Exception {
		// Heartbeats every 1.25 s, time interval 5 s, the supervisor stopped for 7 s:
		// every
		// deadline passes while it cannot see the heartbeats waiting in its socket.
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "5000")) {
			app.awaitLine("MARK iid=1 pid=", STEP);
			app.awaitLine("instance 1 (pid", STEP);
			app.awaitLine("started health checking", STEP);
			NativeAccess os = NativeAccess.get();
			os.kill(app.supervisorPid(), PosixSignal.STOP);
			long stopped = System.nanoTime();
			await().pollInterval(Duration.ofMillis(50))
				.atMost(STEP)
				.until(() -> System.nanoTime() - stopped > Duration.ofSeconds(7).toNanos());
			os.kill(app.supervisorPid(), PosixSignal.CONT);

			// Either the loop notices it woke late ("the supervisor was not scheduled for
			// ...") or the heartbeats that waited in its socket reach it before any
			// deadline
			// is looked at; what must never happen is a kill.
			long resumed = System.nanoTime();
			await().pollInterval(Duration.ofMillis(100))
				.atMost(STEP)
				.until(() -> System.nanoTime() - resumed > Duration.ofSeconds(6).toNanos());
			assertThat(app.output().find((line) -> line.contains("health-check-timeout"))).as(app.toString()).isEmpty();
			assertThat(app.output().find((line) -> line.contains("launched instance 2"))).isEmpty();
		}
	}

	@Test
	void statusCallsGiveUpWhileTheSupervisorIsStoppedAndLateAnswersReachNoLaterCaller() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "status-reader",
				"5000")) {
			app.awaitLine("MARK status ok instance 1", STEP);
			NativeAccess os = NativeAccess.get();
			os.kill(app.supervisorPid(), PosixSignal.STOP);
			String timedOut;
			try {
				timedOut = app.awaitLine("MARK status TIMEOUT", STEP);
			}
			finally {
				os.kill(app.supervisorPid(), PosixSignal.CONT);
			}
			long millis = Long.parseLong(timedOut.replaceAll(".* in (\\d+)ms.*", "$1"));
			assertThat(millis).as("a status read gives up after SamSession.STATUS_TIMEOUT (2s), not 30s")
				.isBetween(1_900L, 6_000L);

			app.awaitLine("MARK status ok instance 1", STEP);
			assertThat(app.awaitLine("MARK store after a timeout", STEP)).as(app.toString())
				.contains("store after a timeout ok, restored 3 bytes");
			assertThat(app.output().find((line) -> line.contains("health-check-timeout"))).as(app.toString()).isEmpty();
		}
	}

}
