package io.samboot.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import io.samboot.PosixSignal;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Handoff;

/**
 * Kills (SIGKILL) the processes an instance leaves running when it ends, and, when the
 * supervisor exits, every process below it but the instances themselves: a child that
 * ignores SIGTERM, a double-forked daemon. The instance had its graceful stop (or was
 * killed); what it did not stop then is a leak, which would pile up across restarts and
 * outlive the supervisor under PID 1. systemd's {@code KillMode=mixed} does the same:
 * SIGTERM to the main process, SIGKILL to what remains.
 *
 * <p>
 * Whose a process is: the supervisor is a child subreaper (or PID 1), so when an instance
 * ends, its children become the supervisor's. A child of the supervisor that is not a
 * running instance is an instance's leftover, and so is everything below it. Its owner is
 * the instance named by the {@link Handoff#INSTANCE_ID} it inherited (read from
 * {@code /proc/<pid>/environ}): a process of a standby that is still running (a daemon it
 * double-forked, re-parented to the supervisor while the standby lives) is the standby's
 * and stays. A process without that mark (it cleared its environment) could be any
 * instance's: it is killed when an instance ends with no other running, and when the
 * supervisor exits.
 *
 * <p>
 * PIDs: a direct child's PID cannot be reused before it is reaped, and only
 * {@link OrphanReaper} reaps them, one period after they became zombies; a grandchild's
 * could in the microseconds between reading {@code /proc} and {@code kill}, as with any
 * signal sent by PID.
 */
final class LeftoverKiller implements Leftovers {

	/**
	 * How long to make sure the killed are dead (and kill what they forked meanwhile);
	 * the loop thread waits, so it is short. SIGKILLed processes are zombies within
	 * milliseconds unless stuck in the kernel.
	 */
	static final Duration SETTLE = Duration.ofMillis(500);

	/** A bound on one sweep, should {@code /proc} show a loop or a fork bomb. */
	private static final int MAX_PROCESSES = 10_000;

	private static final int MAX_LOGGED = 8;

	private final NativeAccess os;

	private final long self;

	private final ChildProcesses children;

	private final LongFunction<OptionalInt> instanceMark;

	private final SamLog log;

	private final LongSupplier nanoTime;

	/**
	 * @param instanceMark the instance id a process inherited in its environment, if any
	 */
	LeftoverKiller(NativeAccess os, ChildProcesses children, LongFunction<OptionalInt> instanceMark, SamLog log,
			LongSupplier nanoTime) {
		this.os = os;
		this.self = os.getpid();
		this.children = children;
		this.instanceMark = instanceMark;
		this.log = log;
		this.nanoTime = nanoTime;
	}

	/** Kills leftovers found in Linux's {@code /proc}. */
	static LeftoverKiller fromProc(NativeAccess os, SamLog log) {
		long self = os.getpid();
		return new LeftoverKiller(os, ChildProcesses.proc(), pid -> instanceMark(Path.of("/proc"), pid, self), log,
				System::nanoTime);
	}

	@Override
	public void instanceEnded(int instanceId, Map<Long, Integer> running) {
		sweep("instance " + instanceId + " left", running, false);
	}

	@Override
	public void supervisorExiting(Map<Long, Integer> running) {
		sweep("the supervisor exits; the instances left", running, true);
	}

	private void sweep(String what, Map<Long, Integer> running, boolean everything) {
		Map<Long, String> killed = new LinkedHashMap<>();
		long deadline = this.nanoTime.getAsLong() + SETTLE.toNanos();
		List<ChildProcesses.Child> found;
		try {
			while (!(found = leftovers(running, everything)).isEmpty()) {
				// Killed ones still dying are found again: SIGKILL twice does no harm,
				// and what they forked meanwhile is found with them.
				for (ChildProcesses.Child leftover : found) {
					kill(leftover);
					killed.putIfAbsent(leftover.pid(), leftover.command());
				}
				if (this.nanoTime.getAsLong() - deadline >= 0) {
					this.log.warn(what + " processes that are still running after SIGKILL: " + text(commands(found))
							+ " (stuck in the kernel?)");
					break;
				}
				Thread.sleep(2);
			}
		}
		catch (IOException ex) {
			this.log.warn("cannot read /proc to stop the processes the instances left running: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!killed.isEmpty()) {
			this.log.warn(what + " " + killed.size() + ((killed.size() == 1) ? " process" : " processes")
					+ " running: killed " + text(killed) + " (SIGKILL); an application should stop what it starts"
					+ " when it stops");
		}
	}

	/**
	 * The live processes to kill now: children of the supervisor that are leftovers, and
	 * everything below them; when {@code everything}, also everything below the running
	 * instances.
	 */
	private List<ChildProcesses.Child> leftovers(Map<Long, Integer> running, boolean everything) throws IOException {
		List<ChildProcesses.Child> found = new ArrayList<>();
		Set<Long> seen = new HashSet<>();
		for (ChildProcesses.Child child : this.children.of(this.self)) {
			if (child.zombie()) {
				continue;
			}
			if (running.containsKey(child.pid())) {
				if (everything) {
					below(child.pid(), found, seen);
				}
			}
			else if (everything || isLeftover(child.pid(), running)) {
				found.add(child);
				seen.add(child.pid());
				below(child.pid(), found, seen);
			}
		}
		return found;
	}

	private boolean isLeftover(long pid, Map<Long, Integer> running) {
		OptionalInt owner = this.instanceMark.apply(pid);
		if (owner.isPresent()) {
			return !running.containsValue(owner.getAsInt());
		}
		return running.isEmpty();
	}

	/** Adds the live descendants of {@code pid}, depth first. */
	private void below(long pid, List<ChildProcesses.Child> found, Set<Long> seen) throws IOException {
		for (ChildProcesses.Child child : this.children.of(pid)) {
			if (!child.zombie() && found.size() < MAX_PROCESSES && seen.add(child.pid())) {
				found.add(child);
				below(child.pid(), found, seen);
			}
		}
	}

	private void kill(ChildProcesses.Child process) {
		try {
			this.os.kill(process.pid(), PosixSignal.KILL);
		}
		catch (RuntimeException ex) {
			// Gone meanwhile (ESRCH), most likely: the next look tells.
		}
	}

	private static Map<Long, String> commands(List<ChildProcesses.Child> processes) {
		Map<Long, String> commands = new LinkedHashMap<>();
		processes.forEach(process -> commands.putIfAbsent(process.pid(), process.command()));
		return commands;
	}

	/** "pid (command), ..." for the first few, and how many more. */
	private static String text(Map<Long, String> processes) {
		StringBuilder text = new StringBuilder();
		int shown = 0;
		for (Map.Entry<Long, String> process : processes.entrySet()) {
			if (shown++ == MAX_LOGGED) {
				text.append(" and ").append(processes.size() - MAX_LOGGED).append(" more");
				break;
			}
			text.append((shown > 1) ? ", " : "")
				.append(process.getKey())
				.append(" (")
				.append(process.getValue())
				.append(')');
		}
		return text.toString();
	}

	/**
	 * The instance id in a process's environment ({@code /proc/<pid>/environ}, readable
	 * for processes of the same user), if it names this supervisor: the mark every
	 * descendant of an instance inherits unless it clears its environment.
	 */
	static OptionalInt instanceMark(Path proc, long pid, long supervisorPid) {
		byte[] environ;
		try {
			environ = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("environ"));
		}
		catch (IOException ex) {
			return OptionalInt.empty(); // gone, or another user's
		}
		String instanceId = null;
		String supervisor = null;
		for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
			if (variable.startsWith(Handoff.INSTANCE_ID + "=")) {
				instanceId = variable.substring(Handoff.INSTANCE_ID.length() + 1);
			}
			else if (variable.startsWith(Handoff.SUPERVISOR_PID + "=")) {
				supervisor = variable.substring(Handoff.SUPERVISOR_PID.length() + 1);
			}
		}
		if (instanceId == null || !Long.toString(supervisorPid).equals(supervisor)) {
			return OptionalInt.empty();
		}
		try {
			return OptionalInt.of(Integer.parseInt(instanceId));
		}
		catch (NumberFormatException ex) {
			return OptionalInt.empty();
		}
	}

}
