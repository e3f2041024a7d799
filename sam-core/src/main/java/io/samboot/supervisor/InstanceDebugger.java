package io.samboot.supervisor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.samboot.JvmSwitch;
import io.samboot.log.SamLog;

/**
 * What the supervisor does because the instance's command line carries a JDWP agent: the
 * application is being debugged from an IDE.
 *
 * <p>
 * The agent is for the application, so every instance runs it and the supervisor does
 * not:
 * <ul>
 * <li><b>Attach mode</b> ({@code server=y}): each instance listens at the address the
 * user gave. The JVM the user started listens there too, from its own start; the lean
 * supervisor JVM it becomes runs no agent, and {@code execve} closes that port, so
 * instance 1 is launched by the lean JVM, after the {@code execve}
 * ({@link #launchAfterReexec()}). Where the JVM the user started goes on supervising it
 * keeps the port, and the instance gets another free one ({@link #besideThisJvm}).</li>
 * <li><b>Listen mode</b> ({@code server=n}): each instance connects to the debugger at
 * its start. The JVM the user started connected first; its connection ends with the
 * {@code execve}, again before instance 1 starts. The debugger must go on listening for
 * every instance: an instance that finds nothing there exits at once with "transport
 * error 202", which {@link #endedBeforeRegistering} explains.</li>
 * </ul>
 * <p>
 * A debugger holds the JVM at its breakpoints, where it answers no health check: the
 * instance's {@code time-interval} and {@code startup-timeout} are therefore not enforced
 * while it runs an agent (whether a debugger is attached cannot be known from here),
 * unless {@code -Dsam.debug.enforce-limits=true}. Its exit is still watched, and
 * recovered by policy.
 */
final class InstanceDebugger {

	/** No agent: nothing changes. */
	static final InstanceDebugger NONE = new InstanceDebugger(null, false);

	private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");

	private final JdwpAgent agent;

	private final boolean enforceLimits;

	private InstanceDebugger(JdwpAgent agent, boolean enforceLimits) {
		this.agent = agent;
		this.enforceLimits = enforceLimits;
	}

	/** The debugger of instances launched with this command line. */
	static InstanceDebugger of(List<String> instanceCommand) {
		String enforce = JvmSwitch.DEBUG_ENFORCE_LIMITS.valueOrDefault();
		return of(instanceCommand, enforce != null && TRUE.contains(enforce.trim().toLowerCase(Locale.ROOT)));
	}

	static InstanceDebugger of(List<String> instanceCommand, boolean enforceLimits) {
		JdwpAgent agent = JdwpAgent.find(instanceCommand);
		return (agent != null) ? new InstanceDebugger(agent, enforceLimits) : NONE;
	}

	boolean present() {
		return this.agent != null;
	}

	/**
	 * Whether instance 1 must wait until the JVM the user started is gone (re-executed):
	 * that JVM listens at the instance's fixed port, or is connected to the debugger the
	 * instance connects to.
	 */
	boolean launchAfterReexec() {
		return present() && (!this.agent.server() || this.agent.port() != 0);
	}

	/**
	 * The instance's command line for a supervisor that stays in the JVM the user
	 * started, whose agent keeps listening at its fixed port: the instance's agent gets
	 * another port, free now, and the log says which. Unchanged otherwise.
	 */
	List<String> besideThisJvm(List<String> command, SamLog log) {
		if (!present() || !this.agent.server() || this.agent.port() == 0) {
			return command;
		}
		int port;
		try {
			port = freePort(this.agent.host());
		}
		catch (IOException ex) {
			log.warn("debugger: this JVM, which supervises, keeps listening at " + this.agent.address()
					+ ", so every instance fails to bind it ('bind failed'): no free port could be found for the"
					+ " instances (" + ex.getMessage() + "); with address=" + this.agent.addressWithPort(0)
					+ " each instance picks a port of its own");
			return command;
		}
		String address = this.agent.addressWithPort(port);
		List<String> rewritten = new ArrayList<>(command);
		rewritten.set(rewritten.indexOf(this.agent.option()), this.agent.withAddress(address));
		log.info("debugger: this JVM supervises and keeps listening at " + this.agent.address()
				+ " (a debugger attached there debugs the supervisor, not the application); every instance listens at "
				+ address + " instead: attach the debugger there");
		return rewritten;
	}

	/** What the debugger must do, once, when supervision begins. */
	String startNote(boolean lean) {
		String option = this.agent.option();
		String limits = this.enforceLimits
				? "; health-check limits stay enforced (-D" + JvmSwitch.DEBUG_ENFORCE_LIMITS.propertyName()
						+ "=true): a breakpoint held longer than time-interval + kill-delay gets the instance killed"
				: "";
		if (this.agent.server()) {
			String where = (this.agent.port() != 0) ? "at " + this.agent.address()
					: "at a port its JVM picks and prints ('Listening for transport dt_socket at address: N')";
			return "debugger: every instance runs " + option + " and listens for the debugger " + where
					+ (lean ? " (this supervisor JVM runs no agent)" : "") + "; attach again after each restart"
					+ (this.agent.suspend() ? "; each instance waits for the debugger before it runs (suspend=y)" : "")
					+ limits;
		}
		String address = (this.agent.address() != null) ? this.agent.address() : "the agent's default address";
		return "debugger: every instance runs " + option + " and connects to the debugger listening at " + address
				+ " when it starts"
				+ (lean ? " (this supervisor JVM runs no agent; the connection the JVM you started made ended when it"
						+ " re-executed itself)"
						: " (this JVM, which supervises, keeps the connection it made at its start)")
				+ "; keep the debugger listening for every instance (IntelliJ IDEA: 'Remote JVM Debug', 'Listen to"
				+ " remote JVM', with 'Auto restart'; Eclipse: 'Remote Java Application', 'Socket Listen', with a"
				+ " connection limit): an instance that finds nothing listening exits at once with 'transport error 202'"
				+ limits;
	}

	/**
	 * Whether this instance's health-check limits are waived: it runs the agent and the
	 * switch does not keep them. Logged once per instance.
	 */
	boolean waivesLimits(SupervisedInstance instance, SamLog log) {
		if (!present() || this.enforceLimits) {
			return false;
		}
		log.info(instance + " runs a JDWP agent (" + this.agent.option() + "): its time-interval and"
				+ " startup-timeout are not enforced, so that a debugger holding it at a breakpoint does not get it"
				+ " killed; its exit is still watched and recovered; -D" + JvmSwitch.DEBUG_ENFORCE_LIMITS.propertyName()
				+ "=true keeps the limits");
		return true;
	}

	/**
	 * Explains the end of an instance that exited before it registered, when the agent
	 * may be why: in listen mode its JVM exits at once if nothing listens.
	 */
	void endedBeforeRegistering(SupervisedInstance instance, int status, SamLog log) {
		if (!present() || this.agent.server()) {
			return;
		}
		log.warn(instance + " ended with status " + status + " before it registered: its JVM connects to a debugger at "
				+ ((this.agent.address() != null) ? this.agent.address() : "the agent's default address")
				+ " when it starts (" + this.agent.option() + "), and exits with status 2 and 'transport error 202'"
				+ " if nothing listens there: keep the debugger listening for every instance (IntelliJ IDEA: 'Auto"
				+ " restart'; Eclipse: a connection limit), or start without the agent");
	}

	/** A port free now on the agent's host ({@code null}: localhost, {@code *}: all). */
	static int freePort(String host) throws IOException {
		InetAddress address = (host == null) ? InetAddress.getLoopbackAddress()
				: host.equals("*") ? null : InetAddress.getByName(host);
		try (ServerSocket socket = new ServerSocket(0, 1, address)) {
			return socket.getLocalPort();
		}
	}

}
