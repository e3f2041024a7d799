package io.samboot.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A process a test starts to become a SAM supervisor, with everything it prints (the
 * supervisor and its instances share its standard output). On close it kills exactly the
 * processes it started: the supervisor, its descendants and any PID a subclass learnt.
 */
public class SupervisedProcess implements AutoCloseable {

	private final Process supervisor;

	private final OutputLines output;

	protected SupervisedProcess(Process supervisor) {
		this.supervisor = supervisor;
		this.output = OutputLines.of(supervisor.getInputStream());
	}

	/**
	 * Starts {@code command} with standard error merged into standard output and without
	 * the {@code SAM_*} variables of the test's own environment (plus
	 * {@code environment}).
	 */
	protected static Process launch(List<String> command, Map<String, String> environment) throws IOException {
		return launch(command, environment, null);
	}

	/**
	 * As {@link #launch(List, Map)}, in {@code directory} (where Spring Boot looks for
	 * {@code ./application.yml} and {@code ./config/}); {@code null} for the test's own.
	 */
	protected static Process launch(List<String> command, Map<String, String> environment, Path directory)
			throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (directory != null) {
			builder.directory(directory.toFile());
		}
		builder.environment().keySet().removeIf(name -> name.startsWith("SAM_"));
		builder.environment().putAll(environment);
		return builder.start();
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

	/** The first line printed so far that the predicate accepts. */
	public Optional<String> find(Predicate<String> predicate) {
		return this.output.find(predicate);
	}

	/** Waits for a line containing the text and returns it. */
	public String awaitLine(String text, Duration timeout) {
		return awaitLine(line -> line.contains(text), text, timeout);
	}

	/**
	 * Waits for a line the predicate accepts and returns it; fails at once if the
	 * supervisor has exited without it.
	 */
	public String awaitLine(Predicate<String> predicate, String description, Duration timeout) {
		try {
			await(description).atMost(timeout)
				.pollInterval(Duration.ofMillis(10))
				.failFast("supervisor exited",
						() -> !this.supervisor.isAlive() && this.output.isComplete()
								&& this.output.find(predicate).isEmpty())
				.until(() -> this.output.find(predicate).isPresent());
		}
		catch (RuntimeException ex) {
			throw new AssertionError("no line '" + description + "' (" + ex.getMessage() + "); output:\n" + this.output,
					ex);
		}
		return this.output.find(predicate).orElseThrow();
	}

	/** Waits for the supervisor to exit and returns its status. */
	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("supervisor still running after " + timeout + "; output:\n" + this.output);
		}
		return this.supervisor.exitValue();
	}

	/** Lines with {@code FAIL}: a check inside a fixture went wrong. */
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

	/**
	 * Whether the process runs: a zombie has ended (its reaping is its parent's, or
	 * init's, business).
	 */
	public static boolean alive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
	}

	/** Whether the process exists as a zombie (exited, not reaped). */
	public static boolean zombie(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * PIDs this process knows it started beside the supervisor's descendants (none by
	 * default).
	 */
	protected Iterable<Long> otherPids() {
		return List.of();
	}

	@Override
	public void close() {
		this.supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
		for (long pid : otherPids()) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		this.supervisor.destroyForcibly();
	}

	@Override
	public String toString() {
		return this.output.toString();
	}

}
