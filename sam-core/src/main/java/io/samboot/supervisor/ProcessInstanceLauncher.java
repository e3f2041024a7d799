package io.samboot.supervisor;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.samboot.protocol.Handoff;

/**
 * Launches the instance as a copy of this JVM's command line, with the standard streams
 * inherited and the {@link Handoff} variables added to its environment.
 *
 * <p>
 * Must be called from the supervisor's one long-lived loop thread: Linux sends the
 * parent-death signal an instance arms when the <em>thread</em> that created it ends, not
 * the process.
 */
final class ProcessInstanceLauncher implements InstanceLauncher {

	private final List<String> command;

	private final Map<String, String> environment;

	ProcessInstanceLauncher(List<String> command) {
		this(command, Map.of());
	}

	/**
	 * @param command the instance's command line, {@code java} first
	 * @param environment variables added to the supervisor's environment for the instance
	 * (those the lean supervisor JVM was started without, see {@link SupervisorReexec})
	 */
	ProcessInstanceLauncher(List<String> command, Map<String, String> environment) {
		this.command = List.copyOf(command);
		this.environment = Map.copyOf(environment);
	}

	@Override
	public LaunchedInstance launch(LaunchTicket ticket) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(this.command).inheritIO();
		Map<String, String> environment = builder.environment();
		environment.putAll(this.environment);
		// systemd talks to the supervisor, the unit's main process, not to the
		// application.
		environment.remove("NOTIFY_SOCKET");
		environment.remove("WATCHDOG_USEC");
		environment.remove("WATCHDOG_PID");
		environment.put(Handoff.SOCKET, ticket.socketPath());
		environment.put(Handoff.SUPERVISOR_PID, Long.toString(ticket.supervisorPid()));
		environment.put(Handoff.INSTANCE_ID, Integer.toString(ticket.instanceId()));
		environment.put(Handoff.SECRET, Handoff.toHex(ticket.secret()));
		Process process = builder.start();
		return new LaunchedInstance(process.pid(), process.onExit().thenApply(Process::exitValue));
	}

}
