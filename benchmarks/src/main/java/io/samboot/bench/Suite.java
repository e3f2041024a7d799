package io.samboot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

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
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.samboot.bench.Suite --sample-jar sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
 *      [--sambench benchmarks/target/sambench] [--out benchmarks/target/results] [--quick] [--rounds N]
 *      [--only micro,detection,start,idle,throughput]
 * </pre>
 */
public final class Suite {

	private static final Pattern LAUNCHED = Pattern.compile("launched instance (\\d+) \\(pid (\\d+)\\)");

	private static final Pattern LAUNCHED_BEFORE_TAKEOVER = Pattern
		.compile("(\\d+)ms before this supervisor JVM took it over");

	private static final Pattern RESULT = Pattern.compile(
			"RESULT (\\S+) (\\S+) n=(\\d+) p50=([\\d.]+) p90=([\\d.]+) p99=([\\d.]+) mean=([\\d.]+) min=([\\d.]+) max=([\\d.]+)");

	private static final Pattern NO_ANSWER_FOR = Pattern.compile("no answer to a health-check request for (\\d+)ms");

	/**
	 * Options for a JVM that should cost as little memory as possible (what a lean
	 * supervisor would run with).
	 */
	static final List<String> LEAN_JVM = List.of("-XX:+UseSerialGC", "-Xms4m", "-Xmx16m", "-Xss256k",
			"-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m", "-XX:-UsePerfData");

	private final NativeAccess os = NativeAccess.get();

	private final Random random = new Random();

	private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	private final String classPath = System.getProperty("java.class.path");

	private final Path sampleJar;

	private final Path sambench;

	private final Path out;

	private final Path logs;

	private final boolean quick;

	private final int rounds;

	private final Set<String> only;

	/** Table rows by their place in the table. */
	private final java.util.TreeMap<Integer, List<String[]>> rows = new java.util.TreeMap<>();

	/** SIGKILL -> supervisor's "ended" line for the sample app, for the crash row. */
	private Stats sampleCrashSeen;

	/**
	 * SIGKILL -> the instance has exited, and exited -> "ended" line, for the crash row.
	 */
	private Stats sampleCrashExited;

	private Stats sampleCrashOwnShare;

	private final StringBuilder details = new StringBuilder();

	private Suite(Path sampleJar, Path sambench, Path out, boolean quick, int rounds, Set<String> only)
			throws IOException {
		this.sampleJar = sampleJar;
		this.sambench = sambench;
		this.out = out;
		this.logs = out.resolve("logs");
		this.quick = quick;
		this.rounds = rounds;
		this.only = only;
		Files.createDirectories(this.logs);
	}

	public static void main(String[] args) throws Exception {
		Path sampleJar = Path.of("sample-app/target/sample-app-0.1.0-SNAPSHOT.jar");
		Path sambench = null;
		Path out = Path.of("benchmarks/target/results");
		boolean quick = false;
		int rounds = -1;
		Set<String> only = new HashSet<>(List.of("micro", "detection", "start", "idle", "throughput"));
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--sample-jar" -> sampleJar = Path.of(args[++i]);
				case "--sambench" -> sambench = Path.of(args[++i]);
				case "--out" -> out = Path.of(args[++i]);
				case "--quick" -> quick = true;
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--only" -> only = new HashSet<>(Arrays.asList(args[++i].split(",")));
				default -> {
					System.err.println("unknown argument " + args[i]);
					System.exit(64);
				}
			}
		}
		if (rounds < 0) {
			rounds = quick ? 1 : 4;
		}
		if (sambench != null && !Files.isExecutable(sambench)) {
			System.err.println("no corosync column: " + sambench + " is not an executable (build it with gcc and"
					+ " libsam-dev, as benchmarks/run.sh does)");
			sambench = null;
		}
		Suite suite = new Suite(sampleJar, sambench, out, quick, rounds, only);
		suite.run();
	}

	private void run() throws Exception {
		long started = System.nanoTime();
		String load = loadAverage();
		say("SAM for Spring Boot benchmark suite"
				+ (this.quick ? " (quick: fewer and shorter runs, not for figures)" : ""));
		say(machine());
		section("micro", this::micro);
		section("detection", this::detection);
		section("start", this::startAndRecovery);
		section("idle", this::idle);
		section("throughput", this::throughput);
		crashAndHangRows();
		long minutes = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		String report = report(load, loadAverage(), minutes);
		Files.writeString(this.out.resolve("results.md"), report, StandardCharsets.UTF_8);
		System.out.println();
		System.out.println(report);
		say("written to " + this.out.resolve("results.md") + " (process output in " + this.logs + ")");
	}

	private interface Section {

		void run() throws Exception;

	}

	/**
	 * Runs a section if asked for; a failure is reported and the suite goes on with the
	 * next one.
	 */
	private void section(String name, Section section) {
		if (!this.only.contains(name)) {
			return;
		}
		try {
			section.run();
		}
		catch (Exception | AssertionError ex) {
			say("section " + name + " failed: " + ex);
			ex.printStackTrace(System.out);
			this.details.append("\n**Section ").append(name).append(" failed:** ").append(ex).append("\n\n");
		}
	}

	// ---- in-process figures: JMH and the C program's timings
	// ----------------------------------

	private void micro() throws Exception {
		section("Micro-benchmarks: hcSend, data store/restore (inside a supervised instance), health-check round trip");
		List<Map<String, double[]>> corosync = new ArrayList<>();
		if (this.sambench != null) {
			corosync.add(corosyncMicro(1));
		}
		Map<String, double[]> ours = supervisedJmh();
		if (this.sambench != null) {
			corosync.add(corosyncMicro(2));
		}
		double[] roundTrip = roundTripJmh();
		if (this.sambench != null) {
			corosync.add(corosyncMicro(3));
		}
		Map<String, double[]> theirs = medianOfRuns(corosync);

		this.details.append("\n### Micro-benchmarks (microseconds)\n\n")
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
		this.details.append('\n');

		double[] paced = ours.get("hcSendPaced");
		double[] burst = ours.get("hcSend");
		double[] cPaced = theirs.get("hcSendPaced");
		double[] cBurst = theirs.get("hcSend");
		if (roundTrip != null) {
			row(5, "event-driven health-check round trip, empty check (p50, p99)",
					us(roundTrip[1]) + ", " + us(roundTrip[3]),
					"corosync hc_send, one-way, paced: "
							+ ((cPaced != null) ? us(cPaced[1]) + ", " + us(cPaced[3]) : "n/a"),
					(cPaced != null) ? ratio(roundTrip[1] / cPaced[1]) + " (p50)" : "", "p50 <= 50 us, p99 <= 500 us",
					met(roundTrip[1] <= 50 && roundTrip[3] <= 500));
		}
		if (paced != null && burst != null) {
			double worst = Math.max(paced[1], burst[1]);
			row(6, "`hcSend()` in application mode (median; paced 20 us apart / back to back)",
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
			row(7, label, us(mine[1]), (other != null) ? "corosync: " + us(other[1]) : "n/a",
					(other != null) ? ratio(mine[1] / other[1]) : "", "no slower than corosync",
					(other != null) ? met(mine[1] <= other[1]) : "n/a");
		}
	}

	private Map<String, double[]> corosyncMicro(int run) throws Exception {
		say("corosync libsam micro-benchmarks, run " + run);
		try (Launched c = Launched.start("corosync-micro-" + run, List.of(this.sambench.toString(), "micro"), Map.of(),
				this.logs)) {
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
				List.of(this.javaBin, "-cp", this.classPath, SupervisedJmh.class.getName()));
		if (this.quick) {
			command.add("quick");
		}
		try (Launched jmh = Launched.start("jmh-supervised", command, Map.of(), this.logs)) {
			if (!jmh.awaitExit(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("SupervisedJmh did not finish within 10 minutes");
			}
			jmh.awaitLine(0, line -> false, 200, TimeUnit.MILLISECONDS);
			Map<String, double[]> results = parseResults(jmh, "java");
			if (results.isEmpty()) {
				throw new IllegalStateException(
						"SupervisedJmh printed no results; see " + this.logs.resolve("jmh-supervised.log"));
			}
			return results;
		}
	}

	/** {@code [n, p50, p90, p99, mean, min, max]} for the round trip, in microseconds. */
	private double[] roundTripJmh() throws Exception {
		say("JMH: event-driven health-check round trip (RoundTripBenchmark)");
		OptionsBuilder options = new OptionsBuilder();
		options.include(RoundTripBenchmark.class.getName())
			.forks(1)
			.warmupIterations(this.quick ? 1 : 3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(this.quick ? 1 : 5)
			.measurementTime(TimeValue.seconds(this.quick ? 1 : 2))
			.output(this.logs.resolve("jmh-roundtrip.log").toString());
		Collection<RunResult> results = new Runner(options.build()).run();
		for (RunResult result : results) {
			Matcher matcher = RESULT.matcher(SupervisedJmh.resultLine("java", result));
			if (matcher.matches()) {
				return values(matcher);
			}
		}
		return null;
	}

	private static Map<String, double[]> parseResults(Launched process, String side) {
		Map<String, double[]> results = new LinkedHashMap<>();
		for (Launched.Line line : process.linesMatching(0, text -> text.startsWith("RESULT " + side + " "))) {
			Matcher matcher = RESULT.matcher(line.text());
			if (matcher.matches()) {
				results.put(matcher.group(2), values(matcher));
			}
		}
		return results;
	}

	private static double[] values(Matcher matcher) {
		double[] values = new double[7];
		for (int i = 0; i < 7; i++) {
			values[i] = Double.parseDouble(matcher.group(3 + i));
		}
		return values;
	}

	/** Per call and statistic, the median over the runs. */
	private static Map<String, double[]> medianOfRuns(List<Map<String, double[]>> runs) {
		Map<String, double[]> median = new LinkedHashMap<>();
		if (runs.isEmpty()) {
			return median;
		}
		for (String name : runs.get(0).keySet()) {
			double[] combined = new double[7];
			for (int i = 0; i < 7; i++) {
				List<Double> column = new ArrayList<>();
				for (Map<String, double[]> run : runs) {
					if (run.containsKey(name)) {
						column.add(run.get(name)[i]);
					}
				}
				combined[i] = Stats.of(column).median();
			}
			median.put(name, combined);
		}
		return median;
	}

	private void microRow(String name, String side, double[] v) {
		if (v == null) {
			return;
		}
		this.details.append("| ").append(name).append(" | ").append(side).append(" | ").append((long) v[0]);
		for (int i : new int[] { 1, 2, 3, 4, 6 }) {
			this.details.append(" | ").append(Stats.num(v[i]));
		}
		this.details.append(" |\n");
	}

	// ---- crash and hang detection: the Java subject and the C program, alternately
	// -------------

	private final class Subject implements AutoCloseable {

		final String name;

		final Launched process;

		final SharedSlots slots;

		final boolean isJava;

		long lastSequence;

		final List<Double> warnAfterLastCheck = new ArrayList<>();

		final List<Double> killAfterWarn = new ArrayList<>();

		final List<Double> warnAfterStop = new ArrayList<>();

		final List<Double> ownView = new ArrayList<>();

		final List<Double> reaped = new ArrayList<>();

		final List<Double> exited = new ArrayList<>();

		final List<Double> exitToSeen = new ArrayList<>();

		final List<Double> seen = new ArrayList<>();

		int failures;

		Subject(String name, boolean java, List<String> command, Path slotsFile) throws IOException {
			this.name = name;
			this.isJava = java;
			this.slots = SharedSlots.map(slotsFile, true);
			List<String> full = new ArrayList<>(command);
			full.add(slotsFile.toString());
			this.process = Launched.start(name, full, Map.of(), Suite.this.logs);
		}

		/**
		 * Waits for the next instance to have started health checking: {instance id,
		 * pid}.
		 */
		long[] awaitInstance() throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
			while (System.nanoTime() - deadline < 0) {
				long sequence = this.slots.get(SharedSlots.SEQUENCE);
				if (sequence > this.lastSequence) {
					this.lastSequence = sequence;
					return new long[] { sequence, this.slots.get(SharedSlots.PID) };
				}
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited (see its log)");
				}
				Thread.sleep(5);
			}
			throw new IllegalStateException(this.name + ": no new instance within 90s");
		}

		@Override
		public void close() {
			this.slots.set(SharedSlots.STOP, 1);
			try {
				if (!this.process.awaitExit(15, TimeUnit.SECONDS)) {
					say(this.name + " did not stop by itself within 15s; stopping it");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process.close();
		}

	}

	private void detection() throws Exception {
		section("Crash and hang detection at time-interval 200ms: Java subject (plain SAM API, event-driven) and corosync libsam");
		int count = this.quick ? 2 : 8;
		List<Subject> subjects = new ArrayList<>();
		try {
			subjects.add(new Subject("java-subject-hang", true,
					List.of(this.javaBin, "-cp", this.classPath, SamSubject.class.getName(), "hang"),
					this.out.resolve("slots-java-hang")));
			if (this.sambench != null) {
				subjects.add(new Subject("corosync-hang", false, List.of(this.sambench.toString(), "hang"),
						this.out.resolve("slots-corosync-hang")));
			}
			for (int i = 0; i < count; i++) {
				for (int k = 0; k < subjects.size(); k++) {
					hangOnce(subjects.get((i % 2 == 0) ? k : subjects.size() - 1 - k));
				}
			}
			for (int i = 0; i < count; i++) {
				for (int k = 0; k < subjects.size(); k++) {
					crashOnce(subjects.get((i % 2 == 0) ? k : subjects.size() - 1 - k));
				}
			}
		}
		finally {
			for (Subject subject : subjects) {
				subject.close();
			}
		}
		Subject ours = subjects.get(0);
		Subject theirs = (subjects.size() > 1) ? subjects.get(1) : null;
		this.details.append("\n### Hang detection, time-interval 200ms, kill-delay 200ms (milliseconds)\n\n")
			.append("The suite stops the instance with SIGSTOP, then reads /proc/<pid>/status every ~50 us: the warning is"
					+ " seen when SIGTERM becomes pending, SIGKILL when the stopped process starts dying. \"Last good check\""
					+ " is the instance's own monotonic time of its last passed check (Java) or heartbeat (C, sent every"
					+ " 50 ms).\n\n")
			.append("| measure | SAM for Spring Boot | corosync libsam |\n| --- | --- | --- |\n");
		detailRow("last good check -> warning (configured 200)", ours.warnAfterLastCheck,
				(theirs != null) ? theirs.warnAfterLastCheck : null);
		detailRow("warning -> SIGKILL (configured 200)", ours.killAfterWarn,
				(theirs != null) ? theirs.killAfterWarn : null);
		detailRow("SIGSTOP -> warning (150-200 expected: a check every 50 ms)", ours.warnAfterStop,
				(theirs != null) ? theirs.warnAfterStop : null);
		detailRow("supervisor's own log: \"no answer ... for N ms\"", ours.ownView, null);
		this.details.append("\n### Crash detection of the small subjects (milliseconds)\n\n")
			.append("| measure | SAM for Spring Boot | corosync libsam |\n| --- | --- | --- |\n");
		detailRow("SIGKILL -> instance has exited (kernel done: its pidfd is readable, SIGCHLD time)", ours.exited,
				(theirs != null) ? theirs.exited : null);
		detailRow("SIGKILL -> instance reaped by the supervisor (/proc/<pid> gone)", ours.reaped,
				(theirs != null) ? theirs.reaped : null);
		detailRow("SIGKILL -> supervisor's \"ended\" log line (Java) / new child running (C)", ours.seen,
				(theirs != null) ? theirs.seen : null);
		detailRow("instance exited -> that line (Java) / new child running (C): the supervisor's own share",
				ours.exitToSeen, (theirs != null) ? theirs.exitToSeen : null);
		if (ours.failures > 0 || (theirs != null && theirs.failures > 0)) {
			this.details.append("\nRuns that did not complete: SAM for Spring Boot ")
				.append(ours.failures)
				.append(", corosync ")
				.append((theirs != null) ? theirs.failures : 0)
				.append(".\n");
		}
		this.details.append('\n');
		this.detectionOurs = ours;
		this.detectionTheirs = theirs;
	}

	private Subject detectionOurs;

	private Subject detectionTheirs;

	private void hangOnce(Subject subject) throws InterruptedException {
		long[] instance = subject.awaitInstance();
		long pid = instance[1];
		Thread.sleep(300 + this.random.nextInt(100));
		int from = subject.process.lineCount();
		long stopped = System.nanoTime();
		this.os.kill(pid, PosixSignal.STOP);
		long warned = 0;
		long killed = 0;
		long lastCheck = 0;
		boolean sawStopped = false;
		long deadline = stopped + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() - deadline < 0) {
			ProcFs.Status status = ProcFs.status(pid);
			long now = System.nanoTime();
			if (status == null) {
				killed = now;
				break;
			}
			if (warned == 0 && (status.pendingSignals() & ProcFs.bit(PosixSignal.TERM.number())) != 0) {
				warned = now;
			}
			if (status.state() == 'T') {
				if (!sawStopped) {
					// Read while the instance is stopped: once it is killed a new one may
					// overwrite the slot.
					lastCheck = subject.slots.get(SharedSlots.LAST_CHECK);
				}
				sawStopped = true;
			}
			else if (sawStopped) {
				killed = now;
				break;
			}
			LockSupport.parkNanos(20_000);
		}
		if (warned == 0 || killed == 0) {
			subject.failures++;
			say(subject.name + ": hang of pid " + pid + " not handled within 5s (warned " + (warned != 0) + ", killed "
					+ (killed != 0) + "); killing it");
			this.os.kill(pid, PosixSignal.KILL);
			return;
		}
		subject.warnAfterLastCheck.add(ms(warned - lastCheck));
		subject.killAfterWarn.add(ms(killed - warned));
		subject.warnAfterStop.add(ms(warned - stopped));
		if (subject.isJava) {
			Launched.Line line = subject.process.awaitLine(from, text -> NO_ANSWER_FOR.matcher(text).find(), 2,
					TimeUnit.SECONDS);
			if (line != null) {
				Matcher matcher = NO_ANSWER_FOR.matcher(line.text());
				matcher.find();
				subject.ownView.add(Double.parseDouble(matcher.group(1)));
			}
		}
	}

	private void crashOnce(Subject subject) throws InterruptedException {
		long[] instance = subject.awaitInstance();
		long pid = instance[1];
		Thread.sleep(300 + this.random.nextInt(100));
		int from = subject.process.lineCount();
		ExitWatch watch = ExitWatch.start(pid);
		long killed = System.nanoTime();
		this.os.kill(pid, PosixSignal.KILL);
		long reaped = awaitReaped(pid, TimeUnit.SECONDS.toNanos(5));
		if (reaped < 0) {
			subject.failures++;
			say(subject.name + ": pid " + pid + " was not reaped within 5s");
			return;
		}
		subject.reaped.add(ms(reaped - killed));
		long exited = (watch != null) ? watch.exitedNanos(5, TimeUnit.SECONDS) : -1;
		if (exited > 0) {
			subject.exited.add(ms(exited - killed));
		}
		if (subject.isJava) {
			Launched.Line line = subject.process.awaitLine(from, text -> text.contains("(pid " + pid + ") ended"), 5,
					TimeUnit.SECONDS);
			if (line != null) {
				subject.seen.add(ms(line.nanos() - killed));
				if (exited > 0) {
					subject.exitToSeen.add(ms(line.nanos() - exited));
				}
			}
		}
		else {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (subject.slots.get(SharedSlots.SEQUENCE) <= instance[0] && System.nanoTime() - deadline < 0) {
				LockSupport.parkNanos(50_000);
			}
			if (subject.slots.get(SharedSlots.SEQUENCE) > instance[0]) {
				long running = subject.slots.get(SharedSlots.REGISTERED);
				subject.seen.add(ms(running - killed));
				if (exited > 0) {
					subject.exitToSeen.add(ms(running - exited));
				}
			}
		}
	}

	/** Polls until {@code /proc/<pid>} is gone; returns the monotonic time, or -1. */
	private static long awaitReaped(long pid, long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (System.nanoTime() - deadline < 0) {
			if (ProcFs.state(pid) == 0) {
				return System.nanoTime();
			}
			LockSupport.parkNanos(20_000);
		}
		return -1;
	}

	// ---- first start, crash detection and recovery of the packaged sample application
	// ---------

	private void startAndRecovery() throws Exception {
		section("First start, crash detection and recovery of the packaged sample application (" + this.rounds
				+ " rounds, ABBA order)");
		List<Double> supervised = new ArrayList<>();
		List<Double> unsupervised = new ArrayList<>();
		List<Double> startRatios = new ArrayList<>();
		List<Double> supervising = new ArrayList<>();
		List<Double> instanceLaunched = new ArrayList<>();
		List<Double> instanceOwnStart = new ArrayList<>();
		List<Double> instanceOwnRecovery = new ArrayList<>();
		List<Double> startWithinRun = new ArrayList<>();
		List<Double> recoveryWithinRun = new ArrayList<>();
		List<Double> reaped = new ArrayList<>();
		List<Double> exited = new ArrayList<>();
		List<Double> exitToLog = new ArrayList<>();
		List<Double> logged = new ArrayList<>();
		List<Double> relaunched = new ArrayList<>();
		List<Double> recovery = new ArrayList<>();
		List<Double> recoveryRatios = new ArrayList<>();
		int kills = this.quick ? 1 : 2;
		int failures = 0;
		long budget = System.nanoTime() + TimeUnit.MINUTES.toNanos(this.quick ? 10 : 6);
		int roundsDone = 0;
		for (int round = 0; round < this.rounds; round++) {
			if (round >= 2 && System.nanoTime() - budget > 0) {
				say("  the section's 6-minute budget is spent (a loaded machine): stopping after " + round + " rounds");
				break;
			}
			roundsDone++;
			double sup = Double.NaN;
			double cold = Double.NaN;
			List<Double> roundRecoveries = new ArrayList<>();
			for (boolean supervise : (round % 2 == 0) ? new boolean[] { true, false } : new boolean[] { false, true }) {
				int port = freePort();
				String name = (supervise ? "start-supervised-" : "start-unsupervised-") + (round + 1);
				try (Launched app = Launched.start(name, sampleCommand(supervise, port), Map.of(), this.logs)) {
					long ok = Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), app::isAlive);
					if (ok < 0) {
						failures++;
						say(name + ": no HTTP 200 within 180s (see its log)");
						continue;
					}
					double first = ms(ok - app.launchedNanos());
					say(String.format(Locale.ROOT, "  %s: first HTTP 200 after %.0f ms", name, first));
					if (!supervise) {
						unsupervised.add(first);
						cold = first;
						continue;
					}
					supervised.add(first);
					sup = first;
					Launched.Line line = app.awaitLine(0, text -> text.contains("[sam-supervisor] supervising pid"), 1,
							TimeUnit.SECONDS);
					if (line != null) {
						supervising.add(ms(line.nanos() - app.launchedNanos()));
					}
					line = app.awaitLine(0, text -> LAUNCHED.matcher(text).find(), 1, TimeUnit.SECONDS);
					if (line != null) {
						// Instance 1 is launched before the supervisor re-executes
						// itself; the lean JVM logs it
						// on taking over, saying how long before that it was launched.
						Matcher before = LAUNCHED_BEFORE_TAKEOVER.matcher(line.text());
						long launchedAt = line.nanos()
								- (before.find() ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(before.group(1))) : 0);
						instanceLaunched.add(ms(launchedAt - app.launchedNanos()));
						instanceOwnStart.add(ms(ok - launchedAt));
						startWithinRun.add(first / ms(ok - launchedAt));
					}
					for (int k = 0; k < kills; k++) {
						long pid = currentInstance(app);
						Thread.sleep(1000);
						int from = app.lineCount();
						ExitWatch watch = ExitWatch.start(pid);
						long killed = System.nanoTime();
						this.os.kill(pid, PosixSignal.KILL);
						CompletableFuture<Long> gone = CompletableFuture
							.supplyAsync(() -> awaitReaped(pid, TimeUnit.SECONDS.toNanos(10)));
						long answered = Http.awaitOk(port, pid, TimeUnit.SECONDS.toNanos(180), app::isAlive);
						Launched.Line ended = app.awaitLine(from, text -> text.contains("(pid " + pid + ") ended"), 5,
								TimeUnit.SECONDS);
						Launched.Line next = app.awaitLine(from, text -> LAUNCHED.matcher(text).find(), 5,
								TimeUnit.SECONDS);
						long reapedAt = gone.get();
						if (answered < 0 || ended == null) {
							failures++;
							say(name + ": recovery after SIGKILL of pid " + pid + " not seen (see its log)");
							break;
						}
						if (reapedAt > 0) {
							reaped.add(ms(reapedAt - killed));
						}
						long exitedAt = (watch != null) ? watch.exitedNanos(1, TimeUnit.SECONDS) : -1;
						if (exitedAt > 0) {
							exited.add(ms(exitedAt - killed));
							if (reapedAt > 0) {
								exitToLog.add(ms(ended.nanos() - exitedAt));
							}
						}
						logged.add(ms(ended.nanos() - killed));
						if (next != null) {
							relaunched.add(ms(next.nanos() - killed));
							instanceOwnRecovery.add(ms(answered - next.nanos()));
							recoveryWithinRun.add(ms(answered - killed) / ms(answered - next.nanos()));
						}
						double recovered = ms(answered - killed);
						recovery.add(recovered);
						roundRecoveries.add(recovered);
						say(String
							.format(Locale.ROOT,
									"  %s: SIGKILL of pid %d: \"ended\" logged after %.2f ms, new instance"
											+ " answered after %.0f ms",
									name, pid, ms(ended.nanos() - killed), recovered));
					}
				}
			}
			if (!Double.isNaN(sup) && !Double.isNaN(cold)) {
				startRatios.add(sup / cold);
				for (double recovered : roundRecoveries) {
					recoveryRatios.add(recovered / cold);
				}
			}
		}
		Stats sup = Stats.of(supervised);
		Stats cold = Stats.of(unsupervised);
		Stats ratios = Stats.of(startRatios);
		Stats rec = Stats.of(recovery);
		Stats recRatios = Stats.of(recoveryRatios);
		Stats seen = Stats.of(logged);
		this.details.append("\n### Packaged sample application (milliseconds)\n\n")
			.append("`java -jar sample-app.jar --server.port=P --server.address=127.0.0.1`; unsupervised: the same with"
					+ " `-Dsam.enabled=false`. Launch time is taken right before the process is started; HTTP is polled"
					+ " every 10 ms.\n\n")
			.append("| measure | median (range, n) | all |\n| --- | --- | --- |\n");
		detailLine("first start, supervised: launch -> first HTTP 200", sup);
		detailLine("first start, -Dsam.enabled=false: launch -> first HTTP 200 (cold start)", cold);
		detailLine("ratio supervised / unsupervised, paired per round", ratios);
		detailLine(
				"supervised: launch -> supervisor's \"supervising pid\" line (first JVM at ApplicationStartingEvent)",
				Stats.of(supervising));
		detailLine(
				"supervised: launch -> \"launched instance 1\" line (what supervision adds before the application starts)",
				Stats.of(instanceLaunched));
		detailLine("supervised: \"launched instance 1\" -> first HTTP 200 (the instance's own start)",
				Stats.of(instanceOwnStart));
		detailLine("within-run ratio: supervised first start / the instance's own start", Stats.of(startWithinRun));
		detailLine("SIGKILL of the instance -> it has exited (kernel done: pidfd readable, SIGCHLD time)",
				Stats.of(exited));
		detailLine("SIGKILL of the instance -> reaped by the supervisor (/proc/<pid> gone)", Stats.of(reaped));
		detailLine("instance exited -> supervisor's \"ended\" log line (the supervisor's own share)",
				Stats.of(exitToLog));
		detailLine("SIGKILL of the instance -> supervisor's \"ended\" log line", seen);
		detailLine("SIGKILL of the instance -> \"launched instance N+1\" line", Stats.of(relaunched));
		detailLine("\"launched instance N+1\" -> it answers HTTP 200 (the new instance's own start)",
				Stats.of(instanceOwnRecovery));
		detailLine("recovery: SIGKILL of the instance -> new instance answers HTTP 200", rec);
		detailLine("ratio recovery / cold start of the same round", recRatios);
		detailLine("within-run ratio: recovery / the new instance's own start", Stats.of(recoveryWithinRun));
		if (failures > 0) {
			this.details.append("\nRuns that did not complete: ").append(failures).append(".\n");
		}
		if (roundsDone < this.rounds) {
			this.details.append("\nOnly ")
				.append(roundsDone)
				.append(" of ")
				.append(this.rounds)
				.append(" rounds ran: the section stops starting rounds after 6 minutes on a loaded machine.\n");
		}
		this.details.append('\n');

		Stats startWithin = Stats.of(startWithinRun);
		Stats recoveryWithin = Stats.of(recoveryWithinRun);
		row(1, "first start: launch -> first HTTP 200 of the sample app", sup.format("ms"),
				"`-Dsam.enabled=false`: " + cold.format("ms"),
				"A/B " + ratioStats(ratios) + "; within run " + ratioStats(startWithin), "ratio <= 1.10",
				ratios.empty() ? "n/a"
						: "A/B " + met(ratios.median() <= 1.10) + "; within run " + met(startWithin.median() <= 1.10));
		row(3, "recovery: SIGKILL of the instance -> new instance answers HTTP", rec.format("ms"),
				"cold start: " + cold.format("ms"),
				"A/B " + ratioStats(recRatios) + "; within run " + ratioStats(recoveryWithin), "ratio <= 1.05",
				recRatios.empty() ? "n/a" : "A/B " + met(recRatios.median() <= 1.05) + "; within run "
						+ met(recoveryWithin.median() <= 1.05));
		this.sampleCrashExited = Stats.of(exited);
		this.sampleCrashOwnShare = Stats.of(exitToLog);
		this.sampleCrashSeen = seen;
	}

	/**
	 * The crash and hang rows, from the sample app's runs and the subjects' runs,
	 * whichever ran.
	 */
	private void crashAndHangRows() {
		Subject ours = this.detectionOurs;
		Subject theirs = this.detectionTheirs;
		Stats seen = this.sampleCrashSeen;
		if (seen != null || ours != null) {
			StringBuilder crash = new StringBuilder();
			List<Double> medians = new ArrayList<>();
			if (seen != null && !seen.empty()) {
				crash.append(seen.format("ms"))
					.append(" (sample app: SIGKILL -> supervisor's \"ended\" log line; of which "
							+ Stats.num(this.sampleCrashExited.median())
							+ " ms until the kernel has torn the JVM down, then "
							+ Stats.num(this.sampleCrashOwnShare.median()) + " ms in the supervisor)");
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
			row(2, "crash detection: SIGKILL of the instance -> supervisor sees it", crash.toString(), corosyncCrash,
					(theirs != null && !medians.isEmpty()) ? ratio(worst / Stats.of(theirs.seen).median()) : "",
					"<= 5 ms median", medians.isEmpty() ? "n/a" : met(worst <= 5));
		}
		if (ours != null) {
			Stats warn = Stats.of(ours.warnAfterLastCheck);
			Stats kill = Stats.of(ours.killAfterWarn);
			String corosyncHang = (theirs != null) ? "corosync: " + Stats.of(theirs.warnAfterLastCheck).format("ms")
					+ " / " + Stats.of(theirs.killAfterWarn).format("ms") : "n/a";
			boolean within = !warn.empty() && !kill.empty() && Math.abs(warn.median() - 200) <= 5
					&& Math.abs(kill.median() - 200) <= 5;
			row(4, "hang detection at time-interval 200ms: last good check -> warning / warning -> SIGKILL (configured 200 / 200 ms)",
					warn.format("ms") + " / " + kill.format("ms"), corosyncHang,
					(theirs != null) ? ratio(warn.median() / Stats.of(theirs.warnAfterLastCheck).median()) + " / "
							+ ratio(kill.median() / Stats.of(theirs.killAfterWarn).median()) : "",
					"within 5 ms of the configured time", met(within));
		}
	}

	private List<String> sampleCommand(boolean supervise, int port, String... extra) {
		List<String> command = new ArrayList<>();
		command.add(this.javaBin);
		if (!supervise) {
			command.add("-Dsam.enabled=false");
		}
		command
			.addAll(List.of("-jar", this.sampleJar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(extra));
		return command;
	}

	private static long currentInstance(Launched app) {
		List<Launched.Line> launched = app.linesMatching(0, text -> LAUNCHED.matcher(text).find());
		if (launched.isEmpty()) {
			throw new IllegalStateException(app.name() + ": no \"launched instance\" line");
		}
		Matcher matcher = LAUNCHED.matcher(launched.get(launched.size() - 1).text());
		matcher.find();
		return Long.parseLong(matcher.group(2));
	}

	// ---- idle footprint
	// ------------------------------------------------------------------------

	private void idle() throws Exception {
		int seconds = this.quick ? 10 : 60;
		section("Idle footprint over " + seconds + " s (time-interval 1s, sampled every second), all side by side");
		Map<String, Launched> processes = new LinkedHashMap<>();
		List<Subject> subjects = new ArrayList<>();
		int port = freePort();
		try {
			Launched sample = Launched.start("idle-sample-supervised",
					sampleCommand(true, port, "--sam.time-interval=1s"), Map.of(), this.logs);
			String ours = "SAM for Spring Boot: supervisor of the sample app (re-executed as the lean supervisor JVM)";
			processes.put(ours, sample);
			int inPlacePort = freePort();
			List<String> inPlaceCommand = new ArrayList<>(sampleCommand(true, inPlacePort, "--sam.time-interval=1s"));
			inPlaceCommand.add(1, "-Dsam.supervisor.reexec=false");
			Launched inPlace = Launched.start("idle-sample-supervised-in-place", inPlaceCommand, Map.of(), this.logs);
			String inPlaceName = "the same with -Dsam.supervisor.reexec=false (the JVM the user started supervises,"
					+ " after loading part of Spring Boot)";
			processes.put(inPlaceName, inPlace);
			Subject plain = new Subject("idle-java-subject", true,
					List.of(this.javaBin, "-cp", this.classPath, SamSubject.class.getName(), "idle"),
					this.out.resolve("slots-idle-java"));
			subjects.add(plain);
			String plainName = "supervisor of the plain-Java subject (no Spring; also re-executed)";
			processes.put(plainName, plain.process);
			String bareName = "bare idle JVM, default options";
			processes.put(bareName, Launched.start("idle-bare-jvm",
					List.of(this.javaBin, "-cp", this.classPath, IdleJvm.class.getName()), Map.of(), this.logs));
			List<String> bareLean = new ArrayList<>(List.of(this.javaBin));
			bareLean.addAll(LEAN_JVM);
			bareLean.addAll(List.of("-cp", this.classPath, IdleJvm.class.getName()));
			processes.put("bare idle JVM, lean options",
					Launched.start("idle-bare-jvm-lean", bareLean, Map.of(), this.logs));
			if (this.sambench != null) {
				Subject c = new Subject("idle-corosync", false, List.of(this.sambench.toString(), "idle"),
						this.out.resolve("slots-idle-corosync"));
				subjects.add(c);
				processes.put("corosync libsam: forked server (the process that called sam_register)", c.process);
			}
			if (Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), sample::isAlive) < 0
					|| Http.awaitOk(inPlacePort, -1, TimeUnit.SECONDS.toNanos(180), inPlace::isAlive) < 0) {
				throw new IllegalStateException("a supervised sample app did not answer within 180s");
			}
			for (Subject subject : subjects) {
				subject.awaitInstance();
			}
			say("  all started; settling for 10 s");
			Thread.sleep(this.quick ? 2000 : 10_000);
			Map<String, List<Double>> rss = new LinkedHashMap<>();
			Map<String, Long> cpuBefore = new LinkedHashMap<>();
			List<Double> instanceRss = new ArrayList<>();
			long instancePid = currentInstance(sample);
			long begin = System.nanoTime();
			processes.forEach((name, process) -> {
				cpuBefore.put(name, ProcFs.cpuTicks(process.pid()));
				rss.put(name, new ArrayList<>());
			});
			Map<String, Long> threadsBefore = ProcFs.threadTicks(sample.pid());
			Map<String, Long> plainThreadsBefore = ProcFs.threadTicks(plain.process.pid());
			for (int second = 0; second < seconds; second++) {
				for (Map.Entry<String, Launched> entry : processes.entrySet()) {
					rss.get(entry.getKey()).add(ProcFs.rssKb(entry.getValue().pid()) / 1024.0);
				}
				instanceRss.add(ProcFs.rssKb(instancePid) / 1024.0);
				Thread.sleep(1000);
			}
			double elapsed = (System.nanoTime() - begin) / 1e9;
			String busiest = busiestThreads(threadsBefore, ProcFs.threadTicks(sample.pid()), elapsed);
			String plainBusiest = busiestThreads(plainThreadsBefore, ProcFs.threadTicks(plain.process.pid()), elapsed);
			Map<String, Double> cpu = new LinkedHashMap<>();
			Map<String, Long> threads = new LinkedHashMap<>();
			processes.forEach((name, process) -> {
				long ticks = ProcFs.cpuTicks(process.pid()) - cpuBefore.get(name);
				cpu.put(name, 100.0 * ticks / ProcFs.CLOCK_TICKS / elapsed);
				threads.put(name, ProcFs.threads(process.pid()));
			});
			this.details.append("\n### Idle footprint over ")
				.append(seconds)
				.append(" s, all running at the same time (RSS from /proc/<pid>/status VmRSS, sampled every second;"
						+ " CPU from utime+stime in /proc/<pid>/stat, 1 tick = 10 ms)\n\n")
				.append("| process | RSS MB median (range) | CPU % of one core | threads |\n| --- | --- | --- | --- |\n");
			for (String name : processes.keySet()) {
				Stats memory = Stats.of(rss.get(name));
				this.details.append("| ")
					.append(name)
					.append(" | ")
					.append(Stats.num(memory.median()))
					.append(" (")
					.append(Stats.num(memory.min()))
					.append("-")
					.append(Stats.num(memory.max()))
					.append(") | ")
					.append(String.format(Locale.ROOT, "%.3f", cpu.get(name)))
					.append(" | ")
					.append(threads.get(name))
					.append(" |\n");
			}
			Stats instance = Stats.of(instanceRss);
			this.details.append("| (for scale) the sample app's instance | ")
				.append(Stats.num(instance.median()))
				.append(" | | |\n\n")
				.append("Where the supervisor's CPU went (threads by name, % of one core): sample app's supervisor: ")
				.append(busiest)
				.append("; plain-Java subject's supervisor: ")
				.append(plainBusiest)
				.append(".\n\n");
			List<String> names = new ArrayList<>(processes.keySet());
			double ourRss = Stats.of(rss.get(ours)).median();
			double inPlaceRss = Stats.of(rss.get(inPlaceName)).median();
			double bareRss = Stats.of(rss.get(bareName)).median();
			double ourCpu = cpu.get(ours);
			String corosyncName = (this.sambench != null) ? names.get(names.size() - 1) : null;
			row(8, "supervisor resident memory while idle (T = 1 s, " + seconds + " s)", Stats.num(ourRss) + " MB",
					"supervising from the JVM the user started " + Stats.num(inPlaceRss) + " MB; bare JVM "
							+ Stats.num(bareRss) + " MB; plain-Java supervisor "
							+ Stats.num(Stats.of(rss.get(plainName)).median()) + " MB"
							+ ((corosyncName != null)
									? "; corosync server " + Stats.num(Stats.of(rss.get(corosyncName)).median()) + " MB"
									: ""),
					ratio(ourRss / bareRss) + " of a bare JVM, " + ratio(ourRss / inPlaceRss) + " of in place",
					"<= 48 MB", met(ourRss <= 48));
			row(9, "supervisor CPU while idle (T = 1 s, " + seconds + " s)",
					String.format(Locale.ROOT, "%.3f %%", ourCpu),
					String.format(Locale.ROOT, "in place %.3f %%; bare JVM %.3f %%", cpu.get(inPlaceName),
							cpu.get(bareName))
							+ ((corosyncName != null)
									? String.format(Locale.ROOT, "; corosync server %.3f %%", cpu.get(corosyncName))
									: ""),
					"", "<= 0.2 % of a core", met(ourCpu <= 0.2));
		}
		finally {
			for (Subject subject : subjects) {
				subject.close();
			}
			for (Launched process : processes.values()) {
				process.close();
			}
		}
	}

	private static String busiestThreads(Map<String, Long> before, Map<String, Long> after, double seconds) {
		List<Map.Entry<String, Long>> used = new ArrayList<>();
		after.forEach((name, ticks) -> {
			long delta = ticks - before.getOrDefault(name, 0L);
			if (delta > 0) {
				used.add(Map.entry(name, delta));
			}
		});
		used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
		StringBuilder out = new StringBuilder();
		for (Map.Entry<String, Long> entry : used.subList(0, Math.min(6, used.size()))) {
			out.append((out.length() > 0) ? ", " : "")
				.append('`')
				.append(entry.getKey())
				.append("` ")
				.append(String.format(Locale.ROOT, "%.3f", 100.0 * entry.getValue() / ProcFs.CLOCK_TICKS / seconds));
		}
		return (out.length() > 0) ? out.toString() : "none measurable";
	}

	// ---- HTTP throughput with wrk
	// ----------------------------------------------------------------

	private void throughput() throws Exception {
		if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
			say("no wrk (apt-get install -y wrk): throughput skipped");
			row(10, "HTTP throughput, event checks every 100 ms", "n/a (wrk missing)", "", "", "ratio >= 0.98", "n/a");
			return;
		}
		int duration = this.quick ? 3 : 10;
		int pairs = this.quick ? 1 : 6;
		section("HTTP throughput with wrk (-t1 -c16, " + duration + " s runs, " + pairs
				+ " pairs in ABBA order after a 20 s warm-up each)");
		int supPort = freePort();
		int unsupPort = freePort();
		try (Launched sup = Launched.start("wrk-supervised", sampleCommand(true, supPort, "--sam.time-interval=400ms"),
				Map.of(), this.logs);
				Launched unsup = Launched.start("wrk-unsupervised", sampleCommand(false, unsupPort), Map.of(),
						this.logs)) {
			if (Http.awaitOk(supPort, -1, TimeUnit.SECONDS.toNanos(180), sup::isAlive) < 0
					|| Http.awaitOk(unsupPort, -1, TimeUnit.SECONDS.toNanos(180), unsup::isAlive) < 0) {
				throw new IllegalStateException("a sample app did not answer within 180s");
			}
			// Measure the application as it runs once ready: health checking starts at
			// ApplicationReadyEvent.
			sup.awaitLine(0, text -> text.contains("started health checking"), 180, TimeUnit.SECONDS);
			Thread.sleep(5000);
			int warmUp = this.quick ? 3 : 20;
			long instance = currentInstance(sup);
			wrk(supPort, warmUp);
			wrk(unsupPort, warmUp);
			for (int again = 0; again < 2 && currentInstance(sup) != instance; again++) {
				// The supervisor replaced the instance during the warm-up: warm the new
				// one up too.
				say("  the supervised instance was restarted during the warm-up; warming up the new one");
				instance = currentInstance(sup);
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
				long before = currentInstance(sup);
				if (pair % 2 == 0) {
					a = wrk(supPort, duration);
					b = wrk(unsupPort, duration);
				}
				else {
					b = wrk(unsupPort, duration);
					a = wrk(supPort, duration);
				}
				if (currentInstance(sup) != before || Double.isNaN(a) || Double.isNaN(b)) {
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
			this.details.append("\n### HTTP throughput (requests per second, wrk -t1 -c16 -d")
				.append(duration)
				.append("s GET /)\n\nSupervised: `--sam.time-interval=400ms` (the supervisor asks for a check every"
						+ " 100 ms). Both applications run at the same time; runs alternate.\n\n")
				.append("| measure | median (range, n) | all |\n| --- | --- | --- |\n");
			detailLine("supervised", s);
			detailLine("unsupervised (-Dsam.enabled=false)", u);
			detailLine("ratio, paired", r);
			this.details.append("\nPairs left out because the supervisor replaced the instance during them: ")
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
			row(10, "HTTP throughput under wrk, event checks every 100 ms",
					(s.empty() ? "no pair completed" : s.format("req/s"))
							+ ((warmUpRestarts + restarts > 0) ? "; the supervisor restarted the instance "
									+ (warmUpRestarts + restarts) + " time(s) under load (health-check timeout)" : ""),
					"unsupervised: " + u.format("req/s"), ratioStats(r), "ratio >= 0.98",
					met(!r.empty() && r.median() >= 0.98 && warmUpRestarts + restarts == 0));
		}
	}

	/**
	 * Waits until the supervised app's current instance answers and has started health
	 * checking.
	 */
	private static void awaitReady(Launched app, int port) throws InterruptedException {
		Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), app::isAlive);
		long pid = currentInstance(app);
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
				Map.of(), this.logs)) {
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

	// ---- report
	// ----------------------------------------------------------------------------------

	private String report(String loadBefore, String loadAfter, long seconds) {
		StringBuilder report = new StringBuilder();
		report.append("## Results\n\n")
			.append("Taken ")
			.append(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS))
			.append(" in ")
			.append(seconds / 60)
			.append(" min ")
			.append(seconds % 60)
			.append(" s")
			.append(this.quick ? " (QUICK run: too few samples for figures)" : "")
			.append(".\n\n")
			.append(machine())
			.append("\nLoad average before / after: ")
			.append(loadBefore)
			.append(" / ")
			.append(loadAfter)
			.append(".\n\n")
			.append("| figure | SAM for Spring Boot | compared with | ratio | target | met |\n")
			.append("| --- | --- | --- | --- | --- | --- |\n");
		for (List<String[]> group : this.rows.values()) {
			for (String[] row : group) {
				report.append("| ").append(String.join(" | ", row)).append(" |\n");
			}
		}
		report.append("\nMedians with (min-max, n). Ratios are SAM for Spring Boot / comparison;"
				+ " start, recovery and throughput ratios are paired per round, then the median is taken.\n");
		report.append(this.details);
		return report.toString();
	}

	private String machine() {
		String memory = ProcFs.systemLine("meminfo", "MemTotal");
		return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs ("
				+ ProcFs.systemLine("cpuinfo", "model name") + "), " + memory + " memory, Linux "
				+ readQuietly("/proc/sys/kernel/osrelease") + ", JDK " + System.getProperty("java.runtime.version")
				+ " (" + System.getProperty("java.vm.name") + ")"
				+ ((this.sambench != null) ? ", corosync libsam " + corosyncVersion() : ", no corosync column") + ".";
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

	private void row(int order, String figure, String ours, String comparedWith, String ratio, String target,
			String met) {
		this.rows.computeIfAbsent(order, key -> new ArrayList<>())
			.add(new String[] { figure, ours, comparedWith, ratio, target, met });
	}

	private void detailRow(String measure, List<Double> ours, List<Double> theirs) {
		this.details.append("| ")
			.append(measure)
			.append(" | ")
			.append(Stats.of(ours).format("ms"))
			.append(" | ")
			.append((theirs != null) ? Stats.of(theirs).format("ms") : "")
			.append(" |\n");
	}

	private void detailLine(String measure, Stats stats) {
		this.details.append("| ")
			.append(measure)
			.append(" | ")
			.append(stats.format(""))
			.append(" | ")
			.append(stats.all())
			.append(" |\n");
	}

	private static String ratioStats(Stats ratios) {
		return ratios.empty() ? "n/a"
				: String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", ratios.median(), ratios.min(), ratios.max());
	}

	private static String ratio(double value) {
		return Double.isNaN(value) || Double.isInfinite(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
	}

	private static String us(double value) {
		return Stats.num(value) + " us";
	}

	private static String met(boolean met) {
		return met ? "yes" : "**no**";
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void section(String title) {
		say("== " + title);
	}

	private static void say(String line) {
		System.out.println("[" + OffsetDateTime.now().toLocalTime().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
		System.out.flush();
	}

}
