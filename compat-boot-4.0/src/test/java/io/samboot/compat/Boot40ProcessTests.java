package io.samboot.compat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.SupervisedProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lower end of the supported range: a web application built with Spring Boot 4.0.x
 * (its dependencies, plugin and loader) and the starter built against the project's
 * Spring Boot, started with {@code java -jar} as a user would. SAM's version check lets
 * it start, the process supervises its instance, and the health contributor, the meters
 * and a restart after SIGKILL all work.
 */
@Tag("process")
class Boot40ProcessTests {

	private static final Duration START = Duration.ofSeconds(60);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final String EXPECTED_BOOT = System.getProperty("compat.spring-boot.version", "4.0.7");

	@Test
	void aBoot40ApplicationIsSupervisedWithHealthAndMetersAndRestartedAfterSigkill() throws Exception {
		try (App app = App.start("--sam.time-interval=2s", "--sam.kill-delay=1s")) {
			String first = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""));
			assertThat(number(first, "instanceId")).isEqualTo(1);
			assertThat(number(first, "supervisorPid")).isEqualTo(app.supervisorPid());
			long firstPid = number(first, "pid");
			assertThat(firstPid).isNotEqualTo(app.supervisorPid());

			// The instance really runs the Spring Boot 4.0.x this module builds with.
			assertThat(app.awaitGet("/boot-version", body -> true)).contains("\"version\":\"" + EXPECTED_BOOT + "\"");
			assertThat(EXPECTED_BOOT).startsWith("4.0.");

			String health = app.awaitGet("/actuator/health", body -> body.contains("\"sam\""));
			assertThat(health).as(health).containsPattern("\"sam\":\\{([^{}]|\\{[^{}]*\\})*\"status\":\"UP\"");

			String prometheus = app.awaitGet("/actuator/prometheus", body -> body.contains("sam_"));
			assertThat(prometheus).as(prometheus)
				.containsPattern("# TYPE sam_restarts(_total)? counter")
				.containsPattern(sample("sam_restarts_total", "cause=\"exited\"", "0"))
				.containsPattern(sample("sam_state", "state=\"started\"", "1"));

			NativeAccess.get().kill(firstPid, PosixSignal.KILL);
			String second = app.awaitGet("/actuator/sam",
					body -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""));
			assertThat(second).contains("\"cause\":\"exited\"");
			assertThat(number(second, "pid")).isNotEqualTo(firstPid);
			assertThat(app.awaitGet("/actuator/prometheus", body -> body.contains("sam_")))
				.containsPattern(sample("sam_restarts_total", "cause=\"exited\"", "1"));

			assertThat(app.find(line -> line.contains("APPLICATION FAILED TO START"))).as(app.toString()).isEmpty();
			assertThat(app.find(line -> line.contains("SAM for Spring Boot supports Spring Boot"))).as(app.toString())
				.isEmpty();
		}
	}

	/** A Prometheus sample line: the name, a label among its labels, the value. */
	private static String sample(String name, String label, String value) {
		return "(?m)^" + Pattern.quote(name) + "\\{([^}]*,)?" + Pattern.quote(label) + "[,}][^ ]* "
				+ Pattern.quote(value) + "(\\.0)?$";
	}

	/** The first number after {@code "name":} in a JSON body. */
	private static long number(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
		if (!matcher.find()) {
			throw new AssertionError("no " + name + " in " + json);
		}
		return Long.parseLong(matcher.group(1));
	}

	/**
	 * The packaged application on a free loopback port; on close it kills exactly the
	 * processes it started.
	 */
	private static final class App extends SupervisedProcess {

		private final int port;

		private App(Process supervisor, int port) {
			super(supervisor);
			this.port = port;
		}

		static App start(String... arguments) throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
					"-jar", System.getProperty("compat.jar", "target/compat-boot-4.0-0.1.0-SNAPSHOT.jar"),
					"--server.port=" + port, "--server.address=127.0.0.1"));
			command.addAll(List.of(arguments));
			return new App(launch(command, Map.of()), port);
		}

		/**
		 * Waits until {@code GET path} answers 200 with a body the predicate accepts;
		 * returns the body.
		 */
		String awaitGet(String path, Predicate<String> body) {
			String[] last = new String[1];
			await("GET " + path).atMost(START)
				.pollInterval(Duration.ofMillis(100))
				.failFast("supervisor exited:\n" + this, () -> !supervisor().isAlive())
				.until(() -> {
					try {
						HttpResponse<String> response = HTTP
							.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
								.timeout(Duration.ofSeconds(5))
								.GET()
								.build(), HttpResponse.BodyHandlers.ofString());
						last[0] = response.body();
						return response.statusCode() == 200 && body.test(response.body());
					}
					catch (IOException ex) {
						return false;
					}
				});
			return last[0];
		}

	}

}
