package io.samboot.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Collects a child process's output lines on a daemon thread, so tests can wait for a
 * line with Awaitility instead of blocking on a read that may never return.
 */
public final class OutputLines {

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private volatile boolean complete;

	private OutputLines() {
	}

	public static OutputLines of(InputStream stream) {
		OutputLines output = new OutputLines();
		Thread reader = new Thread(() -> output.readAll(stream), "output-lines");
		reader.setDaemon(true);
		reader.start();
		return output;
	}

	private void readAll(InputStream stream) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The test closed the process's streams (SupervisedApp.close) while this
			// thread read: the output has ended. Thrown here, it would fail whichever
			// test runs in parallel at that moment.
			this.lines.add("(output closed: " + ex.getMessage() + ")");
		}
		finally {
			this.complete = true;
		}
	}

	/**
	 * Whether the stream has ended (every writer closed it or exited) and all lines are
	 * in.
	 */
	public boolean isComplete() {
		return this.complete;
	}

	public Optional<String> find(Predicate<String> predicate) {
		return this.lines.stream().filter(predicate).findFirst();
	}

	public long count(Predicate<String> predicate) {
		return this.lines.stream().filter(predicate).count();
	}

	@Override
	public String toString() {
		return String.join(System.lineSeparator(), this.lines);
	}

}
