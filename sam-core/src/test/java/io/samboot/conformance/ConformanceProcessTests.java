package io.samboot.conformance;

import java.time.Duration;
import java.util.List;

import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * corosync's own SAM test program (test/testsam.c), scenario by scenario, with real JVMs:
 * the fixture becomes the supervisor, its instances run the scenario, and the test reads
 * what the supervisor and the instances printed and how the supervisor exited. Every
 * scenario runs on the JDK running the tests and on the newest JDK installed, which must
 * print no warning.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class ConformanceProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	static List<Jdk> jdks() {
		return Jdk.available();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void restartPolicyRestartsAnInstanceThatStopsSendingAndChecksTheErrorCases(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "basics")) {
			app.awaitLine("MARK iid=1 stopped sending", STEP);
			app.awaitLine("instance 1 (pid " + app.instancePid(1, STEP) + ") health-check-timeout", STEP);
			app.awaitLine("MARK iid=2 survived while stopped", STEP);
			app.awaitLine("instance 2 (pid " + app.instancePid(2, STEP) + ") health-check-timeout", STEP);
			app.awaitLine("MARK iid=3 error cases checked", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isZero();
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void quitPolicySendsTheWarningSignalThenKillsAndQuits(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "quit-signal")) {
			app.awaitLine("MARK iid=1 got SIGTERM", STEP);
			app.awaitLine("sending SIGKILL", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 9);
			assertThat(app.output().find(line -> line.contains("MARK iid=2"))).isEmpty();
			assertThat(app.output().find(line -> line.contains("state failed"))).isPresent();
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void withoutTimeLimitAnInstanceThatKillsItselfIsRestarted(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "no-time-limit")) {
			app.awaitLine("MARK iid=4 exits without starting", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isZero();
			assertThat(app.output().count(line -> line.contains("killed by SIGKILL, cause exited"))).isEqualTo(3);
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void dataStoreSurvivesRestartsAndReportsCorosyncsErrors(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "data")) {
			app.awaitLine("MARK iid=3 data checked", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isZero();
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void eventDrivenCallbackThatFailsLeadsToWarningKillAndANewInstance(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "event-driven")) {
			app.awaitLine("health-check-failed: counter (called", STEP);
			app.awaitLine("MARK iid=2 callback ran", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isZero();
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void markFailedEndsSupervisionWithoutRestart(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "mark-failed")) {
			app.awaitLine("marked itself failed", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 9);
			assertThat(app.output().find(line -> line.contains("MARK iid=2"))).isEmpty();
			assertThat(app.output().find(line -> line.contains("cause marked-failed"))).isPresent();
			assertClean(jdk, app);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void warnSignalCanBeChangedAndKillMeansNoWarning(Jdk jdk) throws Exception {
		try (SupervisedApp app = SupervisedApp.start(jdk, SamFixture.class, List.of(), "warn-signal")) {
			app.awaitLine("MARK iid=1 got SIGUSR1", STEP);
			app.awaitLine("MARK iid=3 warn signals checked", STEP);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isZero();
			assertThat(app.output().find(line -> line.contains("MARK iid=2 got SIGUSR1"))).isEmpty();
			assertThat(app.output().find(line -> line.contains("sent SIGKILL (no warning signal)"))).isPresent();
			assertClean(jdk, app);
		}
	}

	/**
	 * No check inside the fixture failed, and the JVMs printed no warning (JNA's native
	 * access one included).
	 */
	private static void assertClean(Jdk jdk, SupervisedApp app) {
		assertThat(app.failures()).as(app.toString()).isEmpty();
		assertThat(app.output().find(line -> line.startsWith("WARNING"))).as(jdk + " output:\n" + app).isEmpty();
	}

}
