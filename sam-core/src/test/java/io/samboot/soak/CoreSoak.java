package io.samboot.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.soak.LaneOutput.Served;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SoakLanes;

/**
 * The core soak: thousands of faults against plain Java instances ({@link SoakInstance}),
 * which start in a fraction of a second, so the supervisor's own semantics are tried
 * thousands of times within an hour. Several lanes run at once, each its own supervisor
 * (the process the soak starts, which re-executes itself as the lean supervisor) with its
 * own control directory; each lane injects the kinds of {@link Kind} in a shuffled order
 * until the faults or the time budget run out.
 *
 * <p>
 * After every fault it checks, and counts a violation for anything wrong: the causes the
 * supervisor gave the ended instances; the expected instance serving; its restored data
 * (a counter at least the last one acknowledged, at most one more, and a blob whose
 * checksum holds); no descendant of the supervisor but the serving instance; the
 * supervisor's descriptors and memory flat.
 */
public final class CoreSoak {

	/** The kinds of fault, each injected as often as the others. */
	enum Kind {

		/** SIGKILL to the instance: cause exited, a new instance. */
		KILL_INSTANCE,
		/** SIGSTOP to the instance: cause health-check-timeout, a new instance. */
		STOP_HANG,
		/** SIGSTOP for a third of the interval, SIGCONT: the same instance serves on. */
		SHORT_STOP,
		/** The instance's health check blocks: cause health-check-timeout. */
		CHECK_HANG,
		/** The instance's health check fails: cause health-check-failed. */
		CHECK_FAILS,
		/**
		 * SIGKILL, and the next instance halts right after start(): two end, both exited.
		 */
		CRASH_ON_START,
		/**
		 * SIGKILL while it stores 256 KiB to 1 MiB every 20 ms: no acknowledged store
		 * lost.
		 */
		KILL_DURING_STORE,
		/** SIGHUP to the supervisor: a graceful restart, cause restart-requested. */
		SIGHUP,
		/**
		 * SIGKILL to the supervisor: the instance dies with it, a fresh supervisor starts
		 * clean.
		 */
		KILL_SUPERVISOR,
		/**
		 * SIGSTOP to the supervisor for twice the interval: the healthy instance lives
		 * on.
		 */
		STOPPED_SUPERVISOR,
		/**
		 * SIGKILL to the instance, then to its replacement during its start: recovered.
		 */
		KILLED_REPLACEMENT;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** What a run is asked to do. */
	record Options(int faults, int lanes, Duration budget, long seed, Duration interval, Set<Kind> kinds) {
	}

	/** One fault's outcome. */
	record Outcome(Kind kind, long millis, List<String> violations) {
	}

	private static final Duration SERVE = Duration.ofSeconds(60);

	private static final NativeAccess OS = NativeAccess.get();

	private final Options options;

	private final Path directory;

	private final AtomicInteger remaining;

	private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

	private final Map<Kind, List<String>> examples = new ConcurrentHashMap<>();

	private final long deadlineNanos;

	public CoreSoak(Options options, Path directory) {
		this.options = options;
		this.directory = directory;
		this.remaining = new AtomicInteger(options.faults());
		this.deadlineNanos = System.nanoTime() + options.budget().toNanos();
	}

	/** Runs every lane to the end and returns the table. */
	public Report run() throws Exception {
		Instant began = Instant.now();
		List<SoakLanes.Lane> lanes = new ArrayList<>();
		for (int lane = 0; lane < this.options.lanes(); lane++) {
			int number = lane;
			lanes.add(() -> new Lane(number).run());
		}
		SoakLanes.runAll(lanes);
		return new Report(this.options, List.copyOf(this.outcomes), Map.copyOf(this.examples),
				Duration.between(began, Instant.now()));
	}

	private boolean goOn() {
		return System.nanoTime() - this.deadlineNanos < 0 && this.remaining.getAndDecrement() > 0;
	}

	/** One supervisor (and its successors after a supervisor kill) and its faults. */
	private final class Lane {

		private final int number;

		private final Path control;

		private final Random random;

		private Process supervisor;

		private LaneOutput output;

		private long baseDescriptors;

		private long baseRssKb;

		Lane(int number) throws IOException {
			this.number = number;
			this.control = Files.createDirectories(CoreSoak.this.directory.resolve("lane-" + number));
			this.random = new Random(CoreSoak.this.options.seed() * 31 + number);
		}

		void run() throws Exception {
			startSupervisor();
			try {
				List<Kind> order = new ArrayList<>();
				while (goOn()) {
					if (order.isEmpty()) {
						order.addAll(CoreSoak.this.options.kinds());
						Collections.shuffle(order, this.random);
					}
					Kind kind = order.remove(order.size() - 1);
					Outcome outcome = inject(kind);
					CoreSoak.this.outcomes.add(outcome);
					if (!outcome.violations().isEmpty()) {
						CoreSoak.this.examples.putIfAbsent(kind,
								List.of(String.join("; ", outcome.violations()), this.output.recent()));
						// Start from a known state: a fresh supervisor.
						stopSupervisor();
						startSupervisor();
					}
					Thread.sleep(this.random.nextInt(200));
				}
			}
			finally {
				stopSupervisor();
			}
		}

		private void startSupervisor() throws Exception {
			clearControl();
			Jdk jdk = Jdk.current();
			List<String> command = new ArrayList<>();
			command.add(jdk.java());
			command.addAll(jdk.quietOptions());
			command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xss512k",
					"-XX:-UsePerfData"));
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakInstance.class.getName(),
					this.control.toString(), Long.toString(CoreSoak.this.options.interval().toMillis())));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().keySet().removeIf((name) -> name.startsWith("SAM_"));
			this.supervisor = builder.start();
			this.output = new LaneOutput(this.supervisor.getInputStream());
			if (!this.output.await((out) -> out.served(1) != null, SERVE)) {
				throw new AssertionError("lane " + this.number + ": instance 1 never served:\n" + this.output.recent());
			}
			if (CoreSoak.this.options.kinds().contains(Kind.SIGHUP)
					&& this.output.recent().contains("SIGHUP was ignored when this process started")) {
				throw new AssertionError("the soak runs with SIGHUP ignored (started under nohup?), so its sighup"
						+ " faults cannot work: start it without nohup (setsid, a terminal multiplexer)");
			}
			// The lean supervisor's steady state: after its first instance serves.
			this.baseDescriptors = descriptors(this.supervisor.pid());
			this.baseRssKb = rssKb(this.supervisor.pid());
		}

		private void stopSupervisor() throws InterruptedException {
			if (this.supervisor == null) {
				return;
			}
			this.supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
			this.supervisor.destroyForcibly();
			this.supervisor.waitFor();
			this.supervisor = null;
		}

		private void clearControl() throws IOException {
			for (String name : List.of("hang", "unhealthy", "crash-after-start", "big")) {
				Files.deleteIfExists(this.control.resolve(name));
			}
		}

		private Outcome inject(Kind kind) throws Exception {
			List<String> violations = new ArrayList<>();
			int current = this.output.latestServed();
			Served serving = this.output.served(current);
			long supervisorPid = this.supervisor.pid();
			long began = System.nanoTime();
			int expected = current + 1;
			Duration interval = CoreSoak.this.options.interval();
			switch (kind) {
				case KILL_INSTANCE -> {
					OS.kill(serving.pid(), PosixSignal.KILL);
					expectCause(current, "exited", violations);
				}
				case STOP_HANG -> {
					OS.kill(serving.pid(), PosixSignal.STOP);
					expectCause(current, "health-check-timeout", violations);
				}
				case SHORT_STOP, STOPPED_SUPERVISOR -> {
					long stopped = (kind == Kind.SHORT_STOP) ? serving.pid() : supervisorPid;
					Duration length = (kind == Kind.SHORT_STOP) ? interval.dividedBy(3) : interval.multipliedBy(2);
					OS.kill(stopped, PosixSignal.STOP);
					Thread.sleep(length.toMillis());
					OS.kill(stopped, PosixSignal.CONT);
					expected = current;
					long acks = this.output.acks();
					// The fault's own check: a whole kill cycle passes and it still
					// serves.
					if (this.output.await((out) -> out.cause(current) != null,
							interval.multipliedBy(2).plus(interval.dividedBy(3)))) {
						violations.add(kind.id() + ": instance " + current + " ended (" + this.output.cause(current)
								+ ") although it was healthy");
					}
					if (!this.output.await((out) -> out.acks() > acks + 3, SERVE)) {
						violations.add(kind.id() + ": instance " + current + " stopped storing data");
					}
				}
				case CHECK_HANG, CHECK_FAILS -> {
					Path file = this.control.resolve((kind == Kind.CHECK_HANG) ? "hang" : "unhealthy");
					Files.createFile(file);
					boolean ended = this.output.await((out) -> out.cause(current) != null, SERVE);
					Files.deleteIfExists(file);
					if (!ended) {
						violations.add(kind.id() + ": instance " + current + " was never ended");
					}
					expectCause(current, (kind == Kind.CHECK_HANG) ? "health-check-timeout" : "health-check-failed",
							violations);
				}
				case CRASH_ON_START -> {
					Files.createFile(this.control.resolve("crash-after-start"));
					OS.kill(serving.pid(), PosixSignal.KILL);
					expectCause(current, "exited", violations);
					expectCause(current + 1, "exited", violations);
					expected = current + 2;
				}
				case KILL_DURING_STORE -> {
					Path big = this.control.resolve("big");
					Files.createFile(big);
					long acks = this.output.acks();
					this.output.await((out) -> out.acks() > acks + 1 + this.random.nextInt(3), SERVE);
					Thread.sleep(this.random.nextInt(15));
					OS.kill(serving.pid(), PosixSignal.KILL);
					Files.deleteIfExists(big);
					expectCause(current, "exited", violations);
				}
				case SIGHUP -> {
					OS.kill(supervisorPid, PosixSignal.HUP);
					expectCause(current, "restart-requested", violations);
				}
				case KILL_SUPERVISOR -> {
					OS.kill(supervisorPid, PosixSignal.KILL);
					this.supervisor.waitFor();
					if (!awaitGone(serving.pid(), Duration.ofSeconds(2))) {
						violations.add(kind.id() + ": instance " + current + " (pid " + serving.pid()
								+ ") outlived its supervisor by 2s");
						ProcessHandle.of(serving.pid()).ifPresent(ProcessHandle::destroyForcibly);
					}
					startSupervisor();
					expected = 1;
				}
				case KILLED_REPLACEMENT -> {
					OS.kill(serving.pid(), PosixSignal.KILL);
					int replacement = current + 1;
					if (this.output.await((out) -> out.launchedPid(replacement) != null, SERVE)) {
						OS.kill(this.output.launchedPid(replacement), PosixSignal.KILL);
					}
					expectCause(current, "exited", violations);
					expectCause(replacement, "exited", violations);
					expected = current + 2;
				}
			}
			int serve = expected;
			if (!this.output.await((out) -> out.served(serve) != null, SERVE)) {
				violations.add(kind.id() + ": instance " + serve + " never served");
				return new Outcome(kind, (System.nanoTime() - began) / 1_000_000, violations);
			}
			long millis = (System.nanoTime() - began) / 1_000_000;
			checkData(kind, this.output.served(serve), violations);
			checkProcesses(kind, this.output.served(serve), violations);
			return new Outcome(kind, millis, violations);
		}

		private void expectCause(int iid, String cause, List<String> violations) throws InterruptedException {
			if (!this.output.await((out) -> out.cause(iid) != null, SERVE)) {
				violations.add("instance " + iid + " never ended (expected " + cause + ")");
			}
			else if (!cause.equals(this.output.cause(iid))) {
				violations.add("instance " + iid + " ended with " + this.output.cause(iid) + ", not " + cause);
			}
		}

		private void checkData(Kind kind, Served served, List<String> violations) {
			if (!served.blobOk()) {
				violations.add(kind.id() + ": instance " + served.iid() + " restored a corrupt blob");
			}
			long acked = this.output.ackedBefore(served.iid());
			if (served.counter() < acked || served.counter() > acked + 1) {
				violations.add(kind.id() + ": instance " + served.iid() + " restored counter " + served.counter()
						+ ", but " + acked + " was the last acknowledged");
			}
		}

		private void checkProcesses(Kind kind, Served served, List<String> violations) throws Exception {
			long supervisorPid = this.supervisor.pid();
			List<Long> others = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			do {
				others.clear();
				this.supervisor.descendants()
					.filter((process) -> process.pid() != served.pid() && alive(process.pid()))
					.forEach((process) -> others.add(process.pid()));
				if (others.isEmpty()) {
					break;
				}
				Thread.sleep(10);
			}
			while (System.nanoTime() - deadline < 0);
			if (!others.isEmpty()) {
				violations.add(kind.id() + ": the supervisor has other live descendants than instance " + served.iid()
						+ ": " + others);
			}
			long descriptors = descriptors(supervisorPid);
			if (descriptors > this.baseDescriptors + 10) {
				violations.add(kind.id() + ": the supervisor holds " + descriptors + " descriptors, "
						+ this.baseDescriptors + " after its first instance");
			}
			long rss = rssKb(supervisorPid);
			if (rss > this.baseRssKb + 30 * 1024) {
				violations
					.add(kind.id() + ": the supervisor's RSS grew from " + this.baseRssKb + " kB to " + rss + " kB");
			}
			if (this.output.failLines() > 0) {
				violations.add(kind.id() + ": FAIL or exception lines in the output");
			}
		}

	}

	static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (alive(pid)) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			Thread.sleep(5);
		}
		return true;
	}

	static boolean alive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		}
		catch (IOException ex) {
			return false;
		}
	}

	static long descriptors(long pid) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return fds.count();
		}
	}

	static long rssKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D+", ""));
			}
		}
		return 0;
	}

	/** The table a run prints. */
	public record Report(Options options, List<Outcome> outcomes, Map<Kind, List<String>> examples, Duration took) {

		public long violations() {
			return this.outcomes.stream().mapToLong((outcome) -> outcome.violations().size()).sum();
		}

		public int injected() {
			return this.outcomes.size();
		}

		@Override
		public String toString() {
			StringBuilder table = new StringBuilder(String.format("%-20s %8s %9s %12s %12s %10s%n", "fault", "injected",
					"recovered", "median ms", "worst ms", "violations"));
			Map<Kind, List<Outcome>> byKind = new EnumMap<>(Kind.class);
			this.outcomes
				.forEach((outcome) -> byKind.computeIfAbsent(outcome.kind(), (k) -> new ArrayList<>()).add(outcome));
			for (Kind kind : this.options.kinds()) {
				table.append(row(kind.id(), byKind.getOrDefault(kind, List.of())));
			}
			table.append(row("all", this.outcomes));
			table.append(String.format("%d faults in %s, %d lanes, seed %d, time interval %s%n", injected(),
					format(this.took), this.options.lanes(), this.options.seed(), this.options.interval()));
			this.examples.forEach((kind, example) -> table.append("first violation of ")
				.append(kind.id())
				.append(": ")
				.append(example.get(0))
				.append("\n  last lines:\n")
				.append(example.get(1).indent(4)));
			return table.toString();
		}

		private static String row(String name, List<Outcome> outcomes) {
			List<Long> times = outcomes.stream()
				.filter((outcome) -> outcome.violations().isEmpty())
				.map(Outcome::millis)
				.sorted()
				.toList();
			long violations = outcomes.stream().mapToLong((outcome) -> outcome.violations().size()).sum();
			return String.format("%-20s %8d %9d %12s %12s %10d%n", name, outcomes.size(), times.size(),
					times.isEmpty() ? "-" : Long.toString(times.get(times.size() / 2)),
					times.isEmpty() ? "-" : Long.toString(times.get(times.size() - 1)), violations);
		}

		private static String format(Duration duration) {
			return String.format("%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
		}

	}

}
