package io.samboot.sample.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.sample.SampleApp;
import io.samboot.testsupport.CorosyncNode;
import io.samboot.testsupport.SoakLanes;

import static org.awaitility.Awaitility.await;

/**
 * A fault-injection soak of the packaged sample application under steady HTTP load:
 * faults of every kind at random moments in random order, and after each a check of
 * everything a supervisor must keep true. Bounded in faults and time, loopback only, and
 * it signals only processes it started.
 *
 * <p>
 * The quorum fault needs a private one-node corosync daemon ({@link CorosyncNode}, as the
 * core's tests start it: 127.0.0.1, its own configuration and state directory, the
 * machine-wide lock those tests take). Where none can be started it is counted and shown
 * as skipped, with the reason.
 */
public final class Soak {

	/** The faults, each with what the supervisor must record for it. */
	enum Fault {

		KILL_INSTANCE("exited"), STOP_HANG("health-check-timeout"), SHORT_STOP(), CHAOS_HANG("health-check-timeout"),
		CHAOS_UNHEALTHY("health-check-failed"), CHAOS_CRASH("exited"), CRASH_ON_START("exited", "exited"),
		SIGHUP("restart-requested"), GC_PAUSE(), KILL_SUPERVISOR(), QUORUM_LOSS("quorum-lost");

		final List<String> causes;

		Fault(String... causes) {
			this.causes = List.of(causes);
		}

	}

	static final List<String> APP_ARGUMENTS = List.of("--sam.time-interval=2s", "--sam.kill-delay=1s",
			"--sam.shutdown-timeout=5s", "--sam.restart.delay=100ms", "--sam.restart.max-delay=1s",
			"--sam.health-check.pause-grace=30s");

	/**
	 * Added for the quorum fault: the supervisor then needs corosync's quorum to start
	 * health checking.
	 */
	static final String QUORUM_ARGUMENT = "--sam.quorum.enabled=true";

	/** Added in standby mode ({@code -Dsoak.standby=true}): a hot standby. */
	static final String STANDBY_ARGUMENT = "--sam.standby.enabled=true";

	private static final Pattern STANDBY_PID = Pattern.compile("\"standby\":\\{[^}]*\"pid\":(\\d+)");

	private static final Pattern PROMOTIONS = Pattern.compile("\"promotions\":(\\d+)");

	private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

	/**
	 * From quorum's return to the waiting instance serving as started: a notification,
	 * not a start-up.
	 */
	private static final Duration QUORUM_RETURN_LIMIT = Duration.ofSeconds(30);

	/**
	 * A whole kill cycle of {@link #APP_ARGUMENTS} (time interval 2 s + kill delay 1 s).
	 */
	private static final Duration KILL_CYCLE = Duration.ofSeconds(3);

	/**
	 * How long the quorum fault waits for core tests in other JVMs, or other lanes, to
	 * finish with their daemons (a lane's quorum fault holds it for up to a minute).
	 */
	private static final Duration COROSYNC_LOCK_WAIT = Duration.ofMinutes(5);

	/**
	 * The pause of each load thread between requests: a steady load (up to 200 requests a
	 * second per thread), not a busy loop that takes the CPU the restarts need.
	 */
	private static final long LOAD_PAUSE_MILLIS = 5;

	private static final Duration TOOL_LIMIT = Duration.ofSeconds(10);

	private static final Pattern CAUSE = Pattern.compile("\"cause\"\\s*:\\s*\"([a-z-]+)\"");

	private static final NativeAccess OS = NativeAccess.get();

	private final Random random;

	private final int faults;

	private final Duration budget;

	private final PrintStream out;

	/**
	 * How this run's lines begin: empty, or the lane's name when lanes run side by side.
	 */
	private final String lane;

	private final Map<Fault, Tally> tallies = new EnumMap<>(Fault.class);

	private final List<String> violations = new ArrayList<>();

	private final List<Fault> deck = new ArrayList<>();

	/** The kinds this run draws from: all by default. */
	private final List<Fault> kinds;

	/**
	 * Whether the application runs with a hot standby, and each fault waits for it to be
	 * ready: every recovery then is a promotion, as in production.
	 */
	private final boolean standby;

	/** Recoveries where the standby took over (the promotions counter moved). */
	private int promoted;

	/** Recoveries that needed a new instance. */
	private int replaced;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong failedRequests = new AtomicLong();

	private SampleApp app;

	/**
	 * Whether the running application uses corosync's quorum (only during the quorum
	 * fault).
	 */
	private boolean quorumMode;

	/**
	 * Per quorum fault: milliseconds from the loss to the replacement instance waiting
	 * for quorum.
	 */
	private final List<Long> quorumLossToWaiting = new ArrayList<>();

	private long expectedCounter;

	private byte[] expectedBlob = new byte[0];

	private int baselineFds;

	private long baselineRssKb;

	private long lastRssKb;

	Soak(long seed, int faults, Duration budget, PrintStream out) {
		this(seed, faults, budget, out, Arrays.asList(Fault.values()), false);
	}

	/**
	 * A run that draws only from {@code kinds} (to replay or measure some kinds alone).
	 */
	Soak(long seed, int faults, Duration budget, PrintStream out, List<Fault> kinds, boolean standby) {
		this(seed, faults, budget, out, kinds, standby, "");
	}

	private Soak(long seed, int faults, Duration budget, PrintStream out, List<Fault> kinds, boolean standby,
			String lane) {
		this.lane = lane;
		this.kinds = List.copyOf(kinds);
		this.standby = standby;
		this.random = new Random(seed);
		this.faults = faults;
		this.budget = budget;
		this.out = out;
		for (Fault fault : this.kinds) {
			this.tallies.put(fault, new Tally());
		}
	}

	/** {@code java ... Soak [faults] [minutes] [seed]}: the long run. */
	public static void main(String[] args) throws Exception {
		int faults = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		Duration budget = Duration.ofMinutes((args.length > 1) ? Long.parseLong(args[1]) : 240);
		long seed = (args.length > 2) ? Long.parseLong(args[2]) : System.nanoTime();
		Report report = new Soak(seed, faults, budget, System.out).run();
		System.exit(report.violations().isEmpty() ? 0 : 1);
	}

	/**
	 * The outcome: the table, every violation, and the kinds of fault never met (neither
	 * injected nor skipped, because the run ran out of faults or time first).
	 */
	record Report(String table, List<String> violations, List<Fault> unmet) {
	}

	Report run() throws Exception {
		long deadline = System.nanoTime() + this.budget.toNanos();
		startApplication();
		AtomicBoolean loading = new AtomicBoolean(true);
		List<Thread> load = startLoad(loading);
		try {
			for (int i = 0; i < this.faults && System.nanoTime() < deadline; i++) {
				Fault fault = nextFault();
				if (this.standby && fault != Fault.QUORUM_LOSS) {
					awaitReadyStandby(i + 1, fault);
				}
				// A random moment: up to a second of normal service between faults.
				sleepMillis(this.random.nextInt(1000));
				inject(i + 1, fault);
			}
		}
		finally {
			loading.set(false);
			for (Thread thread : load) {
				thread.join(5000);
			}
			if (this.app != null) {
				this.app.close();
			}
		}
		return report(List.of(this), this.out);
	}

	/**
	 * Several applications side by side, each with its own supervisor, load and faults (a
	 * share of {@code faults}, its own seed derived from {@code seed}): what one
	 * application leaves idle while it waits for a start-up or watches a tolerated fault,
	 * the others use. One lane is exactly {@link #run()} with {@code seed}. The quorum
	 * faults of the lanes take turns, since the machine runs one private corosync daemon
	 * at a time.
	 */
	static Report inLanes(int lanes, long seed, int faults, Duration budget, PrintStream out, List<Fault> kinds,
			boolean standby) throws Exception {
		if (lanes <= 1) {
			return new Soak(seed, faults, budget, out, kinds, standby).run();
		}
		List<Soak> soaks = new ArrayList<>();
		for (int lane = 0; lane < lanes; lane++) {
			int share = faults / lanes + ((lane < faults % lanes) ? 1 : 0);
			long laneSeed = seed * 31 + lane;
			out.println("lane " + lane + ": " + share + " faults, seed " + laneSeed);
			soaks.add(new Soak(laneSeed, share, budget, out, kinds, standby, "lane " + lane + ": "));
		}
		SoakLanes.runAll(soaks.stream().map(soak -> (SoakLanes.Lane) soak::run).toList());
		out.println("all " + lanes + " lanes:");
		return report(soaks, out);
	}

	private static Report report(List<Soak> soaks, PrintStream out) {
		String table = table(soaks);
		List<String> violations = new ArrayList<>();
		soaks.forEach(soak -> violations.addAll(soak.violations));
		// One print, so that no other lane's line lands inside it.
		StringBuilder text = new StringBuilder();
		if (soaks.size() == 1 && !soaks.get(0).lane.isEmpty()) {
			text.append(soaks.get(0).lane.replace(": ", ":")).append('\n');
		}
		text.append(table).append('\n');
		violations.forEach(violation -> text.append("VIOLATION ").append(violation).append('\n'));
		out.print(text);
		List<Fault> unmet = soaks.get(0).kinds.stream()
			.filter(fault -> soaks.stream()
				.allMatch(soak -> soak.tallies.get(fault).injected == 0 && soak.tallies.get(fault).skipped == 0))
			.collect(Collectors.toList());
		return new Report(table, List.copyOf(violations), unmet);
	}

	/**
	 * Random order, every kind once per round, so that even a short run meets each fault.
	 */
	private Fault nextFault() {
		if (this.deck.isEmpty()) {
			this.deck.addAll(this.kinds);
			java.util.Collections.shuffle(this.deck, this.random);
		}
		return this.deck.remove(this.deck.size() - 1);
	}

	/**
	 * Waits until the standby is parked and ready, so that the fault meets the
	 * application as it runs in production; a standby never ready is a violation.
	 */
	private void awaitReadyStandby(int number, Fault fault) {
		try {
			this.app.awaitGet("/actuator/sam",
					body -> body.contains("\"state\":\"started\"") && body.contains("\"state\":\"ready\""),
					RECOVERY_LIMIT);
		}
		catch (RuntimeException ex) {
			violation(number, fault,
					"no standby ready within " + RECOVERY_LIMIT.toSeconds() + "s before the fault: " + ex.getMessage());
		}
	}

	private static long promotions(String status) {
		Matcher matcher = PROMOTIONS.matcher(status);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static long standbyPid(String status) {
		Matcher matcher = STANDBY_PID.matcher(status);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private void inject(int number, Fault fault) throws Exception {
		Tally tally = this.tallies.get(fault);
		if (fault == Fault.QUORUM_LOSS) {
			quorumLoss(number, tally);
			return;
		}
		tally.injected++;
		String before = status();
		int instanceBefore = (int) SampleApp.number(before, "instanceId");
		long pid = SampleApp.number(before, "pid");
		int historyBefore = causes(before).size();
		long promotionsBefore = promotions(before);
		long standbyBefore = standbyPid(before);
		long start = System.nanoTime();
		int expectedInstance = instanceBefore + fault.causes.size();
		switch (fault) {
			case KILL_INSTANCE -> OS.kill(pid, PosixSignal.KILL);
			case STOP_HANG -> OS.kill(pid, PosixSignal.STOP);
			case SHORT_STOP -> {
				OS.kill(pid, PosixSignal.STOP);
				sleepMillis(300);
				OS.kill(pid, PosixSignal.CONT);
			}
			case CHAOS_HANG -> this.app.post("/chaos/hang");
			case CHAOS_UNHEALTHY -> this.app.post("/chaos/unhealthy");
			case CHAOS_CRASH -> this.app.post("/chaos/crash");
			case CRASH_ON_START -> {
				this.app.post("/chaos/crash-on-start?times=1");
				this.app.post("/chaos/crash");
			}
			case SIGHUP -> OS.kill(this.app.supervisorPid(), PosixSignal.HUP);
			case GC_PAUSE -> this.app.post("/chaos/gc-pause?megabytes=1024");
			case KILL_SUPERVISOR -> {
				killSupervisor(number, pid, standbyBefore);
				tally.recovered(Duration.ofNanos(System.nanoTime() - start));
				return;
			}
			case QUORUM_LOSS -> throw new IllegalStateException("handled by quorumLoss");
		}
		String after;
		try {
			// With a standby the old instance is stopped after the promotion: its end
			// (and
			// cause) is recorded a moment after its successor serves.
			after = this.app.awaitGet("/actuator/sam",
					body -> SampleApp.number(body, "instanceId") >= expectedInstance
							&& body.contains("\"state\":\"started\"")
							&& causes(body).size() >= historyBefore + fault.causes.size(),
					RECOVERY_LIMIT);
		}
		catch (RuntimeException ex) {
			violation(number, fault, "no instance " + expectedInstance + " serving within " + RECOVERY_LIMIT.toSeconds()
					+ "s: " + ex.getMessage());
			restartApplication();
			return;
		}
		if (fault == Fault.SHORT_STOP || fault == Fault.GC_PAUSE) {
			// A fault the supervisor must tolerate: the same instance keeps serving for a
			// whole kill cycle.
			after = stillTheSameInstance(number, fault, instanceBefore, fault == Fault.GC_PAUSE ? 12 : 4);
		}
		if (fault == Fault.STOP_HANG) {
			OS.kill(pid, PosixSignal.CONT);
		}
		Duration recovery = Duration.ofNanos(System.nanoTime() - start);
		int instanceAfter = (int) SampleApp.number(after, "instanceId");
		if (instanceAfter != expectedInstance) {
			violation(number, fault, "instance " + instanceAfter + " serves, expected " + expectedInstance);
		}
		List<String> newCauses = causes(after).subList(Math.min(historyBefore, causes(after).size()),
				causes(after).size());
		if (!newCauses.equals(fault.causes)) {
			violation(number, fault, "recorded causes " + newCauses + ", expected " + fault.causes);
		}
		if (!fault.causes.isEmpty()) {
			if (promotions(after) > promotionsBefore) {
				this.promoted++;
			}
			else {
				this.replaced++;
			}
		}
		checkInvariants(number, fault, SampleApp.number(after, "pid"));
		tally.recovered(recovery);
	}

	/**
	 * The quorum fault: a private one-node corosync daemon that expects 2 votes, made
	 * quorate with {@code corosync-quorumtool -e 1}; the application restarted with
	 * {@value #QUORUM_ARGUMENT}; then {@code corosync-cfgtool -R} (the configuration's 2
	 * expected votes again: quorum lost) and {@code corosync-quorumtool -e 1} (quorum
	 * back). Afterwards the plain application again, and the daemon stopped, so other
	 * users of corosync on this machine wait for it as little as possible.
	 */
	private void quorumLoss(int number, Tally tally) throws Exception {
		if ("false".equalsIgnoreCase(System.getProperty("soak.corosync"))) {
			skip(number, Fault.QUORUM_LOSS, "switched off with -Dsoak.corosync=false");
			return;
		}
		Optional<CorosyncNode.MachineLock.Held> lock = CorosyncNode.MachineLock.hold(COROSYNC_LOCK_WAIT);
		if (lock.isEmpty()) {
			skip(number, Fault.QUORUM_LOSS, "another JVM kept the corosync lock " + CorosyncNode.MachineLock.file()
					+ " for " + COROSYNC_LOCK_WAIT.toMinutes() + " minutes");
			return;
		}
		Path dir = Files.createTempDirectory("sam-soak-corosync-");
		try (CorosyncNode.MachineLock.Held held = lock.get()) {
			Optional<String> unusable = CorosyncNode.unusableReason();
			if (unusable.isPresent()) {
				skip(number, Fault.QUORUM_LOSS, unusable.get());
				return;
			}
			CorosyncNode node;
			try {
				node = CorosyncNode.start(dir, 2);
			}
			catch (RuntimeException ex) {
				skip(number, Fault.QUORUM_LOSS, "the private corosync daemon did not start: " + ex.getMessage());
				return;
			}
			try {
				CorosyncNode.CommandResult quorate = CorosyncNode.run(TOOL_LIMIT, "corosync-quorumtool", "-e", "1");
				if (quorate.exitCode() != 0 || !awaitQuorum(node, true)) {
					skip(number, Fault.QUORUM_LOSS, "the private corosync daemon did not become quorate: " + quorate);
					return;
				}
				tally.injected++;
				try {
					this.app.close();
					startApplication(true);
				}
				catch (RuntimeException ex) {
					violation(number, Fault.QUORUM_LOSS, "the application with " + QUORUM_ARGUMENT
							+ " did not start against a quorate corosync: " + ex.getMessage());
					return;
				}
				quorumLostAndBack(number, tally, node);
			}
			finally {
				// The application first, so that stopping the daemon is not a second
				// quorum loss for it.
				this.app.close();
				node.stop();
				startApplication(false);
			}
		}
		finally {
			deleteTree(dir);
		}
	}

	private void quorumLostAndBack(int number, Tally tally, CorosyncNode node) throws Exception {
		Fault fault = Fault.QUORUM_LOSS;
		String before = status();
		int instanceBefore = (int) SampleApp.number(before, "instanceId");
		long pid = SampleApp.number(before, "pid");
		int historyBefore = causes(before).size();
		int expectedInstance = instanceBefore + 1;
		if (!before.contains("\"quorate\":true")) {
			violation(number, fault, "before the loss /actuator/sam does not say quorate: " + before);
		}
		long lost = System.nanoTime();
		CorosyncNode.CommandResult reload = CorosyncNode.run(TOOL_LIMIT, "corosync-cfgtool", "-R");
		if (reload.exitCode() != 0 || !awaitQuorum(node, false)) {
			violation(number, fault, "quorum could not be taken away: " + reload + "\n" + node.log());
			return;
		}
		// The started instance is recovered (warning signal, SIGKILL), and its successor
		// waits for quorum.
		String waiting;
		try {
			waiting = this.app.awaitGet("/actuator/sam",
					body -> SampleApp.number(body, "instanceId") >= expectedInstance
							&& body.contains("\"state\":\"waiting-for-quorum\""),
					RECOVERY_LIMIT);
		}
		catch (RuntimeException ex) {
			violation(number, fault, "no instance " + expectedInstance + " waiting for quorum within "
					+ RECOVERY_LIMIT.toSeconds() + "s of the loss: " + ex.getMessage());
			restartApplication();
			return;
		}
		this.quorumLossToWaiting.add(Duration.ofNanos(System.nanoTime() - lost).toMillis());
		int instanceWaiting = (int) SampleApp.number(waiting, "instanceId");
		if (instanceWaiting != expectedInstance) {
			violation(number, fault, "instance " + instanceWaiting + " waits for quorum, expected " + expectedInstance);
		}
		List<String> lostCauses = causes(waiting).subList(Math.min(historyBefore, causes(waiting).size()),
				causes(waiting).size());
		if (!lostCauses.equals(fault.causes)) {
			violation(number, fault, "recorded causes " + lostCauses + ", expected " + fault.causes);
		}
		if (!waiting.contains("\"quorate\":false")) {
			violation(number, fault, "/actuator/sam does not say not quorate: " + waiting);
		}
		if (SampleApp.alive(pid)) {
			violation(number, fault, "instance " + pid + " still runs after the quorum loss");
		}
		HttpResponse<String> health = this.app.get("/actuator/health");
		if (health.statusCode() != 503 || !health.body().contains("OUT_OF_SERVICE")) {
			violation(number, fault, "/actuator/health while waiting for quorum answered " + health.statusCode() + " "
					+ health.body() + ", expected 503 OUT_OF_SERVICE");
		}
		// No health-check deadline runs while waiting: the instance outlives a whole kill
		// cycle.
		try {
			await("waits for quorum, unharmed").during(KILL_CYCLE)
				.atMost(KILL_CYCLE.plusSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					HttpResponse<String> response = this.app.get("/actuator/sam");
					return response.statusCode() == 200
							&& SampleApp.number(response.body(), "instanceId") == expectedInstance
							&& response.body().contains("\"state\":\"waiting-for-quorum\"");
				});
		}
		catch (RuntimeException ex) {
			violation(number, fault, "the instance waiting for quorum did not wait unharmed: " + ex.getMessage());
		}
		long returned = System.nanoTime();
		CorosyncNode.CommandResult back = CorosyncNode.run(TOOL_LIMIT, "corosync-quorumtool", "-e", "1");
		if (back.exitCode() != 0) {
			violation(number, fault, "quorum could not be given back: " + back);
			return;
		}
		String after;
		try {
			after = this.app.awaitGet("/actuator/sam",
					body -> body.contains("\"state\":\"started\"") && body.contains("\"quorate\":true"),
					QUORUM_RETURN_LIMIT);
		}
		catch (RuntimeException ex) {
			violation(number, fault, "instance " + expectedInstance + " did not start within "
					+ QUORUM_RETURN_LIMIT.toSeconds() + "s of quorum's return: " + ex.getMessage());
			restartApplication();
			return;
		}
		Duration recovery = Duration.ofNanos(System.nanoTime() - returned);
		int instanceAfter = (int) SampleApp.number(after, "instanceId");
		if (instanceAfter != expectedInstance) {
			violation(number, fault,
					"instance " + instanceAfter + " serves after quorum's return, expected " + expectedInstance);
		}
		List<String> newCauses = causes(after).subList(Math.min(historyBefore, causes(after).size()),
				causes(after).size());
		if (!newCauses.equals(fault.causes)) {
			violation(number, fault,
					"after quorum's return the recorded causes are " + newCauses + ", expected " + fault.causes);
		}
		checkInvariants(number, fault, SampleApp.number(after, "pid"));
		tally.recovered(recovery);
	}

	private static boolean awaitQuorum(CorosyncNode node, boolean quorate) {
		try {
			await("corosync quorate=" + quorate).atMost(TOOL_LIMIT)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> node.quorate() == quorate);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private void skip(int number, Fault fault, String reason) {
		Tally tally = this.tallies.get(fault);
		tally.skipped++;
		tally.skipReason = reason;
		this.out.println("SKIPPED " + this.lane + "fault " + number + " (" + fault + "): " + reason);
	}

	private String stillTheSameInstance(int number, Fault fault, int instance, int seconds) {
		try {
			await(fault + " tolerated").during(Duration.ofSeconds(seconds))
				.atMost(Duration.ofSeconds(seconds + 30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					HttpResponse<String> response = this.app.get("/actuator/sam");
					return response.statusCode() == 200 && SampleApp.number(response.body(), "instanceId") == instance;
				});
		}
		catch (RuntimeException ex) {
			violation(number, fault, "the instance did not survive a fault it should tolerate: " + ex.getMessage());
		}
		return this.app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), RECOVERY_LIMIT);
	}

	private void killSupervisor(int number, long instancePid, long standbyPid) throws Exception {
		OS.kill(this.app.supervisorPid(), PosixSignal.KILL);
		for (long pid : new long[] { instancePid, standbyPid }) {
			if (pid == 0) {
				continue;
			}
			try {
				await("instance dies with its supervisor").atMost(Duration.ofSeconds(1))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> !SampleApp.alive(pid));
			}
			catch (RuntimeException ex) {
				violation(number, Fault.KILL_SUPERVISOR,
						((pid == standbyPid) ? "standby " : "instance ") + pid + " outlived its SIGKILLed supervisor");
				OS.kill(pid, PosixSignal.KILL);
			}
		}
		restartApplication();
	}

	private void checkInvariants(int number, Fault fault, long instancePid) throws Exception {
		// The data store: the counter, then a checksummed blob, exactly as left.
		long counter = SampleApp.number(this.app.awaitGet("/counter", body -> true, RECOVERY_LIMIT), "counter");
		if (counter != this.expectedCounter) {
			violation(number, fault, "counter " + counter + ", expected " + this.expectedCounter);
		}
		this.expectedCounter = SampleApp.number(this.app.post("/counter").body(), "counter");
		HttpResponse<byte[]> blob = this.app.getBytes("/blob");
		if (blob.statusCode() != 200 || !Arrays.equals(blob.body(), this.expectedBlob)) {
			violation(number, fault, "blob of " + blob.body().length + " bytes (status " + blob.statusCode()
					+ ") differs from the " + this.expectedBlob.length + " stored");
		}
		if (number % 3 == 0) {
			storeNewBlob();
		}
		long supervisor = this.app.supervisorPid();
		// No orphan, no zombie: the supervisor's only live descendants are the serving
		// instance and, in standby mode, the standby the status names.
		try {
			await("one instance, no zombie").atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> onlyInstanceAndStandby(supervisor, instancePid) && zombies(supervisor).isEmpty());
		}
		catch (RuntimeException ex) {
			violation(number, fault, "descendants " + descendants(supervisor) + ", zombies " + zombies(supervisor)
					+ ", expected only " + instancePid);
		}
		int fds = fileDescriptors(supervisor);
		if (fds > this.baselineFds + 10) {
			violation(number, fault,
					"the supervisor holds " + fds + " file descriptors, " + this.baselineFds + " at start");
		}
		// The socket, the lock that says the supervisor lives and, only where the user's
		// cache cannot hold them, the jars the lean supervisor JVM runs from (sam-core,
		// sam-corosync and JNA, copied out of the executable jar): nothing that grows
		// with
		// faults.
		List<String> socketDir = socketDirectory(instancePid);
		if (!socketDir.contains("control.sock") || socketDir.size() > 5
				|| !socketDir.stream()
					.allMatch(name -> name.equals("control.sock") || name.equals("lock") || name.startsWith("jna-")
							|| name.startsWith("sam-core-") || name.startsWith("sam-corosync-"))) {
			violation(number, fault, "the control socket directory holds " + socketDir);
		}
		this.lastRssKb = rssKb(supervisor);
		if (this.lastRssKb > this.baselineRssKb + 30 * 1024) {
			violation(number, fault,
					"supervisor memory grew from " + this.baselineRssKb + " kB to " + this.lastRssKb + " kB");
		}
	}

	private void startApplication() throws Exception {
		startApplication(false);
	}

	/**
	 * Whether the supervisor's live descendants are the instance and, in standby mode, at
	 * most the standby named by the status.
	 */
	private boolean onlyInstanceAndStandby(long supervisor, long instancePid) throws Exception {
		List<Long> live = descendants(supervisor);
		if (!this.standby) {
			return live.equals(List.of(instancePid));
		}
		long standbyPid = standbyPid(this.app.get("/actuator/sam").body());
		return live.contains(instancePid) && live.stream().allMatch(pid -> pid == instancePid || pid == standbyPid);
	}

	private void startApplication(boolean quorum) throws Exception {
		List<String> args = new ArrayList<>(APP_ARGUMENTS);
		if (quorum) {
			args.add(QUORUM_ARGUMENT);
		}
		if (this.standby) {
			args.add(STANDBY_ARGUMENT);
		}
		this.quorumMode = quorum;
		this.app = SampleApp.start(args.toArray(String[]::new));
		this.app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), RECOVERY_LIMIT);
		this.expectedCounter = 0;
		this.expectedBlob = new byte[0];
		storeNewBlob();
		this.baselineFds = fileDescriptors(this.app.supervisorPid());
		this.baselineRssKb = rssKb(this.app.supervisorPid());
	}

	private void restartApplication() throws Exception {
		this.app.close();
		startApplication(this.quorumMode);
	}

	private void storeNewBlob() throws Exception {
		byte[] blob = new byte[1024 + this.random.nextInt(16 * 1024)];
		this.random.nextBytes(blob);
		HttpResponse<String> response = this.app.put("/blob", blob);
		if (response.statusCode() == 200) {
			this.expectedBlob = blob;
		}
	}

	private List<Thread> startLoad(AtomicBoolean running) {
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Thread thread = new Thread(() -> {
				while (running.get()) {
					try {
						this.requests.incrementAndGet();
						if (this.app.get("/").statusCode() != 200) {
							this.failedRequests.incrementAndGet();
						}
						sleepMillis(LOAD_PAUSE_MILLIS);
					}
					catch (IOException | RuntimeException ex) {
						this.failedRequests.incrementAndGet();
						sleepMillis(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "soak-load-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		return threads;
	}

	private String status() {
		return this.app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), RECOVERY_LIMIT);
	}

	private void violation(int number, Fault fault, String what) {
		this.tallies.get(fault).violations++;
		this.violations.add(this.lane + "fault " + number + " (" + fault + "): " + what);
		this.out.println("VIOLATION " + this.lane + "fault " + number + " (" + fault + "): " + what);
	}

	private static String table(List<Soak> soaks) {
		StringBuilder table = new StringBuilder(String.format("%-16s %8s %9s %12s %12s %10s%n", "fault", "injected",
				"recovered", "median ms", "worst ms", "violations"));
		int injected = 0;
		int recovered = 0;
		int violations = 0;
		List<Long> all = new ArrayList<>();
		for (Fault fault : soaks.get(0).kinds) {
			Tally tally = new Tally();
			soaks.forEach(soak -> tally.add(soak.tallies.get(fault)));
			injected += tally.injected;
			recovered += tally.times.size();
			violations += tally.violations;
			all.addAll(tally.times);
			table.append(String.format("%-16s %8d %9d %12s %12s %10d%s%n", fault.name().toLowerCase(), tally.injected,
					tally.times.size(), median(tally.times), worst(tally.times), tally.violations,
					(tally.skipped > 0) ? "  skipped " + tally.skipped + ": " + tally.skipReason : ""));
		}
		table.append(String.format("%-16s %8d %9d %12s %12s %10d%n", "all", injected, recovered, median(all),
				worst(all), violations));
		table.append(String.format(
				"HTTP requests %d, failed %d (during restarts); supervisor RSS %d kB at start, %d kB at the end%s%n",
				soaks.stream().mapToLong(soak -> soak.requests.get()).sum(),
				soaks.stream().mapToLong(soak -> soak.failedRequests.get()).sum(),
				soaks.stream().mapToLong(soak -> soak.baselineRssKb).max().getAsLong(),
				soaks.stream().mapToLong(soak -> soak.lastRssKb).max().getAsLong(),
				(soaks.size() > 1) ? " (the largest of " + soaks.size() + " supervisors)" : ""));
		if (soaks.get(0).standby) {
			table.append(String.format("hot standby: %d recoveries by a promotion, %d by a new instance%n",
					soaks.stream().mapToInt(soak -> soak.promoted).sum(),
					soaks.stream().mapToInt(soak -> soak.replaced).sum()));
		}
		List<Long> quorumLossToWaiting = new ArrayList<>();
		soaks.forEach(soak -> quorumLossToWaiting.addAll(soak.quorumLossToWaiting));
		if (!quorumLossToWaiting.isEmpty()) {
			table.append(String.format(
					"quorum_loss: loss -> replacement instance waiting for quorum median %s ms, worst %s"
							+ " ms; its times above are quorum's return -> that instance started%n",
					median(quorumLossToWaiting), worst(quorumLossToWaiting)));
		}
		return table.toString();
	}

	private static String median(List<Long> times) {
		if (times.isEmpty()) {
			return "-";
		}
		List<Long> sorted = times.stream().sorted().collect(Collectors.toList());
		return Long.toString(sorted.get(sorted.size() / 2));
	}

	private static String worst(List<Long> times) {
		return times.isEmpty() ? "-" : Long.toString(times.stream().mapToLong(Long::longValue).max().getAsLong());
	}

	private static List<String> causes(String status) {
		List<String> causes = new ArrayList<>();
		Matcher matcher = CAUSE.matcher(status);
		while (matcher.find()) {
			causes.add(matcher.group(1));
		}
		return causes;
	}

	private static List<Long> descendants(long pid) {
		return ProcessHandle.of(pid)
			.map(handle -> handle.descendants()
				.map(ProcessHandle::pid)
				.filter(child -> SampleApp.alive(child))
				.collect(Collectors.toList()))
			.orElse(List.of());
	}

	private static List<Long> zombies(long pid) {
		return ProcessHandle.of(pid)
			.map(handle -> handle.children()
				.map(ProcessHandle::pid)
				.filter(SampleApp::zombie)
				.collect(Collectors.toList()))
			.orElse(List.of());
	}

	private static int fileDescriptors(long pid) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return (int) fds.count();
		}
	}

	private static long rssKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

	private static List<String> socketDirectory(long instancePid) throws IOException {
		String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(instancePid), "environ")),
				StandardCharsets.UTF_8);
		for (String entry : environ.split("\0")) {
			if (entry.startsWith("SAM_SUPERVISOR_SOCKET=")) {
				try (Stream<Path> files = Files.list(Path.of(entry.substring(entry.indexOf('=') + 1)).getParent())) {
					return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
				}
			}
		}
		return List.of("(no SAM_SUPERVISOR_SOCKET in the instance's environment)");
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Best effort: a leftover temporary directory.
		}
	}

	private static void sleepMillis(long millis) {
		// The fault's own duration or a random gap between faults, not a wait for a
		// condition.
		java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
	}

	private static final class Tally {

		int injected;

		int violations;

		int skipped;

		String skipReason;

		final List<Long> times = new ArrayList<>();

		void recovered(Duration time) {
			this.times.add(time.toMillis());
		}

		/** Adds another lane's tally of the same kind. */
		void add(Tally other) {
			this.injected += other.injected;
			this.violations += other.violations;
			this.skipped += other.skipped;
			this.skipReason = (other.skipReason != null) ? other.skipReason : this.skipReason;
			this.times.addAll(other.times);
		}

	}

}
