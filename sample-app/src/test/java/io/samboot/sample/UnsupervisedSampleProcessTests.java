package io.samboot.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample application with supervision switched off, as a user switches it
 * off: the application still starts and serves, its {@code SamClient} works locally, and
 * {@code /actuator/sam}, the health contributor and the meters say it is not supervised
 * instead of disappearing.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("process")
class UnsupervisedSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(60);

	@Test
	void withTheSystemPropertyItRunsUnsupervisedInTheProcessTheUserStarted() throws Exception {
		try (SampleApp app = SampleApp.start(List.of("-Dsam.enabled=false"))) {
			String root = app.awaitGet("/", body -> body.contains("\"instanceId\""), START);
			assertThat(SampleApp.number(root, "instanceId")).isZero();
			assertThat(SampleApp.number(root, "pid")).as("no relaunch: the process the user started serves")
				.isEqualTo(app.supervisorPid());
			assertThat(app.supervisor().descendants().filter(ProcessHandle::isAlive).count()).isZero();

			String sam = app.awaitGet("/actuator/sam", body -> true, START);
			assertThat(sam).contains("\"state\":\"registered\"", "\"history\":[]");
			assertThat(SampleApp.number(sam, "supervisorPid")).isEqualTo(-1);

			String health = app.awaitGet("/actuator/health", body -> true, START);
			assertThat(health).contains("\"status\":\"UP\"", "\"supervised\":false");
			assertThat(app.awaitGet("/actuator/prometheus", body -> true, START))
				.contains("sam_state{state=\"registered\"} 1.0", "sam_instance_id 0.0");

			// The data store works locally.
			assertThat(app.post("/counter").statusCode()).isEqualTo(200);
			assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(1);
			assertThat(app.find(line -> line.contains("SAM supervision is off: switched off with -Dsam.enabled=false")))
				.as(app.toString())
				.isPresent();
		}
	}

}
