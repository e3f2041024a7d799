package io.samboot.supervisor;

import java.nio.file.Path;
import java.util.function.Consumer;

import io.samboot.SamSettings;
import io.samboot.nativeaccess.NativeAccess;

/**
 * Removes what supervisors killed with SIGKILL left beside this supervisor's control
 * directory ({@link ControlDirectory#removeStaleBeside}), once, when the first instance
 * has started (it started health checking: a Spring Boot application is ready), on a
 * short-lived thread of the lowest priority.
 *
 * <p>
 * It used to run at start, between instance 1's launch and the lean JVM's {@code execve}
 * (and, supervising from the JVM the user started, before the launch). It lists the whole
 * base directory, which in {@code /tmp} may hold thousands of entries: with 9,000 on the
 * benchmark machine it took 25-54 ms of that window, on the CPUs that instance 1's start
 * needs. Started at the first registration instead, at nice 19 it waited out the
 * application's start and ran ten seconds later, within the idle benchmark's window; once
 * the application has started it runs when a CPU is free, which is then at once. Nothing
 * waits for it: a stale directory only holds a name that the random part of a new one's
 * makes unlikely to be asked for. An instance that registers with
 * {@code sam.enabled=false} never starts health checking, so its registration starts the
 * sweep; one that registers and never starts leaves it to the next supervisor.
 */
final class StaleDirectorySweep implements SupervisorListener {

	/** The thread's name (15 bytes, as the kernel keeps it). */
	static final String THREAD_NAME = "sam-stale-sweep";

	private final Path directory;

	private final Consumer<Runnable> starter;

	private boolean started;

	/**
	 * @param directory this supervisor's control directory, whose base is swept
	 * @param os where the thread's priority is lowered
	 */
	StaleDirectorySweep(Path directory, NativeAccess os) {
		this(directory, (sweep) -> {
			Thread thread = new Thread(() -> {
				BackgroundThreads.lowerCallingThread(os);
				sweep.run();
			}, THREAD_NAME);
			thread.setDaemon(true);
			thread.start();
		});
	}

	/**
	 * As {@link #StaleDirectorySweep(Path, NativeAccess)}, with the sweep handed to
	 * {@code starter} to run (tests run it at once).
	 */
	StaleDirectorySweep(Path directory, Consumer<Runnable> starter) {
		this.directory = directory;
		this.starter = starter;
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		sweepOnce();
	}

	@Override
	public void instanceRegistered(int instanceId, SamSettings settings) {
		if (!settings.enabled()) {
			sweepOnce();
		}
	}

	/** Called on the loop thread only. */
	private void sweepOnce() {
		if (this.started) {
			return;
		}
		this.started = true;
		this.starter.accept(() -> ControlDirectory.removeStaleBeside(this.directory));
	}

}
