package io.samboot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;

import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.met;
import static io.samboot.bench.Figures.ratio;

/**
 * The benchmark suite: every figure of the benchmarks issue in one run, SAM for Spring
 * Boot side by side with corosync's libsam (the C program {@code sambench}) on the same
 * machine in the same minutes. Started by {@code benchmarks/run.sh}, which builds the
 * jars and the C program first.
 *
 * <p>
 * Everything runs on loopback, bounded in time and count; the suite signals only
 * processes it started (and the instances those started), by PID. Runs that compare two
 * things are interleaved (ABBA order) and reported as medians, ranges and paired ratios,
 * because the machine is shared.
 *
 * <p>
 * This class reads the command line, runs the sections asked for ({@link MicroSection},
 * {@link DetectionSection}, {@link StartSection}, {@link IdleSection},
 * {@link ThroughputSection}), makes the rows that need more than one section and writes
 * the {@link Report}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.samboot.bench.Suite --sample-jar sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
 *      [--sambench benchmarks/target/sambench] [--out benchmarks/target/results] [--quick] [--rounds N]
 *      [--only micro,detection,start,idle,throughput,standby]
 * </pre>
 */
public final class Suite {

	private final SuiteContext context;

	private final SuiteArguments arguments;

	private Suite(SuiteArguments arguments) throws IOException {
		this.arguments = arguments;
		this.context = SuiteContext.create(arguments);
	}

	public static void main(String[] args) throws Exception {
		SuiteArguments arguments;
		try {
			arguments = SuiteArguments.parse(args);
		}
		catch (SuiteArguments.UnknownArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(64);
			return;
		}
		if (arguments.sambench() != null && !Files.isExecutable(arguments.sambench())) {
			System.err.println("no corosync column: " + arguments.sambench()
					+ " is not an executable (build it with gcc and libsam-dev, as benchmarks/run.sh does)");
			arguments = arguments.withoutSambench();
		}
		if (arguments.only().contains("standby")
				&& ProcFs.ignores(ProcessHandle.current().pid(), PosixSignal.HUP.number())) {
			System.err.println("SIGHUP is ignored here (started under nohup?), and every supervisor the suite starts"
					+ " would ignore it too: the standby section's SIGHUP takeovers would wait for an answer that"
					+ " never comes. Start the suite without nohup (in the foreground, or with setsid), or leave the"
					+ " standby section out (--only micro,detection,start,idle,throughput).");
			System.exit(64);
			return;
		}
		Suite suite = new Suite(arguments);
		suite.run();
	}

	private void run() throws Exception {
		long started = System.nanoTime();
		String load = loadAverage();
		say("SAM for Spring Boot benchmark suite"
				+ (this.context.quick() ? " (quick: fewer and shorter runs, not for figures)" : ""));
		say(machine());
		DetectionSection detection = new DetectionSection(this.context);
		StartSection start = new StartSection(this.context);
		section("micro", new MicroSection(this.context)::run);
		section("detection", detection::run);
		section("start", start::run);
		section("idle", new IdleSection(this.context)::run);
		section("throughput", new ThroughputSection(this.context)::run);
		section("standby", new StandbySection(this.context)::run);
		crashAndHangRows(start.sampleCrash(), detection.ours(), detection.theirs());
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		String loadAfter = loadAverage();
		String report = this.context.report()
			.text(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS), seconds, this.context.quick(), machine(), load,
					loadAfter);
		Path results = this.context.out().resolve("results.md");
		Files.writeString(results, report, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println(report);
		say("written to " + results + " (process output in " + this.context.logs() + ")");
	}

	private interface Section {

		void run() throws Exception;

	}

	/**
	 * Runs a section if asked for; a failure is reported and the suite goes on with the
	 * next one.
	 */
	private void section(String name, Section section) {
		if (!this.arguments.only().contains(name)) {
			return;
		}
		try {
			section.run();
		}
		catch (Exception | AssertionError ex) {
			say("section " + name + " failed: " + ex);
			ex.printStackTrace(System.out);
			this.context.report()
				.details()
				.append("\n**Section ")
				.append(name)
				.append(" failed:** ")
				.append(ex)
				.append("\n\n");
		}
	}

	/**
	 * The supervisor's own share of crash detection: from the instance gone (the kernel
	 * done with it) to the supervisor's decision, where all of it is the supervisor's.
	 */
	private static void ownShareRow(Report report, StartSection.SampleCrash sample, Subject ours, Subject theirs) {
		List<Double> shares = new ArrayList<>();
		StringBuilder text = new StringBuilder();
		if (sample != null && !sample.ownShare().empty()) {
			shares.addAll(sample.ownShare().values());
			text.append("sample app: ").append(sample.ownShare().format("ms"));
		}
		if (ours != null && !ours.exitToSeen.isEmpty()) {
			shares.addAll(ours.exitToSeen);
			text.append((text.length() > 0) ? "; " : "")
				.append("plain-Java subject: ")
				.append(Stats.of(ours.exitToSeen).format("ms"));
		}
		if (shares.isEmpty()) {
			return;
		}
		Stats all = Stats.of(shares);
		Interval median = Interval.ofMedian(shares);
		text.append("; all together, median ").append(median.format("ms"));
		report.row(2, "crash detection, the supervisor's own share: instance gone -> decision", text.toString(),
				(theirs != null) ? "corosync's server: " + Stats.of(theirs.exitToSeen).format("ms") : "n/a",
				(theirs != null) ? ratio(all.median() / Stats.of(theirs.exitToSeen).median()) : "",
				"<= 1 ms median, <= 2 ms worst", ownShareVerdict(median, all.max()));
	}

	/**
	 * The two parts of the own share's target, each with its own verdict: the median by
	 * its interval (met, missed or undecided), the worst by itself, since one crash over
	 * 2 ms misses it whatever the others do.
	 */
	static String ownShareVerdict(Interval median, double worstMillis) {
		return "median " + median.verdictAtMost(1) + ", worst " + ((worstMillis <= 2) ? "met" : "**missed**");
	}

	/**
	 * The crash and hang rows, from the sample app's runs and the subjects' runs,
	 * whichever ran.
	 * @param sample the sample app's crashes, or {@code null}
	 * @param ours the Java subject, or {@code null}
	 * @param theirs the corosync subject, or {@code null}
	 */
	private void crashAndHangRows(StartSection.SampleCrash sample, Subject ours, Subject theirs) {
		Report report = this.context.report();
		Stats seen = (sample != null) ? sample.seen() : null;
		if (seen != null || ours != null) {
			StringBuilder crash = new StringBuilder();
			List<Double> medians = new ArrayList<>();
			if (seen != null && !seen.empty()) {
				crash.append(seen.format("ms"))
					.append(" (sample app: SIGKILL -> supervisor's \"ended\" log line; of which "
							+ Stats.num(sample.exited().median()) + " ms until the kernel has torn the JVM down, then "
							+ Stats.num(sample.ownShare().median()) + " ms in the supervisor)");
				medians.add(seen.median());
			}
			if (ours != null && !ours.seen.isEmpty()) {
				crash.append((crash.length() > 0) ? "; " : "")
					.append(Stats.of(ours.seen).format("ms"))
					.append(" (plain-Java subject; " + Stats.num(Stats.of(ours.exited).median()) + " ms kernel, "
							+ Stats.num(Stats.of(ours.exitToSeen).median()) + " ms supervisor)");
				medians.add(Stats.of(ours.seen).median());
			}
			double worst = medians.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
			String corosyncCrash = (theirs != null) ? "corosync: " + Stats.of(theirs.seen).format("ms")
					+ " to a new child running (" + Stats.num(Stats.of(theirs.exited).median()) + " ms kernel, "
					+ Stats.num(Stats.of(theirs.exitToSeen).median()) + " ms server)" : "n/a";
			report.row(2, "crash detection: SIGKILL of the instance -> supervisor sees it", crash.toString(),
					corosyncCrash,
					(theirs != null && !medians.isEmpty()) ? ratio(worst / Stats.of(theirs.seen).median()) : "",
					"<= 5 ms median", medians.isEmpty() ? "n/a" : met(worst <= 5));
			ownShareRow(report, sample, ours, theirs);
		}
		if (ours != null) {
			Stats warn = Stats.of(ours.warnAfterLastCheck);
			Stats kill = Stats.of(ours.killAfterWarn);
			String corosyncHang = (theirs != null) ? "corosync: " + Stats.of(theirs.warnAfterLastCheck).format("ms")
					+ " / " + Stats.of(theirs.killAfterWarn).format("ms") : "n/a";
			boolean within = !warn.empty() && !kill.empty() && Math.abs(warn.median() - 200) <= 5
					&& Math.abs(kill.median() - 200) <= 5;
			report.row(4,
					"hang detection at time-interval 200ms: last good check -> warning / warning -> SIGKILL (configured 200 / 200 ms)",
					warn.format("ms") + " / " + kill.format("ms"), corosyncHang,
					(theirs != null) ? ratio(warn.median() / Stats.of(theirs.warnAfterLastCheck).median()) + " / "
							+ ratio(kill.median() / Stats.of(theirs.killAfterWarn).median()) : "",
					"within 5 ms of the configured time", met(within));
		}
	}

	private String machine() {
		String memory = ProcFs.systemLine("meminfo", "MemTotal");
		return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs ("
				+ ProcFs.systemLine("cpuinfo", "model name") + "), " + memory + " memory, Linux "
				+ readQuietly("/proc/sys/kernel/osrelease") + ", JDK " + System.getProperty("java.runtime.version")
				+ " (" + System.getProperty("java.vm.name") + ")" + ((this.context.sambench() != null)
						? ", corosync libsam " + corosyncVersion() : ", no corosync column")
				+ ".";
	}

	private static String corosyncVersion() {
		try {
			Process dpkg = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", "libsam4").redirectErrorStream(true)
				.start();
			String version = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return dpkg.waitFor() == 0 ? version : "?";
		}
		catch (IOException ex) {
			return "?";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

	private static String loadAverage() {
		String load = readQuietly("/proc/loadavg");
		String[] parts = load.split(" ");
		return (parts.length >= 3) ? parts[0] + " " + parts[1] + " " + parts[2] : load;
	}

	private static String readQuietly(String file) {
		try {
			return Files.readString(Path.of(file)).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
