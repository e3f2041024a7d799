package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.InstanceLauncher.LaunchTicket;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;

/**
 * The entry point of the lean supervisor JVM that {@link SupervisorReexec} turns the JVM
 * the user started into (same PID). Not for starting by hand.
 *
 * <p>
 * Arguments: the handover file in the supervisor's private directory, {@code --}, then
 * the instance's command line.
 */
public final class SupervisorMain {

	private SupervisorMain() {
	}

	public static void main(String[] args) {
		SupervisorConsole.install(SamSettings.defaults(), false);
		SamLog log = SamLog.get(SupervisorMain.class);
		if (args.length < 3 || !"--".equals(args[1])) {
			log.error("the lean supervisor JVM was started with " + Arrays.toString(args) + "; it expects <handover"
					+ " file> -- <instance command line> and is started only by SAM itself");
			System.exit(2);
			return;
		}
		Path handoverFile = Path.of(args[0]);
		SupervisorHandover handover;
		try {
			handover = SupervisorHandover.readAndDelete(handoverFile);
		}
		catch (IOException ex) {
			log.error("cannot take over as the lean supervisor: " + ex.getMessage() + "; start with -D"
					+ SupervisorReexec.ENABLED_PROPERTY + "=false to supervise from the JVM you start");
			ControlDirectory.removeQuietly(handoverFile.getParent());
			System.exit(1);
			return;
		}
		if (SamLog.sink() instanceof SupervisorConsole console && handover.holdingLines()) {
			// The JVM before the re-execution was waiting for the logging configuration:
			// so does this one, with the lines it held.
			console.holdUntilConfigured();
			console.holdFirst(handover.heldLines());
		}
		// Ready before any instance ends, and in the class-data archive this JVM may
		// record.
		SupervisorClassPreload.start(SupervisorMain.class);
		List<String> instanceCommand = List.of(args).subList(2, args.length);
		// What the JVM the user started found before launching instance 1: the first
		// restart need not run the probe again.
		if (handover.parentDeathPrefix() != null) {
			ParentDeathPrefix.handedOver(handover.parentDeathPrefix());
		}
		Path directory = handoverFile.getParent();
		Supervisor.supervise(instanceCommand, handover.instanceEnvironment(), handover.settings(), handover.data(),
				directory, adopt(handover.firstInstance(), directory), " (lean supervisor JVM)");
	}

	/**
	 * Instance 1 as this JVM sees it: a child it did not start, whose end a thread waits
	 * for and which it then reaps ({@link ChildExit#ofAdopted}).
	 */
	private static AdoptedInstance adopt(SupervisorHandover.FirstInstance first, Path directory) {
		if (first == null) {
			return null;
		}
		NativeAccess os = NativeAccess.get();
		long pid = first.pid();
		CompletableFuture<Integer> exit = ChildExit.ofAdopted(pid, 1, os);
		LaunchTicket ticket = new LaunchTicket(1, first.secret(), ControlDirectory.socketIn(directory).toString(),
				os.getpid());
		return new AdoptedInstance(ticket, new LaunchedInstance(pid, exit), first.launchedNanos(),
				Instant.ofEpochMilli(first.launchedEpochMillis()));
	}

}
