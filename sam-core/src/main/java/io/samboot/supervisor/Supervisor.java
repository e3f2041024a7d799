package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;

/**
 * Turns the process the user started into the supervisor of its own application. Called
 * once, on the thread that will own the supervisor loop for the rest of the process's
 * life (the main thread): it never returns.
 */
public final class Supervisor {

	private Supervisor() {
	}

	/**
	 * Launches this JVM's command line as the active instance and supervises it until the
	 * supervisor exits, with the last instance's exit status.
	 * @param initial the settings until the instance sends its own (they only matter
	 * before it registers: the shutdown timeout for a signal that arrives before then)
	 * @param data data stored before registration, handed to every instance until
	 * replaced
	 */
	public static void superviseThisProcess(SamSettings initial, byte[] data) {
		superviseThisProcess(initial, data, false);
	}

	/**
	 * As {@link #superviseThisProcess(SamSettings, byte[])}; with {@code awaitLogging},
	 * the supervisor's first lines wait for the logging configuration the first instance
	 * sends (the early launcher, which runs before Spring Boot reads it).
	 */
	public static void superviseThisProcess(SamSettings initial, byte[] data, boolean awaitLogging) {
		// From here on this JVM is the supervisor: its lines are marked [sam-supervisor],
		// whatever the
		// application's logging does.
		SupervisorConsole.install(initial, awaitLogging);
		SamLog log = SamLog.get(Supervisor.class);
		NativeAccess os = NativeAccess.get();
		CommandLine commandLine;
		try {
			commandLine = CommandLine.current();
		}
		catch (RuntimeException ex) {
			log.error("cannot supervise: " + ex.getMessage() + "; run with -Dsam.enabled=false to start without SAM");
			System.exit(1);
			return;
		}
		boolean jmxReleased = JmxRemoteAgent.releaseIfRunning();
		JvmOptionPolicy.Result instanceCommand = JvmOptionPolicy.rewrite(commandLine.arguments(), jmxReleased);
		instanceCommand.notes().forEach(log::info);
		if (!os.isNative()) {
			log.warn("native access is unavailable: the supervisor can send only SIGTERM and SIGKILL, and an instance"
					+ " is not killed if the supervisor is (add net.java.dev.jna:jna)");
		}
		InstanceDebugger debugger = InstanceDebugger.of(instanceCommand.arguments());
		// Returns only if this JVM is to supervise itself, maybe with instance 1 already
		// launched. With a debugger's agent, instance 1 waits for the lean JVM: this JVM
		// holds the agent's port, or its connection to the debugger, until execve.
		SupervisorReexec.Takeover takeover = SupervisorReexec.execIfPossible(instanceCommand.arguments(), initial, data,
				os, log, !debugger.launchAfterReexec());
		// Still this JVM: its own agent keeps the port it listens on.
		List<String> command = (takeover == null) ? debugger.besideThisJvm(instanceCommand.arguments(), log)
				: instanceCommand.arguments();
		supervise(command, Map.of(), initial, data, (takeover != null) ? takeover.controlDirectory() : null,
				(takeover != null) ? takeover.firstInstance() : null, "");
	}

	/**
	 * Supervises: opens the control channel, launches the instance and runs the
	 * supervisor loop until the supervisor exits. Never returns.
	 * @param instanceCommand the instance's command line, {@code java} first
	 * @param instanceEnvironment variables to add to the instance's environment
	 * @param controlDirectory the private directory for the control socket, or
	 * {@code null} to make one
	 * @param firstInstance instance 1 if it is already running (launched with a socket
	 * path in {@code controlDirectory}, which is then given too), or {@code null} to
	 * launch it
	 * @param jvmKind how this JVM came to supervise, for the log ("" or " (lean
	 * supervisor JVM)")
	 */
	static void supervise(List<String> instanceCommand, Map<String, String> instanceEnvironment, SamSettings initial,
			byte[] data, Path controlDirectory, AdoptedInstance firstInstance, String jvmKind) {
		SamLog log = SamLog.get(Supervisor.class);
		NativeAccess os = NativeAccess.get();
		SupervisorInbox events;
		ControlServer server;
		try {
			events = SupervisorInbox.open(log);
			// Instance 1 is expected before the first connection is accepted: it may be
			// trying to connect already, and an instance found unexpected is refused.
			server = (controlDirectory != null) ? ControlServer.openIn(controlDirectory, events, log,
					(opened) -> expectFirst(opened, firstInstance)) : ControlServer.open(events);
		}
		catch (IOException ex) {
			log.error("cannot open the control channel: " + ex + "; run with -Dsam.enabled=false to start without SAM");
			System.exit(1);
			return;
		}
		SignalTrap.install(signal -> events.post(new SupervisorEvent.SignalReceived(signal)));
		// Its compilations are never urgent: at a crash and beside an instance's start
		// they wait for the loop and the instance.
		BackgroundThreads.lowerCompilers(os);
		log.info("supervising pid " + os.getpid() + jvmKind + ": relaunching " + instanceCommand.get(0)
				+ " as the active instance");
		InstanceDebugger debugger = InstanceDebugger.of(instanceCommand);
		if (debugger.present()) {
			log.info(debugger.startNote(!jvmKind.isEmpty()));
		}
		SupervisorLoop loop = new SupervisorLoop(events, initial, data,
				new ProcessInstanceLauncher(instanceCommand, instanceEnvironment, true), server, os, System::exit,
				System::nanoTime, Clock.systemUTC());
		loop.debugger(debugger);
		loop.clusterServices(ClusterServices.fromClassPath());
		loop.pauseProbe(PauseProbe.forThisPlatform());
		if (firstInstance != null) {
			loop.adoptFirstInstance(firstInstance);
		}
		if (SamLog.sink() instanceof SupervisorConsole console) {
			// Its lines follow the logging configuration each instance registers with.
			if (!initial.logging().isEmpty()) {
				// Known from the start; otherwise the first registration tells.
				console.configure(initial.logging());
			}
			loop.addListener(console);
		}
		SystemdNotifier.fromEnvironment(System.getenv(), os).ifPresent(loop::addListener);
		if (os.isNative() && System.getProperty("os.name", "").startsWith("Linux")) {
			// glibc's call; elsewhere there is nothing to give back this way.
			loop.addListener(NativeHeapTrim.onItsOwnThread(os));
		}
		OrphanReaper.startIfNeeded(os).ifPresent(reaper -> {
			loop.addListener(reaper);
			// Orphans come to this process (a child subreaper, or PID 1): what an
			// instance
			// leaves running is found, and stopped with it.
			loop.leftovers(LeftoverKiller.fromProc(os, log));
		});
		loop.run();
		// The exit callback has been called; if it returned (System.exit blocked by a
		// hook), wait for the end.
		while (true) {
			try {
				Thread.sleep(Long.MAX_VALUE);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void expectFirst(ControlServer server, AdoptedInstance firstInstance) {
		if (firstInstance != null) {
			server.expect(firstInstance.ticket().instanceId(), firstInstance.ticket().secret());
			server.expectPid(firstInstance.ticket().instanceId(), firstInstance.launched().pid());
		}
	}

}
