package io.samboot.supervisor;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Handoff;

/**
 * Launches the instance as a copy of this JVM's command line, with the standard streams
 * inherited and the {@link Handoff} variables added to its environment.
 *
 * <p>
 * Must be called from the supervisor's one long-lived loop thread: Linux sends the
 * parent-death signal an instance arms when the <em>thread</em> that created it ends, not
 * the process. The supervisor's own launcher arms that signal before the instance's JVM
 * starts ({@link ParentDeathPrefix}), so that the instance needs no native call for it.
 */
final class ProcessInstanceLauncher implements InstanceLauncher {

	private final List<String> command;

	private final Map<String, String> environment;

	private final boolean armParentDeath;

	/**
	 * What goes in front of the command line, found on the first launch and kept for this
	 * launcher's life (also when the probe could not tell, as before).
	 */
	private List<String> prefix;

	/**
	 * @param command the instance's command line, {@code java} first
	 * @param environment variables added to the supervisor's environment for the instance
	 * (those the lean supervisor JVM was started without, see {@link SupervisorReexec})
	 * @param armParentDeath whether to arm the instance's parent-death signal before its
	 * JVM starts ({@link ParentDeathPrefix}): only a launcher whose thread lives as long
	 * as the supervisor may (the thread that calls {@code execve} counts: it is the one
	 * thread that {@code execve} keeps)
	 */
	ProcessInstanceLauncher(List<String> command, Map<String, String> environment, boolean armParentDeath) {
		this.command = List.copyOf(command);
		this.environment = Map.copyOf(environment);
		this.armParentDeath = armParentDeath;
	}

	@Override
	public LaunchedInstance launch(LaunchTicket ticket) throws IOException {
		if (this.prefix == null) {
			this.prefix = this.armParentDeath ? ParentDeathPrefix.find() : List.of();
		}
		ProcessBuilder builder = new ProcessBuilder(ParentDeathPrefix.concat(this.prefix, this.command)).inheritIO();
		Map<String, String> environment = builder.environment();
		environment.putAll(this.environment);
		if (this.prefix.isEmpty()) {
			environment.remove(Handoff.PARENT_DEATH_SIGNAL);
		}
		else {
			environment.put(Handoff.PARENT_DEATH_SIGNAL, ParentDeathPrefix.ARMED);
		}
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
		return new LaunchedInstance(process.pid(), ChildExit.of(process, ticket.instanceId(), NativeAccess.get()),
				process);
	}

}
