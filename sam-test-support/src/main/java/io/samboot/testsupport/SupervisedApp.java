package io.samboot.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixture application started as a real JVM, which becomes a SAM supervisor and launches its
 * instances. Collects the output of all of them (they share stdout), learns the instances' PIDs
 * from their {@code MARK iid=N pid=P} lines, and on close kills exactly the processes it started.
 */
public final class SupervisedApp implements AutoCloseable {

    private static final Pattern INSTANCE_MARK = Pattern.compile("MARK iid=(\\d+) pid=(\\d+)");

    private final Process supervisor;

    private final OutputLines output;

    private final Map<Integer, Long> instancePids = new ConcurrentHashMap<>();

    private SupervisedApp(Process supervisor) {
        this.supervisor = supervisor;
        this.output = OutputLines.of(supervisor.getInputStream());
    }

    public static SupervisedApp start(Jdk jdk, Class<?> mainClass, List<String> jvmOptions, String... args)
            throws IOException {
        return start(jdk, mainClass, jvmOptions, Map.of(), args);
    }

    public static SupervisedApp start(Jdk jdk, Class<?> mainClass, List<String> jvmOptions,
            Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(jdk.java());
        command.addAll(jdk.quietOptions());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SAM_"));
        builder.environment().putAll(environment);
        return new SupervisedApp(builder.start());
    }

    public long supervisorPid() {
        return this.supervisor.pid();
    }

    public Process supervisor() {
        return this.supervisor;
    }

    public OutputLines output() {
        return this.output;
    }

    /** Waits for a line containing the text and returns it. */
    public String awaitLine(String text, Duration timeout) {
        return awaitLine(line -> line.contains(text), text, timeout);
    }

    public String awaitLine(Predicate<String> predicate, String description, Duration timeout) {
        try {
            await(description).atMost(timeout).pollInterval(Duration.ofMillis(10))
                .failFast("supervisor exited", () -> !this.supervisor.isAlive() && this.output.isComplete()
                        && this.output.find(predicate).isEmpty())
                .until(() -> this.output.find(predicate).isPresent());
        }
        catch (RuntimeException ex) {
            throw new AssertionError("no line '" + description + "' (" + ex.getMessage() + "); output:\n" + this.output,
                    ex);
        }
        return this.output.find(predicate).orElseThrow();
    }

    /** The PID of instance {@code iid}, once it has printed its mark. */
    public long instancePid(int iid, Duration timeout) {
        String line = awaitLine("MARK iid=" + iid + " pid=", timeout);
        Matcher matcher = INSTANCE_MARK.matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException(line);
        }
        long pid = Long.parseLong(matcher.group(2));
        this.instancePids.put(iid, pid);
        return pid;
    }

    /** Waits for the supervisor to exit and returns its status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!this.supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("supervisor still running after " + timeout + "; output:\n" + this.output);
        }
        return this.supervisor.exitValue();
    }

    /** Lines with {@code FAIL}: a check inside the fixture went wrong. */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        this.output.find(line -> {
            if (line.startsWith("FAIL")) {
                failures.add(line);
            }
            return false;
        });
        return failures;
    }

    /** Whether the process runs: a zombie has ended (its reaping is its parent's, or init's, business). */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    /** Whether the process exists as a zombie (exited, not reaped). */
    public static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        this.supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
        for (long pid : this.instancePids.values()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        this.supervisor.destroyForcibly();
    }

    @Override
    public String toString() {
        return this.output.toString();
    }
}
