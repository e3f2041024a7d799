package io.samboot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;

/**
 * HTTP throughput with wrk ({@code --only throughput}): the supervised and the
 * unsupervised sample app running at the same time, warmed up, then pairs of runs in ABBA
 * order.
 */
final class ThroughputSection {

	private final SuiteContext context;

	private final Report report;

	ThroughputSection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	void run() throws Exception {
		if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
			say("no wrk (apt-get install -y wrk): throughput skipped");
			this.report.row(10, "HTTP throughput, event checks every 100 ms", "n/a (wrk missing)", "", "",
					"ratio >= 0.98", "n/a");
			return;
		}
		int duration = this.context.quick() ? 3 : 10;
		int pairs = this.context.quick() ? 1 : 6;
		heading("HTTP throughput with wrk (-t1 -c16, " + duration + " s runs, " + pairs
				+ " pairs in ABBA order after a 20 s warm-up each)");
		int supPort = SampleApp.freePort();
		int unsupPort = SampleApp.freePort();
		try (Launched sup = Launched.start("wrk-supervised",
				this.context.sampleCommand(true, supPort, "--sam.time-interval=400ms"), Map.of(), this.context.logs());
				Launched unsup = Launched.start("wrk-unsupervised", this.context.sampleCommand(false, unsupPort),
						Map.of(), this.context.logs())) {
			if (Http.awaitOk(supPort, -1, TimeUnit.SECONDS.toNanos(180), sup::isAlive) < 0
					|| Http.awaitOk(unsupPort, -1, TimeUnit.SECONDS.toNanos(180), unsup::isAlive) < 0) {
				throw new IllegalStateException("a sample app did not answer within 180s");
			}
			// Measure the application as it runs once ready: health checking starts at
			// ApplicationReadyEvent.
			sup.awaitLine(0, text -> text.contains("started health checking"), 180, TimeUnit.SECONDS);
			Thread.sleep(5000);
			int warmUp = this.context.quick() ? 3 : 20;
			long instance = SampleApp.currentInstance(sup);
			wrk(supPort, warmUp);
			wrk(unsupPort, warmUp);
			for (int again = 0; again < 2 && SampleApp.currentInstance(sup) != instance; again++) {
				// The supervisor replaced the instance during the warm-up: warm the new
				// one up too.
				say("  the supervised instance was restarted during the warm-up; warming up the new one");
				instance = SampleApp.currentInstance(sup);
				awaitReady(sup, supPort);
				wrk(supPort, warmUp);
			}
			int warmUpRestarts = sup
				.linesMatching(0, text -> text.contains("[sam-supervisor]") && text.contains(") ended"))
				.size();
			int from = sup.lineCount();
			List<Double> supervised = new ArrayList<>();
			List<Double> unsupervised = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			int lostPairs = 0;
			for (int pair = 0; pair < pairs; pair++) {
				double a;
				double b;
				long before = SampleApp.currentInstance(sup);
				if (pair % 2 == 0) {
					a = wrk(supPort, duration);
					b = wrk(unsupPort, duration);
				}
				else {
					b = wrk(unsupPort, duration);
					a = wrk(supPort, duration);
				}
				if (SampleApp.currentInstance(sup) != before || Double.isNaN(a) || Double.isNaN(b)) {
					say(String.format(Locale.ROOT,
							"  pair %d: the supervisor replaced the instance during the run"
									+ " (supervised %.0f req/s, unsupervised %.0f req/s); the pair is left out",
							pair + 1, a, b));
					lostPairs++;
					awaitReady(sup, supPort);
					continue;
				}
				supervised.add(a);
				unsupervised.add(b);
				ratios.add(a / b);
				say(String.format(Locale.ROOT, "  pair %d: supervised %.0f req/s, unsupervised %.0f req/s", pair + 1, a,
						b));
			}
			int restarts = sup
				.linesMatching(from, text -> text.contains("[sam-supervisor]") && text.contains(") ended"))
				.size();
			List<Launched.Line> warningLines = sup.linesMatching(from,
					text -> text.contains("[sam-supervisor]") && text.contains(" WARN "));
			int warnings = warningLines.size();
			long overlaps = warningLines.stream()
				.filter(line -> line.text().contains("the previous check has been running for 0ms"))
				.count();
			Stats s = Stats.of(supervised);
			Stats u = Stats.of(unsupervised);
			Stats r = Stats.of(ratios);
			this.report.details()
				.append("\n### HTTP throughput (requests per second, wrk -t1 -c16 -d")
				.append(duration)
				.append("s GET /)\n\nSupervised: `--sam.time-interval=400ms` (the supervisor asks for a check every"
						+ " 100 ms). Both applications run at the same time; runs alternate.\n\n")
				.append("| measure | median (range, n) | all |\n| --- | --- | --- |\n");
			this.report.detailLine("supervised", s);
			this.report.detailLine("unsupervised (-Dsam.enabled=false)", u);
			this.report.detailLine("ratio, paired", r);
			this.report.details()
				.append("\nPairs left out because the supervisor replaced the instance during them: ")
				.append(lostPairs)
				.append(". Instances the supervisor replaced during the warm-up: ")
				.append(warmUpRestarts)
				.append(". Supervisor warnings during the measured runs: ")
				.append(warnings)
				.append(" (of which \"the previous check has been running for 0ms\": ")
				.append(overlaps)
				.append("); instances ended (restarts): ")
				.append(restarts)
				.append(".\n\n");
			this.report.row(10, "HTTP throughput under wrk, event checks every 100 ms",
					(s.empty() ? "no pair completed" : s.format("req/s"))
							+ ((warmUpRestarts + restarts > 0) ? "; the supervisor restarted the instance "
									+ (warmUpRestarts + restarts) + " time(s) under load (health-check timeout)" : ""),
					"unsupervised: " + u.format("req/s"), Interval.ofMedian(r.values()).format(), "ratio >= 0.98",
					(warmUpRestarts + restarts == 0) ? Interval.ofMedian(r.values()).verdictAtLeast(0.98)
							: "**missed** (restarts under load)");
		}
	}

	/**
	 * Waits until the supervised app's current instance answers and has started health
	 * checking.
	 */
	private static void awaitReady(Launched app, int port) throws InterruptedException {
		Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), app::isAlive);
		long pid = SampleApp.currentInstance(app);
		app.awaitLine(0, text -> text.contains("(pid " + pid + ") started health checking"), 180, TimeUnit.SECONDS);
		Thread.sleep(2000);
	}

	/**
	 * Runs wrk against the sample app's {@code /}; returns requests per second, NaN when
	 * nothing answered.
	 */
	private double wrk(int port, int seconds) throws Exception {
		try (Launched wrk = Launched.start("wrk-" + port + "-" + System.nanoTime(),
				List.of("/usr/bin/wrk", "-t1", "-c16", "-d" + seconds + "s", "http://127.0.0.1:" + port + "/"),
				Map.of(), this.context.logs())) {
			if (!wrk.awaitExit(seconds + 30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("wrk did not finish");
			}
			Launched.Line line = wrk.awaitLine(0, text -> text.startsWith("Requests/sec:"), 2, TimeUnit.SECONDS);
			if (line == null) {
				// Nothing listened (the supervisor was replacing the instance).
				return Double.NaN;
			}
			List<Launched.Line> errors = wrk.linesMatching(0,
					text -> text.contains("Non-2xx") || text.contains("Socket errors"));
			if (!errors.isEmpty()) {
				say("  wrk: " + errors.get(0).text().trim());
			}
			return Double.parseDouble(line.text().substring("Requests/sec:".length()).trim());
		}
	}

}
