package io.samboot.conformance;

import java.time.Duration;
import java.util.List;

import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beyond corosync: back-off between restarts, a restart limit, and a thread dump before
 * the warning.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class RestartPolicyProcessTests {

	private static final Duration STEP = Duration.ofSeconds(30);

	@Test
	void aCrashLoopBacksOffThenGivesUpWithTheInstancesStatus() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "crash-loop")) {
			assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.toString()).isEqualTo(3);
			app.awaitLine("giving up, state failed", STEP);
			long[] expected = { 200, 400, 800 };
			for (int i = 0; i < expected.length; i++) {
				// "launched instance 2 (pid N), 201ms after instance 1 ended", measured
				// on the supervisor's monotonic clock.
				String launched = app.awaitLine("launched instance " + (i + 2), STEP);
				long gap = Long.parseLong(launched.replaceAll(".*, (\\d+)ms after instance.*", "$1"));
				String restarting = "restarting in " + expected[i] + "ms";
				assertThat(app.output().find(line -> line.contains(restarting))).isPresent();
				// Never earlier than the delay; the margin above it is for a busy 2-core
				// machine.
				assertThat(gap).as("gap before instance " + (i + 2) + "\n" + app)
					.isBetween(expected[i], expected[i] + 300);
			}
			assertThat(app.output().find(line -> line.contains("launched instance 5"))).isEmpty();
		}
	}

	@Test
	void aHungInstanceLeavesAThreadDumpBeforeItsWarningSignal() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "stop-sending")) {
			app.awaitLine("MARK iid=1 hangs", STEP);
			app.awaitLine("thread dump requested (SIGQUIT)", STEP);
			app.awaitLine("Full thread dump", STEP);
			app.awaitLine("health-check-timeout: no heartbeat", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 15);
			assertThat(app.output().find(line -> line.contains("thread dump taken"))).isPresent();
		}
	}

}
