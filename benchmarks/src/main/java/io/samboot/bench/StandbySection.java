package io.samboot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;
import io.samboot.testsupport.HttpLoad;
import io.samboot.testsupport.HttpLoad.Outcome;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.met;
import static io.samboot.bench.Figures.ms;
import static io.samboot.bench.Figures.ratio;

/**
 * The hot standby against a cold restart ({@code --only standby}), in the same run: two
 * supervised sample applications, one with {@code sam.standby.enabled}, their active
 * instance killed with SIGKILL in alternate order round after round, each under HTTP load
 * (two senders, a new connection every millisecond). Then, on the standby's side only,
 * restarts by SIGHUP under load and hung health checks.
 */
final class StandbySection {

	/** The health-check time interval of both applications. */
	static final Duration TIME_INTERVAL = Duration.ofSeconds(2);

	private static final Pattern STANDBY_PID = Pattern.compile("\"standby\":\\{[^}]*\"pid\":(\\d+)");

	private static final long WAIT = TimeUnit.SECONDS.toNanos(180);

	private final SuiteContext context;

	private final Report report;

	StandbySection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	void run() throws Exception {
		int rounds = this.context.standbyRounds();
		heading("The hot standby against a cold restart (" + rounds + " SIGKILLs each, alternate order, under load)");
		List<Double> standbyOutage = new ArrayList<>();
		List<Double> coldOutage = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		List<Double> healthUp = new ArrayList<>();
		int cleanRuns = 0;
		List<Integer> failedPerRun = new ArrayList<>();
		long budget = System.nanoTime() + TimeUnit.MINUTES.toNanos(this.context.quick() ? 6 : 15);
		int standbyPort = SampleApp.freePort();
		int coldPort = SampleApp.freePort();
		// Kills follow each other within the restart window: without back-off, so each
		// failover and cold restart is measured as a first failure would be.
		String interval = "--sam.time-interval=" + TIME_INTERVAL.toSeconds() + "s";
		String noBackOff = "--sam.restart.delay=0";
		try (Launched standby = Launched.start("standby-on",
				this.context.sampleCommand(true, standbyPort, "--sam.standby.enabled=true", interval,
						"--sam.kill-delay=1s", noBackOff),
				Map.of(), this.context.logs());
				Launched cold = Launched.start("standby-off",
						this.context.sampleCommand(true, coldPort, interval, "--sam.kill-delay=1s", noBackOff),
						Map.of(), this.context.logs())) {
			int done = 0;
			for (int round = 0; round < rounds; round++) {
				if (round >= 2 && System.nanoTime() - budget > 0) {
					say("  the section's budget is spent (a loaded machine): stopping after " + round + " rounds");
					break;
				}
				Kill withStandby = null;
				Kill withoutStandby = null;
				for (boolean standbySide : (round % 2 == 0) ? new boolean[] { true, false }
						: new boolean[] { false, true }) {
					// Each kill on a quiet machine: the other side has settled (its next
					// standby parked, its new instance serving).
					awaitParkedStandby(standbyPort, standby);
					awaitServing(coldPort, cold);
					if (standbySide) {
						withStandby = kill(standby, standbyPort, true);
					}
					else {
						withoutStandby = kill(cold, coldPort, false);
					}
				}
				done++;
				standbyOutage.add(withStandby.outageMillis());
				coldOutage.add(withoutStandby.outageMillis());
				ratios.add(withStandby.outageMillis() / withoutStandby.outageMillis());
				healthUp.add(withStandby.healthUpMillis());
				failedPerRun.add(withStandby.failedAfter());
				if (withStandby.failedAfter() == 0) {
					cleanRuns++;
				}
				say(String.format(Locale.ROOT,
						"  round %d: standby %.0f ms (%d failed, health UP at %.0f ms), cold restart %.0f ms (%d failed)",
						round + 1, withStandby.outageMillis(), withStandby.failedAfter(), withStandby.healthUpMillis(),
						withoutStandby.outageMillis(), withoutStandby.failedAfter()));
			}
			List<Integer> hupFailures = new ArrayList<>();
			int hups = this.context.quick() ? 2 : rounds;
			for (int i = 0; i < hups && System.nanoTime() - budget < 0; i++) {
				hupFailures.add(restart(standby, standbyPort));
				say("  SIGHUP " + (i + 1) + ": " + hupFailures.get(i) + " failed requests");
			}
			List<Double> hangs = new ArrayList<>();
			for (int i = 0; i < (this.context.quick() ? 1 : 3) && System.nanoTime() - budget < 0; i++) {
				hangs.add(hang(standby, standbyPort));
				say(String.format(Locale.ROOT, "  hang %d: served by the standby %.0f ms after the hang began", i + 1,
						hangs.get(i)));
			}
			report(done, standbyOutage, coldOutage, ratios, healthUp, cleanRuns, failedPerRun, hupFailures, hangs);
		}
	}

	private void report(int rounds, List<Double> standbyOutage, List<Double> coldOutage, List<Double> ratios,
			List<Double> healthUp, int cleanRuns, List<Integer> failedPerRun, List<Integer> hupFailures,
			List<Double> hangs) {
		Stats outage = Stats.of(standbyOutage);
		Stats coldStats = Stats.of(coldOutage);
		Stats ratioStats = Stats.of(ratios);
		Stats health = Stats.of(healthUp);
		this.report.row(20, "standby: SIGKILL of the active instance -> first 200 (p50 / worst)",
				String.format(Locale.ROOT, "%.0f / %.0f ms", outage.median(), outage.max()),
				String.format(Locale.ROOT, "cold restart %.0f / %.0f ms", coldStats.median(), coldStats.max()),
				ratio(ratioStats.median()), "<= 50 / 150 ms", met(outage.median() <= 50 && outage.max() <= 150));
		this.report.row(21, "standby: runs without a failed request begun after the kill", cleanRuns + " of " + rounds,
				"", "", ">= 19 of 20", met(rounds > 0 && cleanRuns >= Math.ceil(rounds * 0.95)));
		Interval ratio = Interval.ofMedian(ratios);
		this.report.row(22, "standby: outage ratio standby / cold restart (median, paired)", ratio.format(), "", "",
				"<= 0.02", ratio.verdictAtMost(0.02));
		this.report.row(23, "standby: /actuator/health UP after the kill (p50 / worst)",
				String.format(Locale.ROOT, "%.0f / %.0f ms", health.median(), health.max()), "", "", "<= 150 ms",
				met(health.max() <= 150));
		long cleanHups = hupFailures.stream().filter((failed) -> failed == 0).count();
		this.report.row(24, "standby: SIGHUP under load, runs with 0 failed requests",
				cleanHups + " of " + hupFailures.size(), "", "", "20 of 20",
				met(!hupFailures.isEmpty() && cleanHups == hupFailures.size()));
		Stats hang = Stats.of(hangs);
		this.report.row(25, "standby: hang (time-interval 2 s) -> served by the standby (worst)",
				String.format(Locale.ROOT, "%.0f ms", hang.max()), "", "", "<= T + 100 ms",
				met(hang.max() <= TIME_INTERVAL.toMillis() + 100));
		this.report.details()
			.append("\n### The hot standby\n\n")
			.append(String.format(Locale.ROOT,
					"%d rounds; outage with the standby %s, cold restart %s; failed requests per standby run %s; "
							+ "SIGHUP failed requests %s; hang -> standby serving %s.%n",
					rounds, outage.format("ms"), coldStats.format("ms"), failedPerRun, hupFailures, hang.format("ms")));
	}

	/** The figures of one SIGKILL. */
	private record Kill(double outageMillis, double healthUpMillis, int failedAfter) {
	}

	/**
	 * Kills the active instance under load and waits until another answers; with the
	 * standby, also until {@code /actuator/health} says UP.
	 */
	private Kill kill(Launched app, int port, boolean standby) {
		long pid = Http.get(port, "/").pid();
		try (HttpLoad load = HttpLoad.start(port, "/", 2, Duration.ofMillis(1), Duration.ofSeconds(10))) {
			awaitAnswers(load, 20);
			long killed = System.nanoTime();
			this.context.os().kill(pid, PosixSignal.KILL);
			long answered = awaitAnswerFrom(load, pid, killed, app);
			double healthUp = Double.NaN;
			if (standby) {
				long up = awaitHealthUp(port, app);
				healthUp = ms(up - killed);
			}
			load.close();
			List<Outcome> failures = load.failures()
				.stream()
				.filter((outcome) -> outcome.startNanos() - killed > 0)
				.toList();
			if (standby) {
				sayFailures(failures, killed, "SIGKILL");
			}
			return new Kill(ms(answered - killed), healthUp, failures.size());
		}
	}

	/** A SIGHUP to the supervisor under load: the failed requests. */
	private int restart(Launched app, int port) {
		awaitParkedStandby(port, app);
		long pid = Http.get(port, "/").pid();
		try (HttpLoad load = HttpLoad.start(port, "/", 2, Duration.ofMillis(1), Duration.ofSeconds(10))) {
			awaitAnswers(load, 20);
			long at = System.nanoTime();
			this.context.os().kill(app.pid(), PosixSignal.HUP);
			long answered = awaitAnswerFrom(load, pid, at, app);
			await(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), app);
			long settled = System.nanoTime();
			await(() -> System.nanoTime() - settled > TimeUnit.MILLISECONDS.toNanos(500), app);
			load.close();
			sayFailures(load.failures(), at, "SIGHUP");
			return (answered > 0) ? load.failures().size() : -1;
		}
	}

	/**
	 * Says what failed and when, relative to the signal: what a reader needs to tell a
	 * refused connection from one cut short.
	 */
	private static void sayFailures(List<Outcome> failures, long signalled, String signal) {
		for (Outcome failed : failures) {
			say(String.format(Locale.ROOT, "    failed request begun %+.1f ms, ended %+.1f ms after the %s: %s",
					ms(failed.startNanos() - signalled), ms(failed.endNanos() - signalled), signal,
					(failed.failure() != null) ? failed.failure() : "HTTP " + failed.status()));
		}
	}

	/** A hung health check: milliseconds from the hang to a 200 from another instance. */
	private double hang(Launched app, int port) {
		awaitParkedStandby(port, app);
		long pid = Http.get(port, "/").pid();
		try (HttpLoad load = HttpLoad.start(port, "/", 2, Duration.ofMillis(1), Duration.ofSeconds(10))) {
			awaitAnswers(load, 20);
			long at = System.nanoTime();
			Http.post(port, "/chaos/hang");
			return ms(awaitAnswerFrom(load, pid, at, app) - at);
		}
	}

	private static void awaitAnswers(HttpLoad load, int count) {
		long deadline = System.nanoTime() + WAIT;
		while (load.outcomes().stream().filter(Outcome::succeeded).count() < count) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("the load got no answers");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	/**
	 * When the first 200 from a process other than {@code pid}, begun after
	 * {@code since}, ended.
	 */
	private static long awaitAnswerFrom(HttpLoad load, long pid, long since, Launched app) {
		long deadline = System.nanoTime() + WAIT;
		String old = "\"pid\":" + pid;
		while (true) {
			Optional<Outcome> first = load.outcomes()
				.stream()
				.filter((outcome) -> outcome.succeeded() && outcome.startNanos() - since > 0
						&& !outcome.body().contains(old))
				.min((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
			if (first.isPresent()) {
				return first.get().endNanos();
			}
			if (System.nanoTime() - deadline > 0 || !app.isAlive()) {
				throw new IllegalStateException(app.name() + ": no answer from a new instance");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	private static long awaitHealthUp(int port, Launched app) {
		long deadline = System.nanoTime() + WAIT;
		while (System.nanoTime() - deadline < 0 && app.isAlive()) {
			Http.Response response = Http.get(port, "/actuator/health");
			if (response.status() == 200 && response.body().contains("\"status\":\"UP\"")) {
				return System.nanoTime();
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		throw new IllegalStateException(app.name() + ": health never UP");
	}

	private static void awaitParkedStandby(int port, Launched app) {
		await(() -> {
			String body = Http.get(port, "/actuator/sam").body();
			Matcher matcher = STANDBY_PID.matcher(body);
			return body.contains("\"state\":\"started\"") && body.contains("\"state\":\"ready\"") && matcher.find();
		}, app);
	}

	private static void awaitServing(int port, Launched app) {
		await(() -> Http.get(port, "/actuator/sam").body().contains("\"state\":\"started\""), app);
	}

	private static void await(java.util.function.BooleanSupplier condition, Launched app) {
		long deadline = System.nanoTime() + WAIT;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0 || !app.isAlive()) {
				throw new IllegalStateException(app.name() + ": condition not met in time");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

}
