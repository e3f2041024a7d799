package io.samboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.HttpLoad;
import io.samboot.testsupport.HttpLoad.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hot standby on the packaged sample application, under HTTP load (a new connection
 * every millisecond from each of two senders): a SIGKILL, a SIGHUP, an endpoint restart
 * and a hung health check each hand the service to the parked standby, which accepts on
 * the socket the supervisor keeps. No request that begins after the failure fails.
 */
@Tag("process")
class StandbySampleProcessTests {

	private static final Duration START = Duration.ofSeconds(120);

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void everyFailureAndRestartIsTakenOverByTheStandbyWithoutAFailedRequest() throws Exception {
		try (SampleApp app = SampleApp.start("--sam.standby.enabled=true", "--sam.time-interval=2s",
				"--sam.kill-delay=1s", "--management.endpoint.sam.access=unrestricted")) {
			String first = awaitReadyStandby(app, 1);
			assertThat(app.post("/counter").statusCode()).isEqualTo(200);
			assertThat(app.post("/counter").statusCode()).isEqualTo(200);

			// SIGKILL of the active instance: the standby answers.
			long standby = standbyPid(first);
			Takeover crash = underLoad(app, standby, () -> OS.kill(SampleApp.number(first, "pid"), PosixSignal.KILL));
			System.out.println("standby, SIGKILL: first 200 from the standby " + crash.millis() + "ms after the kill; "
					+ crash.described(crash.failuresAfter()) + " failed requests begun after it, "
					+ crash.described(crash.inFlight()) + " in flight on the killed instance");
			// The one failure the kernel allows: an accept the killed JVM's acceptor
			// completes in the moment between the signal and its end (its connection is
			// reset); on a loaded machine that moment lasts tens of milliseconds. Any
			// later
			// connection waits in the queue for the standby.
			assertThat(crash.failuresAfter()).as(app.toString())
				.allSatisfy((failure) -> assertThat(failure.startNanos() - crash.atNanos()).isLessThan(250_000_000L))
				.hasSizeLessThanOrEqualTo(1);
			String second = awaitReadyStandby(app, 2);
			assertThat(second).contains("\"restartCount\":1", "\"cause\":\"exited\"", "\"promotions\":1");
			assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);

			// SIGHUP: promoted first, the old instance drains and stops.
			Takeover hup = underLoad(app, standbyPid(second), () -> OS.kill(app.supervisorPid(), PosixSignal.HUP));
			System.out
				.println("standby, SIGHUP: " + hup.failures().size() + " failed requests of " + hup.load().size());
			assertThat(hup.failures()).as(app.toString()).isEmpty();
			// The replaced instance's own shutdown still reaches the console (closing the
			// shared socket once pointed it at /dev/null), and its acceptor, whose
			// blocked accept that close ends, says nothing about it.
			long replaced = SampleApp.number(second, "pid");
			app.awaitLine(
					(line) -> line.contains(" " + replaced + " --- ") && line.contains("Graceful shutdown complete"),
					"the replaced instance's graceful shutdown", START);
			assertThat(app.find((line) -> line.contains("Socket accept failed"))).as(app.toString()).isEmpty();
			String third = awaitReadyStandby(app, 3);
			assertThat(third).contains("\"cause\":\"restart-requested\"");

			// The endpoint's restart: the same.
			Takeover endpoint = underLoad(app, standbyPid(third),
					() -> app.postJson("/actuator/sam", "{\"action\":\"restart\"}"));
			System.out.println("standby, POST /actuator/sam restart: " + endpoint.failures().size()
					+ " failed requests of " + endpoint.load().size());
			assertThat(endpoint.failures()).as(app.toString()).isEmpty();
			String fourth = awaitReadyStandby(app, 4);

			// A hung health check: the standby is promoted when the timeout is decided.
			long hangAt = System.nanoTime();
			Takeover hang = underLoad(app, standbyPid(fourth), () -> app.post("/chaos/hang"));
			System.out.println("standby, hang (time-interval 2s): first 200 from the standby "
					+ Duration.ofNanos(hang.firstAnswerNanos() - hangAt).toMillis() + "ms after the hang began");
			app.awaitLine("the standby took its place", START);
			String fifth = awaitReadyStandby(app, 5);
			assertThat(fifth).contains("\"cause\":\"health-check-timeout\"", "\"promotions\":4");
			assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);
			String prometheus = app.awaitGet("/actuator/prometheus", body -> body.contains("sam_promotions"), START);
			assertThat(prometheus).contains("sam_promotions_total 4.0", "sam_standby_ready 1.0");
		}
	}

	/** Waits until instance {@code id} serves and its standby is parked; its status. */
	private static String awaitReadyStandby(SampleApp app, int id) {
		return app.awaitGet("/actuator/sam", body -> body.contains("\"instanceId\":" + id)
				&& body.contains("\"state\":\"started\"") && body.contains("\"state\":\"ready\""), START);
	}

	private static long standbyPid(String status) {
		Matcher matcher = Pattern.compile("\"standby\":\\{[^}]*\"pid\":(\\d+)").matcher(status);
		assertThat(matcher.find()).as(status).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	/**
	 * Runs the action under load, until the standby answers and a second more; what the
	 * requests saw.
	 */
	private static Takeover underLoad(SampleApp app, long standby, ThrowingRunnable action) throws Exception {
		try (HttpLoad load = HttpLoad.start(app.port(), "/", 2, Duration.ofMillis(1), Duration.ofSeconds(10))) {
			await().atMost(START).until(() -> load.outcomes().stream().filter(Outcome::succeeded).count() > 50);
			long at = System.nanoTime();
			action.run();
			String answer = "\"pid\":" + standby;
			await().atMost(START).until(() -> firstAnswer(load, answer).isPresent());
			long firstAnswer = firstAnswer(load, answer).get().endNanos();
			await().atMost(START).until(() -> System.nanoTime() - firstAnswer > 1_000_000_000L);
			load.close();
			return new Takeover(at, firstAnswer, load.outcomes());
		}
	}

	private static Optional<Outcome> firstAnswer(HttpLoad load, String answer) {
		return load.outcomes()
			.stream()
			.filter((outcome) -> outcome.succeeded() && outcome.body().contains(answer))
			.min((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	private record Takeover(long atNanos, long firstAnswerNanos, List<Outcome> load) {

		long millis() {
			return Duration.ofNanos(this.firstAnswerNanos - this.atNanos).toMillis();
		}

		List<Outcome> failures() {
			return this.load.stream().filter((outcome) -> !outcome.succeeded()).toList();
		}

		/** What failed, each with when it began relative to the action. */
		List<String> described(List<Outcome> outcomes) {
			return outcomes.stream()
				.map((outcome) -> outcome.failure() + " @" + (outcome.startNanos() - this.atNanos) / 1000 + "us")
				.toList();
		}

		/**
		 * Failed requests that began after the action: those the standby should have
		 * taken.
		 */
		List<Outcome> failuresAfter() {
			return failures().stream().filter((outcome) -> outcome.startNanos() - this.atNanos > 0).toList();
		}

		/** Failed requests that had begun before: in flight on the instance that died. */
		List<Outcome> inFlight() {
			return failures().stream().filter((outcome) -> outcome.startNanos() - this.atNanos <= 0).toList();
		}

	}

}
