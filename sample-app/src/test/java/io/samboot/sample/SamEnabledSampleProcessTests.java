package io.samboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sam.enabled=false} wherever Spring Boot reads properties means one JVM and no
 * supervisor, with the jar's early launcher and without it; everywhere else the sample is
 * still supervised, and by the early launcher when nothing it can see mentions
 * {@code sam.enabled}.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class SamEnabledSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(90);

	@TempDir
	Path directory;

	@Test
	void aProfileFileInTheJarSwitchesItOff() throws Exception {
		try (SampleApp app = SampleApp.start("--spring.profiles.active=unsupervised")) {
			assertOneJvm(app);
			assertThat(app.find(line -> line.contains("sam.enabled may be set in")
					&& line.contains("application-unsupervised.yml (profile unsupervised)")))
				.as(app.toString())
				.isPresent();
		}
	}

	@Test
	void aProfileFileSwitchesItOffWithoutTheEarlyLauncher() throws Exception {
		try (SampleApp app = SampleApp.start(List.of("-Dsam.launcher.early=false"),
				"--spring.profiles.active=unsupervised")) {
			assertOneJvm(app);
		}
	}

	@Test
	void anApplicationYmlInTheWorkingDirectorySwitchesItOff() throws Exception {
		Files.writeString(this.directory.resolve("application.yml"), "sam:\n  enabled: false\n");
		try (SampleApp app = SampleApp.startIn(this.directory, List.of())) {
			assertOneJvm(app);
		}
	}

	@Test
	void aCommandLineArgumentSwitchesItOff() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.enabled=off")) {
			assertOneJvm(app);
		}
	}

	@Test
	void enabledInAnArgumentIsSupervisedDecidedBySpringBoot() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.enabled=true")) {
			String sam = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
			assertThat(SampleApp.number(sam, "instanceId")).isEqualTo(1);
			assertThat(SampleApp.number(sam, "supervisorPid")).isEqualTo(app.supervisorPid());
			assertThat(
					app.find(line -> line.contains("the early launcher leaves the decision to supervise to Spring Boot")
							&& line.contains("the argument --sam.enabled=true")))
				.as(app.toString())
				.isPresent();
		}
	}

	@Test
	void anUnusedProfileFileLeavesTheEarlyLauncherInCharge() throws Exception {
		try (SampleApp app = SampleApp.start()) {
			String sam = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
			assertThat(SampleApp.number(sam, "instanceId")).isEqualTo(1);
			// The supervisor's PID printed SAM's lines only: it took over before Spring.
			assertThat(app.find(line -> line.contains("the early launcher leaves the decision"))).isEmpty();
			assertThat(app.find(
					line -> line.contains(" " + app.supervisorPid() + " --- [") && !line.contains("[sam-supervisor]")))
				.as(app.toString())
				.isEmpty();
		}
	}

	private static void assertOneJvm(SampleApp app) {
		String root = app.awaitGet("/", body -> body.contains("\"instanceId\""), START);
		assertThat(SampleApp.number(root, "instanceId")).isZero();
		assertThat(SampleApp.number(root, "pid")).as("no relaunch: the process the user started serves")
			.isEqualTo(app.supervisorPid());
		assertThat(app.supervisor().descendants().filter(ProcessHandle::isAlive).count()).as(app.toString()).isZero();
		assertThat(SampleApp.number(app.awaitGet("/actuator/sam", body -> true, START), "supervisorPid")).isEqualTo(-1);
		assertThat(app.find(line -> line.contains("SAM supervision is off: switched off with sam.enabled=false")))
			.as(app.toString())
			.isPresent();
	}

}
