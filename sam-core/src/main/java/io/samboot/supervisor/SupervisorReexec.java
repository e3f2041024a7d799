package io.samboot.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.samboot.JvmSwitch;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.InstanceLauncher.AdoptedInstance;
import io.samboot.supervisor.InstanceLauncher.LaunchTicket;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;

/**
 * Turns the JVM the user started into a lean supervisor JVM, keeping its PID:
 * {@code execve} of the same {@code java} with small-footprint options and a class path
 * of SAM and JNA only, running {@link SupervisorMain}.
 *
 * <p>
 * Why: by the time SAM takes over, the JVM the user started has booted Spring Boot's
 * launcher, its logging and part of Spring Boot, with heap, metaspace and compiler
 * threads sized for the application; it would supervise at several times the memory and
 * CPU a supervisor needs. The PID must stay the same, since it is what the user, systemd
 * or a container runtime started and signals; {@code execve} keeps it, and with it the
 * parent, the standard streams and the session.
 *
 * <p>
 * What does not cross: file descriptors (all marked close-on-exec, so no jar, socket, JMX
 * or debug port lingers), the application's JVM options and agents (the supervisor runs
 * none of them; the instance keeps them all), and {@code JAVA_TOOL_OPTIONS},
 * {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}, which are taken out of the
 * supervisor's environment and put back into the instance's. System properties that SAM
 * itself reads ({@code sam.*}, {@code jna.*}, the temp directory, the library path and
 * the encodings) are passed on.
 *
 * <p>
 * Off with {@code -Dsam.supervisor.reexec=false};
 * {@code -Dsam.supervisor.jvm-options="..."} replaces {@link #LEAN_OPTIONS}. Where it
 * cannot be done (no JNA, not Linux, a class path it cannot reproduce, options the JVM
 * refuses ({@link LeanJvmTrial}), {@code execve} failing) the JVM the user started
 * supervises, as before, with a log line saying why.
 */
final class SupervisorReexec {

	/** Switches the re-execution off when {@code false}. */
	static final String ENABLED_PROPERTY = JvmSwitch.SUPERVISOR_REEXEC.propertyName();

	/** Replaces {@link #LEAN_OPTIONS} (separated by spaces). */
	static final String OPTIONS_PROPERTY = JvmSwitch.SUPERVISOR_JVM_OPTIONS.propertyName();

	/**
	 * A supervisor's JVM: serial GC with a small heap whose young generation (8 MB,
	 * survivors of 2 MB) holds an array of the default 1 MiB data limit while the next
	 * one is made, so such arrays die young (with a 4 MB heap every 1 MiB store ended in
	 * a full collection: 10 ms instead of 0.9 ms). Large stores themselves are kept in
	 * direct memory ({@link SupervisorDataStore}); what still makes such arrays is a
	 * small store's and the copy a new instance's welcome takes. The maximum is left to
	 * the JVM, since the limit may be raised to 512 MB. C1 only, one compiler thread and
	 * a small code cache, compiling after 20 calls instead of 200: at a few checks a
	 * second the default thresholds kept the compiler busy for minutes, most of the idle
	 * CPU; and since the interpreter asks whether to compile only every 2^7 calls (2^10
	 * loop turns), it asks every 8 (32). Small thread stacks; no performance-counter
	 * sampling, which wakes the JVM every 50 ms; no wake-ups of the VM thread every
	 * second for a safepoint nothing needs (JDK 25's default) nor of the
	 * monitor-deflation thread every 250 ms (a supervisor inflates few monitors; it still
	 * deflates every 60 s), nor of the service thread every second to look for table
	 * cleanups nobody asked for (JDK 25; JDK 17 has no such wake-up; it still looks every
	 * 60 s, and is woken for cleanups asked for). Unrecognised options are ignored, so
	 * that a JDK that drops a tuning flag still starts the supervisor, which has already
	 * replaced the JVM the user started.
	 */
	static final List<String> LEAN_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC", "-Xms8m",
			"-Xmn6m", "-XX:SurvivorRatio=2", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
			"-XX:Tier3InvocationThreshold=20", "-XX:Tier3MinInvocationThreshold=10", "-XX:Tier3CompileThreshold=100",
			"-XX:Tier3BackEdgeThreshold=1000", "-XX:Tier0InvokeNotifyFreqLog=3", "-XX:Tier0BackedgeNotifyFreqLog=5",
			"-XX:ReservedCodeCacheSize=16m", "-Xss256k", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions",
			"-XX:GuaranteedSafepointInterval=0", "-XX:AsyncDeflationInterval=60000",
			"-XX:ServiceThreadCleanupInterval=60000");

	/**
	 * Variables the JVM itself reads for options: kept from the supervisor, restored for
	 * the instance.
	 */
	static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

	private static final List<String> PASSED_PROPERTY_PREFIXES = List.of("sam.", "jna.");

	private static final List<String> PASSED_PROPERTIES = List.of("java.io.tmpdir", "java.library.path",
			"file.encoding", "stdout.encoding", "stderr.encoding", "sun.stdout.encoding", "sun.stderr.encoding",
			"user.timezone");

	private SupervisorReexec() {
	}

	/**
	 * Launches the instance and re-executes this process as the lean supervisor, which
	 * takes it over; returns only if that is switched off or impossible, after logging
	 * why, so that the caller supervises from this JVM: with nothing prepared
	 * ({@code null}), or with the instance already launched and the control directory it
	 * was told (when only {@code execve} failed).
	 * @param launchFirstNow {@code false}: instance 1 is launched by the lean JVM
	 * instead, after the {@code execve} has closed this JVM's descriptors (a debugger's
	 * agent must find its port, or its debugger, no longer held by this JVM); nothing is
	 * launched when this returns
	 */
	static Takeover execIfPossible(List<String> instanceCommand, SamSettings initial, byte[] data, NativeAccess os,
			SamLog log, boolean launchFirstNow) {
		if (SupervisionDecision.isFalse(JvmSwitch.SUPERVISOR_REEXEC.value().orElse(null))) {
			return null;
		}
		if (!os.isNative()) {
			log.info("supervising from this JVM, not a lean one: re-executing needs JNA");
			return null;
		}
		Path directory = null;
		Takeover launched = null;
		try {
			directory = ControlDirectory.create(log);
			String java = javaExecutable();
			Map<String, String> environment = new HashMap<>(System.getenv());
			Map<String, String> restored = new HashMap<>();
			for (String variable : JVM_OPTION_VARIABLES) {
				String value = environment.remove(variable);
				if (value != null) {
					restored.put(variable, value);
				}
			}
			List<String> jvmOptions = jvmOptions();
			// Options the user chose are tried first, while instance 1 starts: once
			// execve has run, a JVM that refuses them leaves nothing to fall back to.
			LeanJvmTrial trial = jvmOptions.equals(LEAN_OPTIONS) ? null
					: LeanJvmTrial.start(java, jvmOptions, environment, directory);
			// Before anything can leave an orphan: a child subreaper stays one across
			// execve, so whatever instance 1 leaves comes to this PID, not to PID 1.
			becomeChildSubreaper(os, log);
			// The application starts now, while the lean JVM boots; the supervisor takes
			// it over as instance 1. (Not with a debugger's agent: the lean JVM launches
			// it once this JVM's port and debugger connection are closed.)
			launched = launchFirstNow ? launchFirstInstance(instanceCommand, directory, os) : null;
			ControlDirectory.removeStaleBeside(directory);
			// After the launch, so that reading jars out of an executable jar does not
			// delay the application: sam-core and the native library (JNA), and
			// sam-corosync when it is there, so that the lean JVM keeps quorum and CMAP.
			// Should this fail, the catch below supervises the launched instance from
			// this
			// JVM.
			List<Class<?>> roots = new ArrayList<>(List.of(SupervisorMain.class));
			roots.addAll(NativeAccess.libraryClasses());
			ClusterServices.providerType().ifPresent(roots::add);
			List<SupervisorClassPath.Source> classPath = SupervisorClassPath.sources(roots.toArray(Class<?>[]::new));
			if (trial != null) {
				trial.awaitUsable();
			}
			AdoptedInstance first = (launched != null) ? launched.firstInstance() : null;
			// Log lines held for the logging configuration go on being held in the lean
			// JVM (they stay held here in case the exec fails).
			SupervisorConsole console = (SamLog.sink() instanceof SupervisorConsole installed) ? installed : null;
			boolean holding = console != null && console.isHolding();
			List<SupervisorLogFormat.Line> held = (console != null) ? console.heldLines() : List.of();
			Path handover = new SupervisorHandover(initial, data, restored,
					(first != null) ? new SupervisorHandover.FirstInstance(first.launched().pid(),
							first.ticket().secret(), first.launchedNanos(), first.launchedAt().toEpochMilli()) : null,
					holding, held, ParentDeathPrefix.answered().orElse(null))
				.writeTo(directory);
			// Its classes parsed and linked once, in the user's cache, not at every
			// start.
			LeanJvmArchive archive = LeanJvmArchive.prepare(java, Runtime.version().feature(), jvmOptions, classPath,
					directory, environment);
			List<String> options = new ArrayList<>(jvmOptions);
			options.addAll(archive.options());
			List<String> argv = command(java, options, System.getProperties(), archive.classPath(), handover,
					instanceCommand);
			System.out.flush();
			System.err.flush();
			os.exec(java, argv, environment);
		}
		catch (IOException | LinkageError | RuntimeException ex) {
			log.warn("supervising from this JVM, not a lean one (start with -D" + ENABLED_PROPERTY
					+ "=false to skip trying): " + ex.getMessage());
			if (launched == null) {
				ControlDirectory.removeQuietly(directory);
			}
		}
		return launched;
	}

	/**
	 * Makes this process a child subreaper now; a failure is only logged here, the
	 * supervisor's {@link OrphanReaper} says what it means.
	 */
	private static void becomeChildSubreaper(NativeAccess os, SamLog log) {
		try {
			os.setChildSubreaper();
		}
		catch (RuntimeException ex) {
			log.debug("cannot become a child subreaper before launching instance 1: " + ex.getMessage());
		}
	}

	private static Takeover launchFirstInstance(List<String> instanceCommand, Path directory, NativeAccess os)
			throws IOException {
		byte[] secret = KernelRandom.bytes(32);
		LaunchTicket ticket = new LaunchTicket(1, secret, ControlDirectory.socketIn(directory).toString(), os.getpid());
		long launchedNanos = System.nanoTime();
		Instant launchedAt = Instant.now();
		// Its parent-death signal armed before its JVM starts, as every later instance's,
		// so that it never loads JNA for the call. The kernel sends that signal when the
		// thread that launched the instance ends. This thread is the one that calls
		// execve next, the one thread execve keeps; should execve fail, this thread runs
		// the supervisor loop from this JVM until the supervisor exits.
		LaunchedInstance launched = new ProcessInstanceLauncher(instanceCommand, Map.of(), true).launch(ticket);
		return new Takeover(directory, new AdoptedInstance(ticket, launched, launchedNanos, launchedAt));
	}

	/**
	 * An instance launched by this JVM for a supervisor to take over, and the control
	 * directory it was told.
	 */
	record Takeover(Path controlDirectory, AdoptedInstance firstInstance) {
	}

	/** The lean JVM's command line. */
	static List<String> command(String java, List<String> jvmOptions, Properties properties, List<Path> classPath,
			Path handover, List<String> instanceCommand) {
		List<String> argv = new ArrayList<>();
		argv.add(java);
		argv.addAll(jvmOptions);
		if (Runtime.version().feature() >= 22) {
			// JNA's native calls; without it JDK 22 and later print a warning on the
			// first one.
			argv.add("--enable-native-access=ALL-UNNAMED");
		}
		argv.addAll(passedProperties(properties));
		argv.add("-cp");
		argv.add(classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
		argv.add(SupervisorMain.class.getName());
		argv.add(handover.toString());
		// The instance's command line as arguments: ps shows what this supervisor runs.
		argv.add("--");
		argv.addAll(instanceCommand);
		return argv;
	}

	static List<String> passedProperties(Properties properties) {
		List<String> options = new ArrayList<>();
		for (String name : properties.stringPropertyNames().stream().sorted().toList()) {
			if (PASSED_PROPERTIES.contains(name) || PASSED_PROPERTY_PREFIXES.stream().anyMatch(name::startsWith)) {
				options.add("-D" + name + "=" + properties.getProperty(name));
			}
		}
		return options;
	}

	private static List<String> jvmOptions() {
		String configured = JvmSwitch.SUPERVISOR_JVM_OPTIONS.value().orElse(null);
		if (configured == null || configured.isBlank()) {
			return LEAN_OPTIONS;
		}
		return Arrays.stream(configured.trim().split("\\s+")).toList();
	}

	private static String javaExecutable() throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		if (!Files.isExecutable(java)) {
			throw new IOException(java + " is not an executable java");
		}
		return java.toString();
	}

}
