package io.samboot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.samboot.bench.Console.heading;
import static io.samboot.bench.Console.say;
import static io.samboot.bench.Figures.ratio;

/**
 * The idle footprint ({@code --only idle}): resident memory and CPU of the supervisors,
 * bare JVMs, the floor under the supervisor's memory ({@link SupervisorFloor}, with and
 * without the JIT compiler) and corosync's server, all running side by side for the same
 * seconds.
 */
final class IdleSection {

	/**
	 * Options for a JVM that should cost as little memory as possible (what a lean
	 * supervisor would run with).
	 */
	static final List<String> LEAN_JVM = List.of("-XX:+UseSerialGC", "-Xms4m", "-Xmx16m", "-Xss256k",
			"-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m", "-XX:-UsePerfData");

	/** The target for the supervisor's resident memory, in MB. */
	static final double RSS_TARGET_MB = 40;

	/** The target for the supervisor's CPU while idle, in % of one core. */
	static final double CPU_TARGET_PERCENT = 0.10;

	private final SuiteContext context;

	private final Report report;

	IdleSection(SuiteContext context) {
		this.context = context;
		this.report = context.report();
	}

	void run() throws Exception {
		int seconds = this.context.quick() ? 10 : 60;
		heading("Idle footprint over " + seconds + " s (time-interval 1s, sampled every second), all side by side");
		Map<String, Launched> processes = new LinkedHashMap<>();
		List<Subject> subjects = new ArrayList<>();
		int port = SampleApp.freePort();
		try {
			Launched sample = Launched.start("idle-sample-supervised",
					this.context.sampleCommand(true, port, "--sam.time-interval=1s"), Map.of(), this.context.logs());
			String ours = "SAM for Spring Boot: supervisor of the sample app (re-executed as the lean supervisor JVM)";
			processes.put(ours, sample);
			int inPlacePort = SampleApp.freePort();
			List<String> inPlaceCommand = new ArrayList<>(
					this.context.sampleCommand(true, inPlacePort, "--sam.time-interval=1s"));
			inPlaceCommand.add(1, "-Dsam.supervisor.reexec=false");
			Launched inPlace = Launched.start("idle-sample-supervised-in-place", inPlaceCommand, Map.of(),
					this.context.logs());
			String inPlaceName = "the same with -Dsam.supervisor.reexec=false (the JVM the user started supervises,"
					+ " after loading part of Spring Boot)";
			processes.put(inPlaceName, inPlace);
			Subject plain = new Subject(
					"idle-java-subject", true, List.of(this.context.javaBin(), "-cp", this.context.classPath(),
							SamSubject.class.getName(), "idle"),
					this.context.out().resolve("slots-idle-java"), this.context.logs());
			subjects.add(plain);
			String plainName = "supervisor of the plain-Java subject (no Spring; also re-executed)";
			processes.put(plainName, plain.process);
			String bareName = "bare idle JVM, default options";
			processes.put(bareName,
					Launched.start("idle-bare-jvm",
							List.of(this.context.javaBin(), "-cp", this.context.classPath(), IdleJvm.class.getName()),
							Map.of(), this.context.logs()));
			List<String> bareLean = new ArrayList<>(List.of(this.context.javaBin()));
			bareLean.addAll(LEAN_JVM);
			bareLean.addAll(List.of("-cp", this.context.classPath(), IdleJvm.class.getName()));
			processes.put("bare idle JVM, lean options",
					Launched.start("idle-bare-jvm-lean", bareLean, Map.of(), this.context.logs()));
			String corosyncName = null;
			if (this.context.sambench() != null) {
				Subject c = new Subject("idle-corosync", false, List.of(this.context.sambench().toString(), "idle"),
						this.context.out().resolve("slots-idle-corosync"), this.context.logs());
				subjects.add(c);
				corosyncName = "corosync libsam: forked server (the process that called sam_register)";
				processes.put(corosyncName, c.process);
			}
			if (Http.awaitOk(port, -1, TimeUnit.SECONDS.toNanos(180), sample::isAlive) < 0
					|| Http.awaitOk(inPlacePort, -1, TimeUnit.SECONDS.toNanos(180), inPlace::isAlive) < 0) {
				throw new IllegalStateException("a supervised sample app did not answer within 180s");
			}
			for (Subject subject : subjects) {
				subject.awaitInstance();
			}
			String floorName = "the floor: a JVM doing only what any JVM supervisor must (JNA's direct mapping and"
					+ " one call through it, a child process, a Unix socket watched by a selector, a request and its"
					+ " answer every 250 ms), with the supervisor's JVM options and class path, an archive of its own"
					+ " classes and its free C memory given back";
			SupervisorFloorRun floor = SupervisorFloorRun.prepare(this.context, sample.pid());
			processes.put(floorName, floor.start("idle-floor", List.of()));
			String interpretedFloorName = "the same floor without the JIT compiler (-Xint)";
			processes.put(interpretedFloorName, floor.start("idle-floor-interpreted", List.of("-Xint")));
			SupervisorFloorRun.awaitTrim(processes.get(floorName));
			SupervisorFloorRun.awaitTrim(processes.get(interpretedFloorName));
			say("  all started; settling for 10 s");
			Thread.sleep(this.context.quick() ? 2000 : 10_000);
			Map<String, List<Double>> rss = new LinkedHashMap<>();
			List<Double> ourPss = new ArrayList<>();
			List<Double> ourUss = new ArrayList<>();
			Map<String, Long> cpuBefore = new LinkedHashMap<>();
			Map<String, Long> cpuNanosBefore = new LinkedHashMap<>();
			List<Double> instanceRss = new ArrayList<>();
			long instancePid = SampleApp.currentInstance(sample);
			long begin = System.nanoTime();
			processes.forEach((name, process) -> {
				cpuBefore.put(name, ProcFs.cpuTicks(process.pid()));
				cpuNanosBefore.put(name, ProcFs.cpuNanos(process.pid()));
				rss.put(name, new ArrayList<>());
			});
			Map<String, Long> threadsBefore = ProcFs.threadCpuNanos(sample.pid());
			Map<String, Long> plainThreadsBefore = ProcFs.threadCpuNanos(plain.process.pid());
			CpuBySecond ourSeconds = new CpuBySecond(sample.pid());
			for (int second = 0; second < seconds; second++) {
				ourSeconds.read();
				for (Map.Entry<String, Launched> entry : processes.entrySet()) {
					rss.get(entry.getKey()).add(ProcFs.rssKb(entry.getValue().pid()) / 1024.0);
				}
				instanceRss.add(ProcFs.rssKb(instancePid) / 1024.0);
				ProcFs.Memory memory = ProcFs.memory(sample.pid());
				if (memory.rssKb() >= 0) {
					ourPss.add(memory.pssKb() / 1024.0);
					ourUss.add(memory.ussKb() / 1024.0);
				}
				Thread.sleep(1000);
			}
			ourSeconds.read();
			double elapsed = (System.nanoTime() - begin) / 1e9;
			String busiest = busiestThreads(threadsBefore, ProcFs.threadCpuNanos(sample.pid()), elapsed);
			String plainBusiest = busiestThreads(plainThreadsBefore, ProcFs.threadCpuNanos(plain.process.pid()),
					elapsed);
			Map<String, Double> cpu = new LinkedHashMap<>();
			Map<String, Double> cpuFromTicks = new LinkedHashMap<>();
			Map<String, Long> threads = new LinkedHashMap<>();
			processes.forEach((name, process) -> {
				long ticks = ProcFs.cpuTicks(process.pid()) - cpuBefore.get(name);
				cpuFromTicks.put(name, 100.0 * ticks / ProcFs.CLOCK_TICKS / elapsed);
				cpu.put(name, 100.0 * (ProcFs.cpuNanos(process.pid()) - cpuNanosBefore.get(name)) / 1e9 / elapsed);
				threads.put(name, ProcFs.threads(process.pid()));
			});
			this.report.details()
				.append("\n### Idle footprint over ")
				.append(seconds)
				.append(" s, all running at the same time (RSS from /proc/<pid>/status VmRSS, sampled every second,"
						+ " and for our supervisor PSS and USS from /proc/<pid>/smaps_rollup;"
						+ " CPU from each thread's time on a CPU in /proc/<pid>/task/<tid>/schedstat, in nanoseconds,"
						+ " and beside it from utime+stime in /proc/<pid>/stat, sampled at each 10 ms tick)\n\n")
				.append("| process | RSS MB median (range) | CPU % of one core | the same from ticks | threads |\n"
						+ "| --- | --- | --- | --- | --- |\n");
			for (String name : processes.keySet()) {
				Stats memory = Stats.of(rss.get(name));
				this.report.details()
					.append("| ")
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
					.append(String.format(Locale.ROOT, "%.3f", cpuFromTicks.get(name)))
					.append(" | ")
					.append(threads.get(name))
					.append(" |\n");
			}
			Stats instance = Stats.of(instanceRss);
			this.report.details()
				.append("| (for scale) the sample app's instance | ")
				.append(Stats.num(instance.median()))
				.append(" | | | |\n\n")
				.append("Where the supervisor's CPU went (threads by name, % of one core): sample app's supervisor: ")
				.append(busiest)
				.append("; plain-Java subject's supervisor: ")
				.append(plainBusiest)
				.append(".\n\n");
			double ourRss = Stats.of(rss.get(ours)).median();
			double inPlaceRss = Stats.of(rss.get(inPlaceName)).median();
			double bareRss = Stats.of(rss.get(bareName)).median();
			double floorRss = Stats.of(rss.get(floorName)).median();
			double ourCpu = cpu.get(ours);
			Stats ourRssRange = Stats.of(rss.get(ours));
			Stats pss = Stats.of(ourPss);
			Stats uss = Stats.of(ourUss);
			this.report
				.row(8, "supervisor resident memory while idle (T = 1 s, " + seconds + " s)",
						"RSS " + ourRssRange.format("MB") + "; PSS " + pss.format("MB") + "; USS " + uss.format("MB"),
						"the floor " + Stats.num(floorRss) + " MB; supervising from the JVM the user started "
								+ Stats.num(inPlaceRss) + " MB; bare JVM " + Stats.num(bareRss)
								+ " MB; plain-Java supervisor " + Stats.num(Stats.of(rss.get(plainName)).median())
								+ " MB"
								+ ((corosyncName != null) ? "; corosync server "
										+ Stats.num(Stats.of(rss.get(corosyncName)).median()) + " MB" : ""),
						ratio(ourRss / bareRss) + " of a bare JVM, " + ratio(ourRss / inPlaceRss) + " of in place",
						"RSS <= " + Stats.num(RSS_TARGET_MB) + " MB", rangeVerdict(ourRssRange, RSS_TARGET_MB));
			floorRow(seconds, ourRss, Stats.of(rss.get(floorName)), Stats.of(rss.get(interpretedFloorName)));
			Interval ourCpuInterval = Interval.ofMean(ourSeconds.percents());
			this.report.row(9, "supervisor CPU while idle (T = 1 s, " + seconds + " s)",
					String.format(Locale.ROOT, "%.3f %% (from ticks %.3f %%); by second, mean %s", ourCpu,
							cpuFromTicks.get(ours), ourCpuInterval.format("%")),
					String.format(Locale.ROOT, "in place %.3f %%; bare JVM %.3f %%", cpu.get(inPlaceName),
							cpu.get(bareName))
							+ ((corosyncName != null)
									? String.format(Locale.ROOT, "; corosync server %.3f %%", cpu.get(corosyncName))
									: ""),
					"", "<= " + CPU_TARGET_PERCENT + " % of a core", ourCpuInterval.verdictAtMost(CPU_TARGET_PERCENT));
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

	/**
	 * The floor under the memory target: a JVM that does only what any JVM supervisor
	 * must ({@link SupervisorFloor}). Its own verdict says whether the floor alone is
	 * within the target, judged as the supervisor's row judges the supervisor.
	 */
	private void floorRow(int seconds, double ourRss, Stats floor, Stats interpretedFloor) {
		this.report.row(8,
				"the floor under that target: a JVM doing only what any JVM supervisor must, nothing of SAM's ("
						+ seconds + " s)",
				"RSS " + floor.format("MB"),
				"the supervisor above the floor: " + Stats.num(ourRss - floor.median())
						+ " MB; the floor without the JIT compiler (-Xint) " + Stats.num(interpretedFloor.median())
						+ " MB",
				"", "RSS <= " + Stats.num(RSS_TARGET_MB) + " MB",
				"the floor alone: " + rangeVerdict(floor, RSS_TARGET_MB));
	}

	/**
	 * A process's CPU second by second, in % of one core, so that the idle figure comes
	 * with an interval: an idle supervisor's seconds differ (a compilation, a
	 * collection), and a mean at the target's edge is decided only when its interval is
	 * on one side.
	 */
	static final class CpuBySecond {

		private final long pid;

		private final List<Double> percents = new ArrayList<>();

		private long lastNanos = -1;

		private long lastCpuNanos;

		CpuBySecond(long pid) {
			this.pid = pid;
		}

		/**
		 * Takes a reading; from the second on, each adds the CPU since the one before.
		 */
		void read() {
			long now = System.nanoTime();
			long cpu = ProcFs.cpuNanos(this.pid);
			if (cpu < 0) {
				return;
			}
			add(now, cpu);
		}

		void add(long nowNanos, long cpuNanos) {
			// A thread that ended between two readings takes its time with it: such a
			// second is left out rather than counted below zero.
			if (this.lastNanos >= 0 && nowNanos > this.lastNanos && cpuNanos >= this.lastCpuNanos) {
				this.percents.add(100.0 * (cpuNanos - this.lastCpuNanos) / (nowNanos - this.lastNanos));
			}
			this.lastNanos = nowNanos;
			this.lastCpuNanos = cpuNanos;
		}

		List<Double> percents() {
			return this.percents;
		}

	}

	/**
	 * Whether a figure sampled over time is within an "at most" target: {@code met} when
	 * every sample is, a bold {@code missed} when none is, {@code undecided} otherwise.
	 */
	static String rangeVerdict(Stats samples, double limit) {
		if (samples.empty()) {
			return "n/a";
		}
		return (samples.max() <= limit) ? "met" : (samples.min() > limit) ? "**missed**" : "undecided";
	}

	/**
	 * The six threads (by name) that used the most CPU between two readings, busiest
	 * first, as {@code `name` 0.150} in % of one core.
	 * @param before CPU nanoseconds per thread name at the start
	 * @param after CPU nanoseconds per thread name at the end
	 * @param seconds the time between the two readings
	 * @return the list, or {@code none measurable}
	 */
	static String busiestThreads(Map<String, Long> before, Map<String, Long> after, double seconds) {
		List<Map.Entry<String, Long>> used = new ArrayList<>();
		after.forEach((name, nanos) -> {
			long delta = nanos - before.getOrDefault(name, 0L);
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
				.append(String.format(Locale.ROOT, "%.3f", 100.0 * entry.getValue() / 1e9 / seconds));
		}
		return (out.length() > 0) ? out.toString() : "none measurable";
	}

}
