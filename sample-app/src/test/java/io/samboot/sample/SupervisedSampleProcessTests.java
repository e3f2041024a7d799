package io.samboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample application, started with {@code java -jar} as a user would, seen
 * through real HTTP and real signals: crash, hang and unhealthy instances are replaced
 * with the right cause, the counter in the SAM data store survives, the meters are
 * published, and SIGTERM ends it all.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class SupervisedSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(60);

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void survivesCrashHangAndUnhealthyInstancesKeepingItsCounterThenStopsOnSigterm() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.time-interval=2s", "--sam.kill-delay=1s")) {
			String first = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
			assertThat(SampleApp.number(first, "instanceId")).isEqualTo(1);
			assertThat(SampleApp.number(first, "supervisorPid")).isEqualTo(app.supervisorPid());
			// The jar's launcher (SamLayoutFactory) handed the JVM to SAM before Spring
			// Boot ran in it: the supervisor's PID printed SAM's lines only, and it
			// launched instance 1 before re-executing itself.
			String supervisorPid = " " + app.supervisorPid() + " --- [";
			assertThat(app.find(line -> line.contains(supervisorPid) && !line.contains("[sam-supervisor]")))
				.as(app.toString())
				.isEmpty();
			assertThat(app.find(line -> line.contains("(lean supervisor JVM)"))).as(app.toString()).isPresent();
			assertThat(app.find(line -> line.contains("before this supervisor JVM took it over"))).isPresent();
			assertThat(app.post("/counter").statusCode()).isEqualTo(200);
			assertThat(app.post("/counter").statusCode()).isEqualTo(200);

			// SIGKILL of the instance: replaced, cause "exited".
			OS.kill(SampleApp.number(first, "pid"), PosixSignal.KILL);
			String second = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);
			assertThat(second).contains("\"cause\":\"exited\"");
			assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);

			// A hung health check: warning, SIGKILL, new instance, cause
			// "health-check-timeout".
			app.post("/chaos/hang");
			String third = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":3") && body.contains("\"state\":\"started\""), START);
			assertThat(third).contains("\"cause\":\"health-check-timeout\"");
			app.awaitLine("sent SIGTERM, SIGKILL follows in 1s", START);

			// An unhealthy @SamHealthCheck: cause "health-check-failed".
			app.post("/chaos/unhealthy");
			String fourth = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":4") && body.contains("\"state\":\"started\""), START);
			assertThat(fourth).contains("\"cause\":\"health-check-failed\"");
			assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);
			assertThat(SampleApp.number(fourth, "restartCount")).isEqualTo(3);

			String prometheus = app.awaitGet("/actuator/prometheus", body -> body.contains("sam_info"), START);
			assertThat(prometheus).contains("sam_info{instance_id=\"4\"}", "sam_restarts_total{cause=\"exited\"} 1",
					"sam_restarts_total{cause=\"health-check-timeout\"} 1",
					"sam_restarts_total{cause=\"health-check-failed\"} 1", "sam_state", "sam_healthcheck",
					"sam_data_size");

			long instance = SampleApp.number(fourth, "pid");
			OS.kill(app.supervisorPid(), PosixSignal.TERM);
			assertThat(app.awaitExit(START)).as(app.toString()).isEqualTo(128 + 15);
			assertThat(SampleApp.alive(instance)).isFalse();
			assertThat(app.find(line -> line.contains("launched instance 5"))).isEmpty();
			// The instance shut down cleanly: no bean failed to close SAM a second time.
			assertThat(app.find(line -> line.contains("propagated an exception"))).as(app.toString()).isEmpty();
		}
	}

	@Test
	void fromItsSecondStartTheLauncherLoadsSamFromTheCopiesTheLeanJvmKeeps(@TempDir Path cache) throws Exception {
		Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
		try (SampleApp first = SampleApp.startIn(null, environment, List.of())) {
			first.awaitLine("started health checking", START);
		}
		List<Path> notes;
		try (Stream<Path> entries = Files.list(cache.resolve("sam-boot"))) {
			notes = entries.filter((entry) -> entry.getFileName().toString().startsWith("launch-")).toList();
		}
		assertThat(notes).hasSize(1);
		Path note = notes.get(0);
		Files.setLastModifiedTime(note, FileTime.fromMillis(1000));

		try (SampleApp second = SampleApp.startIn(null, environment, List.of())) {
			second.awaitLine("started health checking", START);
			// The launcher touches the note once it has checked every copy it names, and
			// only then loads SAM from them.
			assertThat(Files.getLastModifiedTime(note).toMillis()).as(second.toString()).isGreaterThan(1000);
			assertThat(second.find(line -> line.contains("(lean supervisor JVM)"))).as(second.toString()).isPresent();
		}
	}

	@Test
	void aBadValueInTheConfigurationStopsStartUpWithAnExplanationAndLeavesNothingRunning() throws Exception {
		// Without the early launcher: SAM takes over from Spring Boot's
		// ApplicationStartingEvent, as in any jar.
		try (SampleApp app = SampleApp.start(List.of("-Dsam.launcher.early=false"), "--sam.warn-signal=STOP")) {
			assertThat(app.awaitLine("(lean supervisor JVM)", START)).isNotNull();
			int status = app.awaitExit(START);
			assertThat(status).as(app.toString()).isNotZero();
			assertThat(app.find(line -> line.contains("APPLICATION FAILED TO START"))).as(app.toString()).isPresent();
			assertThat(app.find(line -> line.contains("sam.warn-signal"))).as(app.toString()).isPresent();
			assertThat(app
				.find(line -> line.contains("Origin: \"sam.warn-signal\" from property source \"commandLineArgs\"")))
				.as(app.toString())
				.isPresent();
			assertThat(app.supervisor().descendants().filter(ProcessHandle::isAlive).count()).isZero();
		}
	}

	/**
	 * A value SAM's own rules refuse is reported as Spring Boot reports a value it cannot
	 * bind: as written, with the file and line it came from.
	 */
	@Test
	void aValueSamRefusesIsReportedWithItsFileAndLine(@TempDir Path directory) throws Exception {
		Path config = directory.resolve("ops.yml");
		Files.writeString(config, "sam:\n  restart:\n    max-restarts: -1\n");
		try (SampleApp app = SampleApp.start("--spring.config.additional-location=file:" + config)) {
			int status = app.awaitExit(START);
			assertThat(status).as(app.toString()).isNotZero();
			assertThat(app.find(line -> line.contains("Value: \"-1\""))).as(app.toString()).isPresent();
			assertThat(app.find(line -> line.contains("Origin: URL [file:" + config + "] - 3:19"))).as(app.toString())
				.isPresent();
			assertThat(app.find(line -> line.contains("Update sam.restart.max-restarts"))).as(app.toString())
				.isPresent();
		}
	}

}
