package io.samboot.supervisor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.samboot.protocol.Handoff;

/**
 * Decides what this process is: the {@link Role#SUPERVISOR} of an application it is about
 * to launch, the supervised {@link Role#INSTANCE}, a process that runs
 * {@link Role#UNSUPERVISED}, or an {@link Role#ORPHAN} instance whose supervisor died
 * before it could arm its parent-death signal.
 *
 * <p>
 * Only a real application start becomes a supervisor: not a test (JUnit, Spring Boot's
 * test support, Surefire), not AOT processing, not a native image, not a call off the
 * main thread, not a second application in the same JVM, and not when switched off with
 * {@code -Dsam.enabled=false} or {@code SAM_ENABLED=false}.
 */
public record SupervisionDecision(Role role, String reason, boolean staleHandoff) {

	/**
	 * A decision that did not come from hand-off variables this process should not have.
	 */
	public SupervisionDecision(Role role, String reason) {
		this(role, reason, false);
	}

	/** What this process is with respect to SAM. */
	public enum Role {

		SUPERVISOR, INSTANCE, UNSUPERVISED, ORPHAN

	}

	/**
	 * Stack frames that give away a test run or build-time processing (as Spring Boot
	 * DevTools checks).
	 */
	private static final List<String> NOT_AN_APPLICATION_START = List.of("org.junit.", "org.springframework.boot.test.",
			"org.apache.maven.surefire.", "org.gradle.api.internal.tasks.testing.", "com.intellij.rt.junit.",
			"org.testng.", "cucumber.runtime.", "io.cucumber.",
			"org.springframework.boot.SpringApplicationAotProcessor", "org.springframework.context.aot.",
			"org.springframework.boot.maven.");

	private static final AtomicBoolean CLAIMED = new AtomicBoolean();

	private static SupervisionDecision current;

	/**
	 * What to do about hand-off variables this process inherited or was given although
	 * its parent is not the supervisor they name: the end of every such reason.
	 */
	static final String STALE_HANDOFF_FIX = ": these variables belong to an instance that supervisor launched, and were"
			+ " inherited (from a process the application started, or a shell opened from it) or copied from its"
			+ " environment. To supervise this application, start it without them (env -u " + Handoff.SOCKET + " -u "
			+ Handoff.SUPERVISOR_PID + " -u " + Handoff.INSTANCE_ID + " -u " + Handoff.SECRET
			+ " ..., or in code processBuilder.environment().keySet().removeIf(k -> k.startsWith(\"SAM_\")));"
			+ " to run it unsupervised on purpose, start it with -Dsam.enabled=false";

	/**
	 * Whether this process is an instance launched by a live supervisor that is its
	 * parent.
	 */
	public boolean supervised() {
		return this.role == Role.INSTANCE;
	}

	/**
	 * The decision for this process, taken by the first caller ({@link io.samboot.Sam}'s
	 * handle, Spring Boot's listener or the early launcher) from its own stack, and kept
	 * for every later caller.
	 */
	public static synchronized SupervisionDecision current() {
		if (current == null) {
			current = forThisProcess();
		}
		return current;
	}

	/**
	 * Decides for this process, from the calling thread's stack. The first decision that
	 * is not {@link Role#INSTANCE} claims the JVM: later calls (a second
	 * {@code SpringApplication}) are told {@link Role#UNSUPERVISED}.
	 */
	public static SupervisionDecision forThisProcess() {
		Thread thread = Thread.currentThread();
		return decide(System.getenv(), System.getProperty("sam.enabled"), System.getProperty("os.name", ""),
				System.getProperty("org.graalvm.nativeimage.imagecode"), thread.getName(), thread.getStackTrace(),
				SupervisionDecision::parentPid);
	}

	/**
	 * The words Spring Boot reads as {@code false} for a boolean property ({@code false},
	 * {@code off}, {@code no}, {@code 0}, any case): the application sees
	 * {@code sam.enabled=false} for exactly these, so the supervisor must not start for
	 * them either.
	 */
	static boolean isFalse(String value) {
		String text = trim(value);
		return text != null && (text.equalsIgnoreCase("false") || text.equalsIgnoreCase("off")
				|| text.equalsIgnoreCase("no") || text.equals("0"));
	}

	private static String spelledAs(String value) {
		return "false".equalsIgnoreCase(trim(value)) ? "" : " (written '" + trim(value) + "')";
	}

	static SupervisionDecision decide(Map<String, String> env, String enabledProperty, String osName,
			String nativeImageCode, String threadName, StackTraceElement[] stack, LongSupplier parentPid) {
		if (Handoff.present(env)) {
			return asInstance(env, parentPid);
		}
		if (isFalse(enabledProperty)) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"switched off with -Dsam.enabled=false" + spelledAs(enabledProperty));
		}
		if (isFalse(env.get("SAM_ENABLED"))) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"switched off with SAM_ENABLED=false" + spelledAs(env.get("SAM_ENABLED")));
		}
		if (nativeImageCode != null) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"a native image cannot relaunch itself as a JVM; supervise it with systemd or corosync's SAM");
		}
		String system = osName.toLowerCase(Locale.ROOT);
		if (!system.contains("linux") && !system.contains("mac")) {
			return new SupervisionDecision(Role.UNSUPERVISED, "supervision needs Linux or macOS, this is " + osName);
		}
		if (!"main".equals(threadName)) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"not started from the main thread (thread '" + threadName + "')");
		}
		Optional<String> frame = nonApplicationFrame(stack);
		if (frame.isPresent()) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"not a real application start (" + frame.get() + " is on the stack)");
		}
		if (!CLAIMED.compareAndSet(false, true)) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"this JVM already decided once (a second application" + " in the same JVM)");
		}
		return new SupervisionDecision(Role.SUPERVISOR, "application start");
	}

	/**
	 * This process's parent, from {@code /proc} (no native call: an instance decides this
	 * before anything else, and JNA's first load would cost its start a third of a
	 * second); 0 when the parent is outside this PID namespace.
	 */
	public static long parentPid() {
		return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
	}

	private static SupervisionDecision asInstance(Map<String, String> env, LongSupplier parentPid) {
		long supervisorPid;
		try {
			supervisorPid = Long.parseLong(env.get(Handoff.SUPERVISOR_PID));
		}
		catch (NumberFormatException ex) {
			return new SupervisionDecision(Role.UNSUPERVISED, Handoff.SUPERVISOR_PID + " is not a PID");
		}
		long parent = parentPid.getAsLong();
		if (parent == supervisorPid) {
			return new SupervisionDecision(Role.INSTANCE, "launched by supervisor " + supervisorPid);
		}
		boolean supervisorIsAncestor = ProcessHandle.current()
			.parent()
			.flatMap(ProcessHandle::parent)
			.map(handle -> isAncestorOrSelf(handle, supervisorPid))
			.orElse(false);
		if (supervisorIsAncestor) {
			return new SupervisionDecision(Role.UNSUPERVISED,
					"started by a supervised application, so it runs unsupervised: its environment names supervisor "
							+ supervisorPid + " (" + Handoff.SUPERVISOR_PID + ", " + Handoff.SECRET
							+ "), which is not its parent (" + parent + ")" + STALE_HANDOFF_FIX,
					true);
		}
		return new SupervisionDecision(Role.ORPHAN,
				"supervisor " + supervisorPid + " is gone (parent is now " + parent
						+ "); if this process was not launched by a SAM supervisor at all, its environment has stale "
						+ Handoff.SUPERVISOR_PID + " and " + Handoff.SECRET + " variables" + STALE_HANDOFF_FIX);
	}

	private static boolean isAncestorOrSelf(ProcessHandle handle, long pid) {
		Optional<ProcessHandle> candidate = Optional.of(handle);
		for (int depth = 0; depth < 64 && candidate.isPresent(); depth++) {
			if (candidate.get().pid() == pid) {
				return true;
			}
			candidate = candidate.get().parent();
		}
		return false;
	}

	static Optional<String> nonApplicationFrame(StackTraceElement[] stack) {
		for (StackTraceElement element : stack) {
			for (String prefix : NOT_AN_APPLICATION_START) {
				if (element.getClassName().startsWith(prefix)) {
					return Optional.of(element.getClassName());
				}
			}
		}
		return Optional.empty();
	}

	private static String trim(String value) {
		return (value != null) ? value.trim() : null;
	}
}
