package io.samboot.conformance;

import java.time.Duration;
import java.util.List;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user sees from outside: signals to the supervisor and to the instance, with real
 * JVMs.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class SupervisorProcessTests {

	private static final Duration STEP = Duration.ofSeconds(20);

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void sigkillToTheSupervisorLeavesNoInstanceBehind() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "500")) {
			app.awaitLine("MARK iid=1 pid=", STEP);
			long instance = app.instancePid(1, STEP);
			OS.kill(app.supervisorPid(), PosixSignal.KILL);
			await("instance " + instance + " gone").atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !SupervisedApp.alive(instance));
		}
	}

	@Test
	void sigtermToTheSupervisorStopsBothWithTheInstancesStatus() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "500")) {
			long instance = app.instancePid(1, STEP);
			app.awaitLine("started", STEP);
			OS.kill(app.supervisorPid(), PosixSignal.TERM);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 15);
			assertThat(SupervisedApp.alive(instance)).isFalse();
			assertThat(app.output().find(line -> line.contains("launched instance 2"))).isEmpty();
			assertThat(app.output().find(line -> line.contains("cause shutdown"))).isPresent();
		}
	}

	@Test
	void sighupToTheSupervisorRestartsTheInstanceGracefully() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "500")) {
			long first = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			OS.kill(app.supervisorPid(), PosixSignal.HUP);
			long second = app.instancePid(2, STEP);
			assertThat(second).isNotEqualTo(first);
			assertThat(app.output().find(line -> line.contains("killed by SIGTERM, cause restart-requested")))
				.isPresent();
			assertThat(SupervisedApp.zombie(first)).isFalse();
			assertThat(app.supervisor().isAlive()).isTrue();
		}
	}

	@Test
	void aHungInstanceGetsTheWarningThenSigkillOnTimeAndIsReplaced() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "500")) {
			long hung = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + hung + " started", STEP);
			OS.kill(hung, PosixSignal.STOP);
			String warning = app.awaitLine("health-check-timeout: no heartbeat", STEP);
			String kill = app.awaitLine("sending SIGKILL", STEP);
			long instance2 = app.instancePid(2, STEP);
			// The supervisor measures on its monotonic clock: "is still running 500ms
			// after SIGTERM".
			long gapMillis = Long.parseLong(kill.replaceAll(".* is still running (\\d+)ms after SIGTERM.*", "$1"));
			// kill-delay defaults to the time interval (500 ms); the margin is for a busy
			// 2-core machine.
			assertThat(gapMillis).as(app.toString()).isBetween(500L, 800L);
			assertThat(app.output().find(line -> line.contains("killed by SIGKILL, cause health-check-timeout")))
				.isPresent();
			assertThat(SupervisedApp.alive(hung)).isFalse();
			assertThat(SupervisedApp.zombie(hung)).isFalse();
			assertThat(SupervisedApp.alive(instance2)).isTrue();
		}
	}

	@Test
	void anInstanceKilledFromOutsideIsRestartedAndNotLeftAZombie() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "500")) {
			long first = app.instancePid(1, STEP);
			app.awaitLine("MARK iid=1 pid=" + first + " started", STEP);
			OS.kill(first, PosixSignal.KILL);
			app.awaitLine("MARK iid=2 pid=", STEP);
			assertThat(app.output().find(line -> line.contains("killed by SIGKILL, cause exited"))).isPresent();
			assertThat(SupervisedApp.zombie(first)).isFalse();
		}
	}

}
