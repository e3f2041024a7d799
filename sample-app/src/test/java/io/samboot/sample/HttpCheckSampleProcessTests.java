package io.samboot.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The supervisor's HTTP liveness check ({@code sam.health-check.http.enabled}) on the
 * packaged sample application, against the fault an outside review found nothing caught:
 * an instance out of file descriptors (its limit lowered with the real {@code prlimit})
 * fails every accept of its web server, while its own health checks, which travel on a
 * channel it already holds, go on passing. The supervisor's GET gets no answer, and the
 * instance is recovered.
 */
@Tag("process")
class HttpCheckSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(120);

	private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

	@Test
	void anInstanceWhoseWebServerCannotAcceptIsRecovered() throws Exception {
		assumeTrue(Files.isExecutable(PRLIMIT) && Files.isDirectory(Path.of("/proc/self/fd")),
				"needs Linux's /proc and util-linux's prlimit");
		try (SampleApp app = SampleApp.start("--sam.health-check.http.enabled=true", "--sam.time-interval=2s",
				"--sam.kill-delay=1s")) {
			String url = "http://127.0.0.1:" + app.port() + "/actuator/health/liveness";
			String first = app.awaitGet("/actuator/sam", (body) -> body.contains("\"state\":\"started\""), START);
			long pid = SampleApp.number(first, "pid");
			app.awaitLine("instance 1 (pid " + pid + ") is also checked with GET " + url, START);

			outOfFileDescriptors(pid);

			String second = app.awaitGet("/actuator/sam",
					(body) -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);
			assertThat(second).as(app.toString())
				.contains("\"cause\":\"health-check-timeout\"")
				.contains("GET " + url + " had no answer within 1s");
			assertThat(app.find((line) -> line.contains("instance 1 (pid " + pid + ") HTTP check failed"))).isPresent();
			assertThat(app.awaitGet("/actuator/health/liveness", (body) -> body.contains("UP"), START))
				.as(app.toString())
				.contains("UP");
		}
	}

	/**
	 * Lowers the instance's descriptor limit below every descriptor it has but standard
	 * input, output and error: a new descriptor takes the lowest free number, so none can
	 * be made, while those it holds (its SAM channel, its open connections) go on
	 * working. The next accept fails with EMFILE.
	 */
	private static void outOfFileDescriptors(long pid) throws IOException, InterruptedException {
		Process prlimit = new ProcessBuilder(PRLIMIT.toString(), "--pid", Long.toString(pid), "--nofile=3:3")
			.redirectErrorStream(true)
			.start();
		assertThat(prlimit.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(prlimit.exitValue()).as(new String(prlimit.getInputStream().readAllBytes())).isZero();
	}

}
