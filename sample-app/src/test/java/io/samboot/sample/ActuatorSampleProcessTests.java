package io.samboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Actuator shows of a supervised application, from the packaged sample started with
 * {@code java -jar}: the Prometheus scrape parsed (a restart counter by cause, the
 * instance id as a tag), the {@code sam} info entry, the instance secret absent from
 * {@code /actuator/env} and {@code /actuator/configprops} even with every value shown,
 * and the endpoint's {@code restart} granted without {@code mark-failed}.
 */
@Tag("process")
class ActuatorSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(60);

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void showsRestartsByCauseAndInfoHidesTheSecretAndGrantsOnlyRestart() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.time-interval=2s", "--sam.kill-delay=1s",
				"--management.endpoints.web.exposure.include=health,info,sam,prometheus,env,configprops",
				"--management.endpoint.env.show-values=always", "--management.endpoint.configprops.show-values=always",
				"--management.endpoint.sam.access=unrestricted", "--management.endpoint.sam.actions=restart")) {
			String first = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
			long firstPid = SampleApp.number(first, "pid");

			// The secret the supervisor gave instance 1, read from its process
			// environment.
			String secret = environmentOf(firstPid).get("SAM_INSTANCE_SECRET");
			assertThat(secret).as("instance 1's secret").isNotBlank();
			String env = app.awaitGet("/actuator/env", body -> true, START);
			assertThat(env).contains("SAM_SUPERVISOR_PID").doesNotContain("SAM_INSTANCE_SECRET").doesNotContain(secret);
			String configprops = app.awaitGet("/actuator/configprops", body -> true, START);
			assertThat(configprops).contains("\"sam\"").doesNotContain(secret);

			// Write access is granted, but only for restart.
			assertThat(app.postJson("/actuator/sam", "{\"action\":\"mark-failed\"}").statusCode()).isEqualTo(400);
			assertThat(app.postJson("/actuator/sam", "{\"action\":\"restart\"}").statusCode()).isEqualTo(200);
			String second = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);
			assertThat(second).contains("\"cause\":\"restart-requested\"");

			// SIGKILL of instance 2: cause exited.
			OS.kill(SampleApp.number(second, "pid"), PosixSignal.KILL);
			String third = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":3") && body.contains("\"state\":\"started\""), START);
			assertThat(third).contains("\"cause\":\"exited\"");

			Scrape scrape = new Scrape(app.awaitGet("/actuator/prometheus", body -> body.contains("sam_"), START));
			assertThat(scrape.type("sam_restarts_total")).isEqualTo("counter");
			assertThat(scrape.value("sam_restarts_total{cause=\"restart-requested\"")).isEqualTo(1.0);
			assertThat(scrape.value("sam_restarts_total{cause=\"exited\"")).isEqualTo(1.0);
			assertThat(scrape.value("sam_restarts_total{cause=\"health-check-timeout\"")).isZero();
			assertThat(scrape.value("sam_restarts_total{cause=\"unknown\"")).isZero();
			assertThat(scrape.type("sam_info")).isEqualTo("gauge");
			assertThat(scrape.value("sam_info{instance_id=\"3\"")).isEqualTo(1.0);
			assertThat(scrape.value("sam_state{state=\"started\"")).isEqualTo(1.0);
			assertThat(scrape.type("sam_healthcheck_seconds")).isEqualTo("summary");
			assertThat(scrape.text).contains("sam_instance_id 3.0").doesNotContain("# TYPE sam_restarts gauge");

			String info = app.awaitGet("/actuator/info", body -> body.contains("\"sam\""), START);
			assertThat(SampleApp.number(info, "instanceId")).isEqualTo(3);
			assertThat(SampleApp.number(info, "supervisorPid")).isEqualTo(app.supervisorPid());
			assertThat(SampleApp.number(info, "restartCount")).isEqualTo(2);
			assertThat(info).contains("\"state\":\"started\"");

			OS.kill(app.supervisorPid(), PosixSignal.TERM);
			assertThat(app.awaitExit(START)).as(app.toString()).isEqualTo(128 + 15);
		}
	}

	private static Map<String, String> environmentOf(long pid) throws IOException {
		Map<String, String> environment = new HashMap<>();
		String all = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
				StandardCharsets.UTF_8);
		for (String entry : all.split("\0")) {
			int equals = entry.indexOf('=');
			if (equals > 0) {
				environment.put(entry.substring(0, equals), entry.substring(equals + 1));
			}
		}
		return environment;
	}

	/** A Prometheus text scrape: the {@code # TYPE} lines and the samples. */
	private static final class Scrape {

		private final String text;

		Scrape(String text) {
			this.text = text;
		}

		String type(String name) {
			return this.text.lines()
				.filter((line) -> line.startsWith("# TYPE " + name + " "))
				.map((line) -> line.substring(("# TYPE " + name + " ").length()).trim())
				.findFirst()
				.orElseThrow(() -> new AssertionError("no # TYPE " + name + " in\n" + this.text));
		}

		/** The value of the one sample whose line starts with {@code prefix}. */
		double value(String prefix) {
			return this.text.lines()
				.filter((line) -> line.startsWith(prefix))
				.map((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.reduce((a, b) -> {
					throw new AssertionError("more than one sample starts with " + prefix);
				})
				.orElseThrow(() -> new AssertionError("no sample " + prefix + " in\n" + this.text));
		}

	}

}
