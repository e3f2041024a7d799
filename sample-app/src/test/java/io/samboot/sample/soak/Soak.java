package io.samboot.sample.soak;

import static org.awaitility.Awaitility.await;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.sample.SampleApp;

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
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fault-injection soak of the packaged sample application under steady HTTP load: faults of every
 * kind at random moments in random order, and after each a check of everything a supervisor must
 * keep true. Bounded in faults and time, loopback only, and it signals only processes it started.
 */
public final class Soak {

    /** The faults, each with what the supervisor must record for it. */
    enum Fault {
        KILL_INSTANCE("exited"), STOP_HANG("health-check-timeout"), SHORT_STOP(), CHAOS_HANG("health-check-timeout"),
        CHAOS_UNHEALTHY("health-check-failed"), CHAOS_CRASH("exited"), CRASH_ON_START("exited", "exited"),
        SIGHUP("restart-requested"), GC_PAUSE(), KILL_SUPERVISOR();

        final List<String> causes;

        Fault(String... causes) {
            this.causes = List.of(causes);
        }
    }

    static final List<String> APP_ARGUMENTS = List.of("--sam.time-interval=2s", "--sam.kill-delay=1s",
            "--sam.shutdown-timeout=5s", "--sam.restart.delay=100ms", "--sam.restart.max-delay=1s",
            "--sam.health-check.pause-grace=30s");

    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    private static final Pattern CAUSE = Pattern.compile("\"cause\"\\s*:\\s*\"([a-z-]+)\"");

    private static final NativeAccess OS = NativeAccess.get();

    private final Random random;

    private final int faults;

    private final Duration budget;

    private final PrintStream out;

    private final Map<Fault, Tally> tallies = new EnumMap<>(Fault.class);

    private final List<String> violations = new ArrayList<>();

    private final List<Fault> deck = new ArrayList<>();

    private final AtomicLong requests = new AtomicLong();

    private final AtomicLong failedRequests = new AtomicLong();

    private SampleApp app;

    private long expectedCounter;

    private byte[] expectedBlob = new byte[0];

    private int baselineFds;

    private long baselineRssKb;

    private long lastRssKb;

    Soak(long seed, int faults, Duration budget, PrintStream out) {
        this.random = new Random(seed);
        this.faults = faults;
        this.budget = budget;
        this.out = out;
        for (Fault fault : Fault.values()) {
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

    /** The outcome: the table and every violation. */
    record Report(String table, List<String> violations) {
    }

    Report run() throws Exception {
        long deadline = System.nanoTime() + this.budget.toNanos();
        startApplication();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> load = startLoad(loading);
        try {
            for (int i = 0; i < this.faults && System.nanoTime() < deadline; i++) {
                Fault fault = nextFault();
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
        String table = table();
        this.out.println(table);
        this.violations.forEach(violation -> this.out.println("VIOLATION " + violation));
        return new Report(table, List.copyOf(this.violations));
    }

    /** Random order, every kind once per round, so that even a short run meets each fault. */
    private Fault nextFault() {
        if (this.deck.isEmpty()) {
            this.deck.addAll(Arrays.asList(Fault.values()));
            java.util.Collections.shuffle(this.deck, this.random);
        }
        return this.deck.remove(this.deck.size() - 1);
    }

    private void inject(int number, Fault fault) throws Exception {
        Tally tally = this.tallies.get(fault);
        tally.injected++;
        String before = status();
        int instanceBefore = (int) SampleApp.number(before, "instanceId");
        long pid = SampleApp.number(before, "pid");
        int historyBefore = causes(before).size();
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
                killSupervisor(number, pid);
                tally.recovered(Duration.ofNanos(System.nanoTime() - start));
                return;
            }
        }
        String after;
        try {
            after = this.app.awaitGet("/actuator/sam", body -> SampleApp.number(body, "instanceId") >= expectedInstance
                    && body.contains("\"state\":\"started\""), RECOVERY_LIMIT);
        }
        catch (RuntimeException ex) {
            violation(number, fault, "no instance " + expectedInstance + " serving within " + RECOVERY_LIMIT.toSeconds()
                    + "s: " + ex.getMessage());
            restartApplication();
            return;
        }
        if (fault == Fault.SHORT_STOP || fault == Fault.GC_PAUSE) {
            // A fault the supervisor must tolerate: the same instance keeps serving for a whole kill cycle.
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
        List<String> newCauses = causes(after).subList(Math.min(historyBefore, causes(after).size()), causes(after).size());
        if (!newCauses.equals(fault.causes)) {
            violation(number, fault, "recorded causes " + newCauses + ", expected " + fault.causes);
        }
        checkInvariants(number, fault, SampleApp.number(after, "pid"));
        tally.recovered(recovery);
    }

    private String stillTheSameInstance(int number, Fault fault, int instance, int seconds) {
        try {
            await(fault + " tolerated").during(Duration.ofSeconds(seconds)).atMost(Duration.ofSeconds(seconds + 30))
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

    private void killSupervisor(int number, long instancePid) throws Exception {
        OS.kill(this.app.supervisorPid(), PosixSignal.KILL);
        try {
            await("instance dies with its supervisor").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> !SampleApp.alive(instancePid));
        }
        catch (RuntimeException ex) {
            violation(number, Fault.KILL_SUPERVISOR, "instance " + instancePid + " outlived its SIGKILLed supervisor");
            OS.kill(instancePid, PosixSignal.KILL);
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
        // No orphan, no zombie: the supervisor's only live descendant is the serving instance.
        try {
            await("one instance, no zombie").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> descendants(supervisor).equals(List.of(instancePid)) && zombies(supervisor).isEmpty());
        }
        catch (RuntimeException ex) {
            violation(number, fault, "descendants " + descendants(supervisor) + ", zombies " + zombies(supervisor)
                    + ", expected only " + instancePid);
        }
        int fds = fileDescriptors(supervisor);
        if (fds > this.baselineFds + 10) {
            violation(number, fault, "the supervisor holds " + fds + " file descriptors, " + this.baselineFds
                    + " at start");
        }
        List<String> socketDir = socketDirectory(instancePid);
        if (!socketDir.equals(List.of("control.sock"))) {
            violation(number, fault, "the control socket directory holds " + socketDir);
        }
        this.lastRssKb = rssKb(supervisor);
        if (this.lastRssKb > this.baselineRssKb + 30 * 1024) {
            violation(number, fault, "supervisor memory grew from " + this.baselineRssKb + " kB to " + this.lastRssKb
                    + " kB");
        }
    }

    private void startApplication() throws Exception {
        List<String> args = new ArrayList<>(APP_ARGUMENTS);
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
        startApplication();
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
        this.violations.add("fault " + number + " (" + fault + "): " + what);
        this.out.println("VIOLATION fault " + number + " (" + fault + "): " + what);
    }

    private String table() {
        StringBuilder table = new StringBuilder(String.format("%-16s %8s %9s %12s %12s %10s%n", "fault", "injected",
                "recovered", "median ms", "worst ms", "violations"));
        int injected = 0;
        int recovered = 0;
        List<Long> all = new ArrayList<>();
        for (Map.Entry<Fault, Tally> entry : this.tallies.entrySet()) {
            Tally tally = entry.getValue();
            injected += tally.injected;
            recovered += tally.times.size();
            all.addAll(tally.times);
            table.append(String.format("%-16s %8d %9d %12s %12s %10d%n", entry.getKey().name().toLowerCase(),
                    tally.injected, tally.times.size(), median(tally.times), worst(tally.times), tally.violations));
        }
        table.append(String.format("%-16s %8d %9d %12s %12s %10d%n", "all", injected, recovered, median(all), worst(all),
                this.violations.size()));
        table.append(String.format("HTTP requests %d, failed %d (during restarts); supervisor RSS %d kB at start, %d kB"
                + " at the end%n", this.requests.get(), this.failedRequests.get(), this.baselineRssKb, this.lastRssKb));
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
        return ProcessHandle.of(pid).map(handle -> handle.descendants().map(ProcessHandle::pid)
            .filter(child -> SampleApp.alive(child)).collect(Collectors.toList())).orElse(List.of());
    }

    private static List<Long> zombies(long pid) {
        return ProcessHandle.of(pid).map(handle -> handle.children().map(ProcessHandle::pid)
            .filter(SampleApp::zombie).collect(Collectors.toList())).orElse(List.of());
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

    private static void sleepMillis(long millis) {
        // The fault's own duration or a random gap between faults, not a wait for a condition.
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
    }

    private static final class Tally {

        int injected;

        int violations;

        final List<Long> times = new ArrayList<>();

        void recovered(Duration time) {
            this.times.add(time.toMillis());
        }
    }
}
