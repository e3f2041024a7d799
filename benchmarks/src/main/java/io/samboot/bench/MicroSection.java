package io.samboot.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.met;
import static io.samboot.bench.Figures.ratio;
import static io.samboot.bench.Figures.us;

/**
 * The in-process figures ({@code --only micro}): JMH inside a supervised instance
 * ({@code hcSend}, data store and restore), the event-driven health-check round trip, and
 * the C program's timings of the same calls, three runs interleaved with the Java ones.
 */
final class MicroSection {

	private final SuiteContext context;

	private final Report report;

	MicroSection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	void run() throws Exception {
		heading("Micro-benchmarks: hcSend, data store/restore (inside a supervised instance), health-check round trip");
		List<Map<String, double[]>> corosync = new ArrayList<>();
		if (this.context.sambench() != null) {
			corosync.add(corosyncMicro(1));
		}
		Map<String, double[]> ours = supervisedJmh();
		if (this.context.sambench() != null) {
			corosync.add(corosyncMicro(2));
		}
		double[] roundTrip = roundTripJmh();
		if (this.context.sambench() != null) {
			corosync.add(corosyncMicro(3));
		}
		Map<String, double[]> theirs = MicroResults.medianOfRuns(corosync);

		this.report.details()
			.append("\n### Micro-benchmarks (microseconds)\n\n")
			.append("SAM for Spring Boot: JMH sample-time mode (dataRestoreAverage: average-time mode); hcSend and the data store inside a real supervised instance"
					+ " (SupervisedJmh, application mode), the round trip with the real ControlServer and an instance JVM.\n"
					+ "corosync: the same calls timed in the child with clock_gettime(CLOCK_MONOTONIC) around each call"
					+ " (dataRestoreAverage: one clock read around a batch), median of " + corosync.size()
					+ " runs.\n\n")
			.append("| call | side | n | p50 | p90 | p99 | mean | max |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (String name : List.of("hcSend", "hcSendPaced", "dataStore.1024", "dataStore.1048576", "dataRestore.1024",
				"dataRestoreAverage.1024", "dataRestore.1048576", "dataRestoreAverage.1048576")) {
			microRow(name, "SAM for Spring Boot", ours.get(name));
			microRow(name, "corosync libsam", theirs.get(name));
		}
		microRow("health-check round trip (event-driven, empty check)", "SAM for Spring Boot", roundTrip);
		this.report.details().append('\n');

		double[] paced = ours.get("hcSendPaced");
		double[] burst = ours.get("hcSend");
		double[] cPaced = theirs.get("hcSendPaced");
		double[] cBurst = theirs.get("hcSend");
		if (roundTrip != null) {
			this.report.row(5, "event-driven health-check round trip, empty check (p50, p99)",
					us(roundTrip[1]) + ", " + us(roundTrip[3]),
					"corosync hc_send, one-way, paced: "
							+ ((cPaced != null) ? us(cPaced[1]) + ", " + us(cPaced[3]) : "n/a"),
					(cPaced != null) ? ratio(roundTrip[1] / cPaced[1]) + " (p50)" : "", "p50 <= 30 us, p99 <= 200 us",
					met(roundTrip[1] <= 30 && roundTrip[3] <= 200));
		}
		if (paced != null && burst != null) {
			double worst = Math.max(paced[1], burst[1]);
			this.report.row(6, "`hcSend()` in application mode (median; paced 20 us apart / back to back)",
					us(paced[1]) + " / " + us(burst[1]),
					"corosync hc_send: " + ((cPaced != null) ? us(cPaced[1]) + " / " + us(cBurst[1]) : "n/a"),
					(cPaced != null) ? ratio(paced[1] / cPaced[1]) + " / " + ratio(burst[1] / cBurst[1]) : "",
					"<= 5 us median", met(worst <= 5));
		}
		for (String name : List.of("dataStore.1024", "dataRestoreAverage.1024", "dataStore.1048576",
				"dataRestoreAverage.1048576")) {
			double[] mine = ours.get(name);
			double[] other = theirs.get(name);
			if (mine == null) {
				continue;
			}
			String label = (name.startsWith("dataStore") ? "data store " : "data restore ")
					+ (name.endsWith(".1024") ? "1 KiB" : "1 MiB")
					+ (name.startsWith("dataStore") ? " (median of sampled calls)" : " (average over many calls)");
			this.report.row(7, label, us(mine[1]), (other != null) ? "corosync: " + us(other[1]) : "n/a",
					(other != null) ? ratio(mine[1] / other[1]) : "", "no slower than corosync",
					(other != null) ? met(mine[1] <= other[1]) : "n/a");
		}
	}

	private Map<String, double[]> corosyncMicro(int run) throws Exception {
		say("corosync libsam micro-benchmarks, run " + run);
		try (Launched c = Launched.start("corosync-micro-" + run, List.of(this.context.sambench().toString(), "micro"),
				Map.of(), this.context.logs())) {
			if (!c.awaitExit(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("sambench micro did not finish within 2 minutes");
			}
			c.awaitLine(0, line -> false, 200, TimeUnit.MILLISECONDS);
			return parseResults(c, "corosync");
		}
	}

	private Map<String, double[]> supervisedJmh() throws Exception {
		say("JMH inside a supervised instance (SupervisedJmh): hcSend, hcSendPaced, dataStore, dataRestore");
		List<String> command = new ArrayList<>(
				List.of(this.context.javaBin(), "-cp", this.context.classPath(), SupervisedJmh.class.getName()));
		if (this.context.quick()) {
			command.add("quick");
		}
		try (Launched jmh = Launched.start("jmh-supervised", command, Map.of(), this.context.logs())) {
			if (!jmh.awaitExit(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("SupervisedJmh did not finish within 10 minutes");
			}
			jmh.awaitLine(0, line -> false, 200, TimeUnit.MILLISECONDS);
			Map<String, double[]> results = parseResults(jmh, "java");
			if (results.isEmpty()) {
				throw new IllegalStateException(
						"SupervisedJmh printed no results; see " + this.context.logs().resolve("jmh-supervised.log"));
			}
			return results;
		}
	}

	/** {@code [n, p50, p90, p99, mean, min, max]} for the round trip, in microseconds. */
	private double[] roundTripJmh() throws Exception {
		say("JMH: event-driven health-check round trip (RoundTripBenchmark)");
		boolean quick = this.context.quick();
		OptionsBuilder options = new OptionsBuilder();
		options.include(RoundTripBenchmark.class.getName())
			.forks(1)
			.warmupIterations(quick ? 1 : 3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(quick ? 1 : 5)
			.measurementTime(TimeValue.seconds(quick ? 1 : 2))
			.output(this.context.logs().resolve("jmh-roundtrip.log").toString());
		Collection<RunResult> results = new Runner(options.build()).run();
		for (RunResult result : results) {
			double[] values = MicroResults.values(SupervisedJmh.resultLine("java", result));
			if (values != null) {
				return values;
			}
		}
		return null;
	}

	private static Map<String, double[]> parseResults(Launched process, String side) {
		return MicroResults.parse(process.linesMatching(0, text -> text.startsWith("RESULT " + side + " "))
			.stream()
			.map(Launched.Line::text)
			.toList());
	}

	private void microRow(String name, String side, double[] v) {
		if (v == null) {
			return;
		}
		StringBuilder details = this.report.details();
		details.append("| ").append(name).append(" | ").append(side).append(" | ").append((long) v[0]);
		for (int i : new int[] { 1, 2, 3, 4, 6 }) {
			details.append(" | ").append(Stats.num(v[i]));
		}
		details.append(" |\n");
	}

}
