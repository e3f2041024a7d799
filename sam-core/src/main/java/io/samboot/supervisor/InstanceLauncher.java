package io.samboot.supervisor;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Starts an active instance. Behind an interface so the loop's decisions can be tested
 * without processes.
 */
interface InstanceLauncher {

	/**
	 * Starts the instance described by the ticket.
	 * @return the running instance
	 * @throws IOException if the process could not be started
	 */
	LaunchedInstance launch(LaunchTicket ticket) throws IOException;

	/** What an instance needs to find and prove itself to the supervisor. */
	record LaunchTicket(int instanceId, byte[] secret, String socketPath, long supervisorPid) {
	}

	/**
	 * A started instance: its PID and a future completed with its exit value when it
	 * ends.
	 *
	 * @param pid its process id
	 * @param exit completed with its exit value when it ends
	 * @param process the JDK's handle when this JVM started it (the JDK then reaps it),
	 * otherwise {@code null}
	 */
	record LaunchedInstance(long pid, CompletableFuture<Integer> exit, Process process) {

		/** An instance this JVM did not start, or started without the JDK. */
		LaunchedInstance(long pid, CompletableFuture<Integer> exit) {
			this(pid, exit, null);
		}

	}

	/**
	 * An instance launched before this supervisor's loop ran, by the JVM this process was
	 * before it re-executed itself ({@link SupervisorReexec}), for the loop to take over
	 * as its first.
	 *
	 * @param ticket what it was launched with
	 * @param launched the process
	 * @param launchedNanos when it was launched, on the {@code System.nanoTime()} clock
	 * (on Linux {@code CLOCK_MONOTONIC}, which survives {@code execve})
	 * @param launchedAt when it was launched, by the wall clock
	 */
	record AdoptedInstance(LaunchTicket ticket, LaunchedInstance launched, long launchedNanos,
			java.time.Instant launchedAt) {
	}

}
