package io.samboot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.ms;

/**
 * First start, crash detection and recovery of the packaged sample application
 * ({@code --only start}): rounds of a supervised start, an unsupervised one and the
 * unsupervised command behind a {@link BareLauncher}, in an order that changes from round
 * to round, the supervised instance killed with SIGKILL in each round. Every ratio is a
 * median with its 95 % bootstrap interval ({@link Interval}), and each target is met,
 * missed or undecided by the whole interval.
 *
 * <p>
 * The bare-launched start is the floor of the first start's target: no supervisor that
 * re-launches the application can start it sooner than a JVM that does nothing else. Its
 * ratio to the unsupervised start is what a second JVM costs; the supervised start's
 * ratio to it is what SAM adds.
 */
final class StartSection {

	/**
	 * The section starts no round after this many minutes (ten rounds take about five on
	 * two quiet cores).
	 */
	private static final int BUDGET_MINUTES = 12;

	/** The targets: supervised / unsupervised first start, and recovery / cold start. */
	private static final double START_TARGET = 1.05;

	private static final double RECOVERY_TARGET = 1.05;

	/** The three ways a round starts the sample app. */
	private enum Variant {

		SUPERVISED("start-supervised-"), UNSUPERVISED("start-unsupervised-"), BARE_LAUNCHED("start-bare-launched-");

		private final String namePrefix;

		Variant(String namePrefix) {
			this.namePrefix = namePrefix;
		}

	}

	/**
	 * The orders of the rounds, taken in turn: each start takes each place twice in six
	 * rounds, and each round runs the one before it backwards, so that what a start
	 * leaves behind (a warm page cache, a busy second CPU) falls on each alike.
	 */
	private static final List<List<Variant>> ORDERS = List.of(
			List.of(Variant.SUPERVISED, Variant.UNSUPERVISED, Variant.BARE_LAUNCHED),
			List.of(Variant.BARE_LAUNCHED, Variant.UNSUPERVISED, Variant.SUPERVISED),
			List.of(Variant.UNSUPERVISED, Variant.SUPERVISED, Variant.BARE_LAUNCHED),
			List.of(Variant.BARE_LAUNCHED, Variant.SUPERVISED, Variant.UNSUPERVISED),
			List.of(Variant.UNSUPERVISED, Variant.BARE_LAUNCHED, Variant.SUPERVISED),
			List.of(Variant.SUPERVISED, Variant.BARE_LAUNCHED, Variant.UNSUPERVISED));

	private static final Pattern LAUNCHED_BEFORE_TAKEOVER = Pattern
		.compile("(\\d+)ms before this supervisor JVM took it over");

	private final SuiteContext context;

	private final Report report;

	private SampleCrash sampleCrash;

	StartSection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	/**
	 * The sample app's crashes, or {@code null} if the section did not run to its end.
	 */
	SampleCrash sampleCrash() {
		return this.sampleCrash;
	}

	void run() throws Exception {
		heading("First start, crash detection and recovery of the packaged sample application (" + this.context.rounds()
				+ " rounds, the order changing from round to round)");
		List<Double> supervised = new ArrayList<>();
		List<Double> unsupervised = new ArrayList<>();
		List<Double> startRatios = new ArrayList<>();
		List<Double> bareLaunched = new ArrayList<>();
		List<Double> bareRatios = new ArrayList<>();
		List<Double> overBareRatios = new ArrayList<>();
		List<Double> supervising = new ArrayList<>();
		List<Double> instanceLaunched = new ArrayList<>();
		List<Double> instanceOwnStart = new ArrayList<>();
		List<Double> instanceOwnRecovery = new ArrayList<>();
		List<Double> startWithinRun = new ArrayList<>();
		List<Double> recoveryWithinRun = new ArrayList<>();
		List<Double> reaped = new ArrayList<>();
		List<Double> exited = new ArrayList<>();
		List<Double> exitToLog = new ArrayList<>();
		// Each round starts a new supervisor: its first crash runs code that has not run
		// before in that JVM, the later ones do not.
		List<Double> exitToLogFirst = new ArrayList<>();
		List<Double> exitToLogLater = new ArrayList<>();
		List<Double> logged = new ArrayList<>();
		List<Double> relaunched = new ArrayList<>();
		List<Double> recovery = new ArrayList<>();
		List<Double> recoveryRatios = new ArrayList<>();
		int kills = this.context.quick() ? 1 : 2;
		int failures = 0;
		long budget = System.nanoTime() + TimeUnit.MINUTES.toNanos(BUDGET_MINUTES);
		int roundsDone = 0;
		for (int round = 0; round < this.context.rounds(); round++) {
			if (round >= 2 && System.nanoTime() - budget > 0) {
				say("  the section's " + BUDGET_MINUTES + "-minute budget is spent (a loaded machine): stopping after "
						+ round + " rounds");
				break;
			}
			roundsDone++;
			double sup = Double.NaN;
			double cold = Double.NaN;
			double bare = Double.NaN;
			List<Double> roundRecoveries = new ArrayList<>();
			for (Variant variant : ORDERS.get(round % ORDERS.size())) {
				boolean supervise = variant == Variant.SUPERVISED;
				int port = SampleApp.freePort();
				String name = variant.namePrefix + (round + 1);
				// restart.delay=0: restarts at once, as corosync's server does. With the
				// default
				// back-off the second kill of a round would wait a second by policy, and
				// the
				// recovery figure would measure the policy, not the supervisor. The
				// unsupervised
				// runs get the same line (sam.* is ignored there).
				List<String> command = (variant == Variant.BARE_LAUNCHED)
						? this.context.bareLaunchedSampleCommand(port, "--sam.restart.delay=0")
						: this.context.sampleCommand(supervise, port, "--sam.restart.delay=0");
				try (Launched app = Launched.start(name, command, Map.of(), this.context.logs())) {
					long ok = Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), app::isAlive);
					if (ok < 0) {
						failures++;
						say(name + ": no HTTP 200 within 180s (see its log)");
						continue;
					}
					double first = ms(ok - app.launchedNanos());
					say(String.format(Locale.ROOT, "  %s: first HTTP 200 after %.0f ms", name, first));
					if (variant == Variant.UNSUPERVISED) {
						unsupervised.add(first);
						cold = first;
						continue;
					}
					if (variant == Variant.BARE_LAUNCHED) {
						bareLaunched.add(first);
						bare = first;
						continue;
					}
					supervised.add(first);
					sup = first;
					Launched.Line line = app.awaitLine(0, text -> text.contains("[sam-supervisor] supervising pid"), 1,
							TimeUnit.SECONDS);
					if (line != null) {
						supervising.add(ms(app.writtenNanos(line) - app.launchedNanos()));
					}
					line = app.awaitLine(0, text -> SampleApp.LAUNCHED.matcher(text).find(), 1, TimeUnit.SECONDS);
					if (line != null) {
						// Instance 1 is launched before the supervisor re-executes
						// itself; the lean JVM logs it on taking over, saying how long
						// before that it was launched (and holds the line until the
						// instance registers: its time stamp counts, not its arrival).
						Matcher before = LAUNCHED_BEFORE_TAKEOVER.matcher(line.text());
						long launchedAt = app.writtenNanos(line)
								- (before.find() ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(before.group(1))) : 0);
						instanceLaunched.add(ms(launchedAt - app.launchedNanos()));
						instanceOwnStart.add(ms(ok - launchedAt));
						startWithinRun.add(first / ms(ok - launchedAt));
					}
					for (int k = 0; k < kills; k++) {
						long pid = SampleApp.currentInstance(app);
						Thread.sleep(1000);
						int from = app.lineCount();
						ExitWatch watch = ExitWatch.start(pid);
						long killed = System.nanoTime();
						this.context.os().kill(pid, PosixSignal.KILL);
						CompletableFuture<Long> gone = CompletableFuture
							.supplyAsync(() -> ProcFs.awaitReaped(pid, TimeUnit.SECONDS.toNanos(10)));
						long answered = Http.awaitOk(port, pid, TimeUnit.SECONDS.toNanos(180), app::isAlive);
						Launched.Line ended = app.awaitLine(from, text -> text.contains("(pid " + pid + ") ended"), 5,
								TimeUnit.SECONDS);
						Launched.Line next = app.awaitLine(from, text -> SampleApp.LAUNCHED.matcher(text).find(), 5,
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
								((k == 0) ? exitToLogFirst : exitToLogLater).add(ms(ended.nanos() - exitedAt));
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
			if (!Double.isNaN(bare) && !Double.isNaN(cold)) {
				bareRatios.add(bare / cold);
			}
			if (!Double.isNaN(sup) && !Double.isNaN(bare)) {
				overBareRatios.add(sup / bare);
			}
		}
		Stats sup = Stats.of(supervised);
		Stats cold = Stats.of(unsupervised);
		Stats ratios = Stats.of(startRatios);
		Stats rec = Stats.of(recovery);
		Stats recRatios = Stats.of(recoveryRatios);
		Stats seen = Stats.of(logged);
		this.report.details()
			.append("\n### Packaged sample application (milliseconds)\n\n")
			.append("`java -jar sample-app.jar --server.port=P --server.address=127.0.0.1`; unsupervised: the same with"
					+ " `-Dsam.enabled=false`; bare-launched: the unsupervised command started by `java -cp benchmarks.jar"
					+ " io.samboot.bench.BareLauncher`, a JVM that only launches it and waits. Launch time is taken right before the process is started; HTTP is polled"
					+ " every 10 ms.\n\n")
			.append("| measure | median (range, n) | all |\n| --- | --- | --- |\n");
		this.report.detailLine("first start, supervised: launch -> first HTTP 200", sup);
		this.report.detailLine("first start, -Dsam.enabled=false: launch -> first HTTP 200 (cold start)", cold);
		this.report.detailLine("ratio supervised / unsupervised, paired per round", ratios);
		this.report
			.detailLine("first start behind a bare launcher (a JVM that only re-launches the unsupervised command):"
					+ " launch -> first HTTP 200", Stats.of(bareLaunched));
		this.report.detailLine("ratio bare-launched / unsupervised, paired per round (what a second JVM costs)",
				Stats.of(bareRatios));
		this.report.detailLine("ratio supervised / bare-launched, paired per round (what SAM adds to re-launching)",
				Stats.of(overBareRatios));
		this.report.detailLine(
				"supervised: launch -> supervisor's \"supervising pid\" line (first JVM at ApplicationStartingEvent)",
				Stats.of(supervising));
		this.report.detailLine(
				"supervised: launch -> \"launched instance 1\" line (what supervision adds before the application starts)",
				Stats.of(instanceLaunched));
		this.report.detailLine("supervised: \"launched instance 1\" -> first HTTP 200 (the instance's own start)",
				Stats.of(instanceOwnStart));
		this.report.detailLine("within-run ratio: supervised first start / the instance's own start",
				Stats.of(startWithinRun));
		this.report.detailLine("SIGKILL of the instance -> it has exited (kernel done: pidfd readable, SIGCHLD time)",
				Stats.of(exited));
		this.report.detailLine("SIGKILL of the instance -> reaped by the supervisor (/proc/<pid> gone)",
				Stats.of(reaped));
		this.report.detailLine("instance exited -> supervisor's \"ended\" log line (the supervisor's own share)",
				Stats.of(exitToLog));
		this.report.detailLine("the same, each supervisor's first crash (the first kill of a round)",
				Stats.of(exitToLogFirst));
		this.report.detailLine("the same, its later crashes", Stats.of(exitToLogLater));
		this.report.detailLine("SIGKILL of the instance -> supervisor's \"ended\" log line", seen);
		this.report.detailLine("SIGKILL of the instance -> \"launched instance N+1\" line", Stats.of(relaunched));
		this.report.detailLine("\"launched instance N+1\" -> it answers HTTP 200 (the new instance's own start)",
				Stats.of(instanceOwnRecovery));
		this.report.detailLine("recovery: SIGKILL of the instance -> new instance answers HTTP 200", rec);
		this.report.detailLine("ratio recovery / cold start of the same round", recRatios);
		this.report.detailLine("within-run ratio: recovery / the new instance's own start",
				Stats.of(recoveryWithinRun));
		if (failures > 0) {
			this.report.details().append("\nRuns that did not complete: ").append(failures).append(".\n");
		}
		if (roundsDone < this.context.rounds()) {
			this.report.details()
				.append("\nOnly ")
				.append(roundsDone)
				.append(" of ")
				.append(this.context.rounds())
				.append(" rounds ran: the section stops starting rounds after ")
				.append(BUDGET_MINUTES)
				.append(" minutes on a loaded machine.\n");
		}
		this.report.details().append('\n');

		Interval startAb = Interval.ofMedian(startRatios);
		Interval startWithin = Interval.ofMedian(startWithinRun);
		Interval recoveryAb = Interval.ofMedian(recoveryRatios);
		Interval recoveryWithin = Interval.ofMedian(recoveryWithinRun);
		this.report.row(1, "first start: launch -> first HTTP 200 of the sample app", sup.format("ms"),
				"`-Dsam.enabled=false`: " + cold.format("ms"),
				"A/B " + startAb.format() + "; within run " + startWithin.format(), "ratio <= " + START_TARGET,
				"A/B " + startAb.verdictAtMost(START_TARGET) + "; within run "
						+ startWithin.verdictAtMost(START_TARGET));
		this.report.row(1, "first start behind a bare launcher (the floor: a JVM that only re-launches)",
				Stats.of(bareLaunched).format("ms"),
				"A/B with `-Dsam.enabled=false`: " + Interval.ofMedian(bareRatios).format(),
				"supervised / bare-launched " + Interval.ofMedian(overBareRatios).format(), "", "");
		this.report.row(1, "first start, the early launcher's share: launch -> instance 1 launched",
				Interval.ofMedian(instanceLaunched).format("ms"),
				"the instance's own start (launched -> first HTTP 200): "
						+ Interval.ofMedian(instanceOwnStart).format("ms"),
				"", "", "");
		this.report.row(3, "recovery: SIGKILL of the instance -> new instance answers HTTP", rec.format("ms"),
				"cold start: " + cold.format("ms"),
				"A/B " + recoveryAb.format() + "; within run " + recoveryWithin.format(), "ratio <= " + RECOVERY_TARGET,
				"A/B " + recoveryAb.verdictAtMost(RECOVERY_TARGET) + "; within run "
						+ recoveryWithin.verdictAtMost(RECOVERY_TARGET));
		this.sampleCrash = new SampleCrash(seen, Stats.of(exited), Stats.of(exitToLog));
	}

	/**
	 * The sample app's crashes, for the crash row.
	 *
	 * @param seen SIGKILL -> the supervisor's "ended" line
	 * @param exited SIGKILL -> the instance has exited
	 * @param ownShare exited -> "ended" line: the supervisor's own share
	 */
	record SampleCrash(Stats seen, Stats exited, Stats ownShare) {
	}

}
