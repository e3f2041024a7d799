package io.samboot.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test started, so that it can stop exactly those (and their descendants)
 * afterwards.
 */
public final class TestProcesses implements AutoCloseable {

	private final List<Process> started = new ArrayList<>();

	public Process start(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		this.started.add(process);
		return process;
	}

	/**
	 * Starts {@code sleep 30}, a process that dies with the default action of most
	 * signals.
	 */
	public Process startSleep() throws IOException {
		return start(List.of("sleep", "30"));
	}

	/** A PID that no process has: one of a process started and already reaped. */
	public long reapedPid() throws IOException, InterruptedException {
		Process process = start(List.of("true"));
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("'true' did not exit");
		}
		return process.pid();
	}

	@Override
	public void close() {
		for (Process process : this.started) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

}
