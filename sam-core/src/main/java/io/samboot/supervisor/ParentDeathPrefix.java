package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.samboot.log.SamLog;
import io.samboot.protocol.Handoff;

/**
 * Arms an instance's parent-death signal before its JVM starts: util-linux's
 * {@code setpriv --pdeathsig KILL --} in front of the instance's command line, which asks
 * the kernel for the signal and then executes the JVM in the same process (the signal
 * survives the exec: {@code java} is not set-user-ID).
 *
 * <p>
 * Why not the instance's own {@code prctl(PR_SET_PDEATHSIG)}: the instance would need
 * native access for that one call, and JNA's first load costs a JVM about 0.35 s of CPU
 * (it runs {@code ldconfig -p} to learn the library path): a third of a plain Java
 * instance's start, and the same on every restart of a Spring Boot application. The
 * instance still checks that its parent is the supervisor that launched it, as it does
 * after its own call.
 *
 * <p>
 * Used only where {@code setpriv} knows {@code --pdeathsig} (util-linux 2.33 and later):
 * one probe, on the first launch of the process's life, runs it. Elsewhere (Alpine's
 * BusyBox, older distributions) the prefix is empty and the instance makes the call
 * itself, as before.
 */
final class ParentDeathPrefix {

	private static final SamLog log = SamLog.get(ParentDeathPrefix.class);

	private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

	/** The value of {@link Handoff#PARENT_DEATH_SIGNAL} it sets. */
	static final String ARMED = Handoff.PARENT_DEATH_ARMED;

	private ParentDeathPrefix() {
	}

	/**
	 * The answer in this JVM once known: probed here, or handed over by the JVM the user
	 * started, which probed before launching instance 1 ({@link SupervisorHandover}), so
	 * that the lean JVM's first restart does not wait for the probe (a process of its
	 * own, 3-5 ms). Only a definite answer is kept: a probe that could not tell (it timed
	 * out on a busy machine, or could not start) is tried again by the next JVM, as
	 * before.
	 */
	private static volatile List<String> known;

	/**
	 * The words to put in front of the instance's command line; empty when none. Probes
	 * once per JVM (two threads asking at once may both probe, and find the same).
	 */
	static List<String> find() {
		List<String> answer = known;
		if (answer != null) {
			return answer;
		}
		Optional<List<String>> probed = probe();
		probed.ifPresent((definite) -> known = definite);
		return probed.orElse(List.of());
	}

	/** What {@link #find()} answered definitely in this JVM, if it was asked. */
	static Optional<List<String>> answered() {
		return Optional.ofNullable(known);
	}

	/**
	 * Takes the answer another JVM on this machine found a moment ago, if it is one that
	 * {@link #find()} could give: none, or {@code setpriv} at one of the places it is
	 * looked for. Anything else is left for the probe.
	 */
	static void handedOver(List<String> prefix) {
		if (prefix.isEmpty() || CANDIDATES.stream().anyMatch((candidate) -> prefix.equals(prefixFor(candidate)))) {
			known = List.copyOf(prefix);
		}
	}

	/** Forgets the answer, for tests. */
	static void forget() {
		known = null;
	}

	/** The answer, or empty when the probe could not tell. */
	private static Optional<List<String>> probe() {
		if (!System.getProperty("os.name", "").startsWith("Linux")) {
			return Optional.of(List.of());
		}
		for (Path candidate : CANDIDATES) {
			if (Files.isExecutable(candidate)) {
				List<String> prefix = prefixFor(candidate);
				return works(prefix, candidate).map((knowsOption) -> knowsOption ? prefix : List.of());
			}
		}
		return Optional.of(List.of());
	}

	private static List<String> prefixFor(Path setpriv) {
		return List.of(setpriv.toString(), "--pdeathsig", ARMED, "--");
	}

	/**
	 * Runs {@code setpriv --pdeathsig KILL -- setpriv --version}: exit 0 when it knows
	 * the option; empty when it did not finish or could not start.
	 */
	private static Optional<Boolean> works(List<String> prefix, Path setpriv) {
		try {
			Process probe = new ProcessBuilder(concat(prefix, List.of(setpriv.toString(), "--version")))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!probe.waitFor(5, TimeUnit.SECONDS)) {
				probe.destroyForcibly();
				return Optional.empty();
			}
			if (probe.exitValue() != 0) {
				log.debug(setpriv + " does not know --pdeathsig (util-linux older than 2.33): each instance arms"
						+ " its parent-death signal itself");
				return Optional.of(false);
			}
			return Optional.of(true);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	static List<String> concat(List<String> prefix, List<String> command) {
		if (prefix.isEmpty()) {
			return command;
		}
		List<String> joined = new ArrayList<>(prefix);
		joined.addAll(command);
		return List.copyOf(joined);
	}

}
