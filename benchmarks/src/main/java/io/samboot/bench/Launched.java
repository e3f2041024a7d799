package io.samboot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;

/**
 * A process the suite started, with its output (standard output and error together) read
 * line by line on a thread that stamps each line with the monotonic time it arrived, and
 * copied to a log file. Stopping it signals only the process itself and the processes it
 * started, by PID.
 */
final class Launched implements AutoCloseable {

	/** A line of output and the {@code System.nanoTime()} it was read at. */
	record Line(long nanos, String text) {
	}

	private final Process process;

	private final String name;

	private final List<Line> lines = new ArrayList<>();

	/**
	 * PID and start time of each process this one started, so a reused PID is never
	 * signalled.
	 */
	private final Map<Long, Optional<Instant>> family = new HashMap<>();

	private final long launchedNanos;

	/** The wall clock read with {@link #launchedNanos}. */
	private final long launchedEpochMillis;

	private Launched(Process process, String name, long launchedNanos, long launchedEpochMillis, Path log)
			throws IOException {
		this.process = process;
		this.name = name;
		this.launchedNanos = launchedNanos;
		this.launchedEpochMillis = launchedEpochMillis;
		PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8));
		Thread reader = new Thread(() -> {
			Realtime.raise();
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					long now = System.nanoTime();
					synchronized (this.lines) {
						this.lines.add(new Line(now, line));
						this.lines.notifyAll();
					}
					out.println(line);
					// Flushed whenever no more output is waiting: when a section fails,
					// the suite
					// may end before the last of a process's family has let go of the
					// pipe, and
					// what led to the failure would be lost in the buffer. A burst of
					// lines is
					// still written at once.
					if (!in.ready()) {
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// The process is gone.
			}
			finally {
				out.close();
			}
		}, "output-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts a command; {@link #launchedNanos()} is taken right before the start.
	 * @param logDirectory where {@code <name>.log} gets the output
	 */
	static Launched start(String name, List<String> command, Map<String, String> environment, Path logDirectory)
			throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf(key -> key.startsWith("SAM_"));
		builder.environment().putAll(environment);
		long beforeMillis = System.currentTimeMillis();
		long before = System.nanoTime();
		Process process = builder.start();
		return new Launched(process, name, before, beforeMillis, logDirectory.resolve(name + ".log"));
	}

	long pid() {
		return this.process.pid();
	}

	String name() {
		return this.name;
	}

	long launchedNanos() {
		return this.launchedNanos;
	}

	/**
	 * When the line was written, on the {@code System.nanoTime()} scale: its own time
	 * stamp (an ISO-8601 instant, as Spring Boot's console lines begin) where it has one,
	 * to the millisecond, otherwise when it arrived. The supervisor holds its first lines
	 * until the instance sends the logging configuration, so their arrival says nothing
	 * about when they happened.
	 */
	long writtenNanos(Line line) {
		int end = line.text().indexOf(' ');
		if (end > 0) {
			try {
				long millis = Instant.parse(line.text().substring(0, end)).toEpochMilli();
				return this.launchedNanos + TimeUnit.MILLISECONDS.toNanos(millis - this.launchedEpochMillis);
			}
			catch (DateTimeParseException ex) {
				// No time stamp: the arrival is all there is.
			}
		}
		return line.nanos();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Process process() {
		return this.process;
	}

	/** Lines seen so far. */
	int lineCount() {
		synchronized (this.lines) {
			return this.lines.size();
		}
	}

	/**
	 * Waits for a line at index {@code from} or later that matches.
	 * @return the line, or {@code null} on timeout or when the process ended without
	 * printing it
	 */
	Line awaitLine(int from, Predicate<String> matches, long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		synchronized (this.lines) {
			int index = from;
			while (true) {
				for (; index < this.lines.size(); index++) {
					if (matches.test(this.lines.get(index).text())) {
						return this.lines.get(index);
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return null;
				}
				if (!this.process.isAlive()) {
					// Give the reader a moment to drain what the process printed before
					// it ended.
					this.lines.wait(50);
					if (index == this.lines.size()) {
						return null;
					}
					continue;
				}
				TimeUnit.NANOSECONDS.timedWait(this.lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
			}
		}
	}

	/** Lines matching, from {@code from} on. */
	List<Line> linesMatching(int from, Predicate<String> matches) {
		synchronized (this.lines) {
			return this.lines.subList(Math.min(from, this.lines.size()), this.lines.size())
				.stream()
				.filter(line -> matches.test(line.text()))
				.collect(Collectors.toList());
		}
	}

	/**
	 * Remembers the processes this one started (the instances), so {@link #close()} can
	 * end them too.
	 */
	void rememberFamily() {
		this.process.descendants().forEach(handle -> this.family.put(handle.pid(), handle.info().startInstant()));
	}

	/** Waits for the process to exit by itself. */
	boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
		return this.process.waitFor(timeout, unit);
	}

	/**
	 * SIGTERM, up to 20 s to exit (a supervisor stops its instance first), then SIGKILL
	 * to it and to every process it started that is still there, each by PID.
	 */
	@Override
	public void close() {
		rememberFamily();
		NativeAccess os = NativeAccess.get();
		try {
			if (this.process.isAlive()) {
				os.kill(pid(), PosixSignal.TERM);
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					os.kill(pid(), PosixSignal.KILL);
					this.process.waitFor(5, TimeUnit.SECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			os.kill(pid(), PosixSignal.KILL);
		}
		this.family.forEach((member, started) -> ProcessHandle.of(member).ifPresent(handle -> {
			// Only a process that is still the one we saw (same start time) is ours.
			if (handle.isAlive() && started.isPresent() && started.equals(handle.info().startInstant())) {
				os.kill(member, PosixSignal.KILL);
			}
		}));
	}

}
