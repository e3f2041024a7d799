package io.samboot.supervisor;

import java.nio.file.Path;
import java.util.function.Consumer;

import io.samboot.SamSettings;
import io.samboot.nativeaccess.NativeAccess;

/**
 * Removes what supervisors killed with SIGKILL left beside this supervisor's control
 * directory ({@link ControlDirectory#removeStaleBeside}), once the first instance has
 * registered, on a short-lived thread of the lowest priority.
 *
 * <p>
 * It used to run at start, between instance 1's launch and the lean JVM's {@code execve}
 * (and, supervising from the JVM the user started, before the launch). It lists the whole
 * base directory, which in {@code /tmp} may hold thousands of entries: with 9,000 on the
 * benchmark machine it took 25-54 ms of that window, on the CPUs that instance 1's start
 * needs. Nothing waits for it: a stale directory only holds a name that the random part
 * of a new one's makes unlikely to be asked for. At nice 19 it runs when a CPU is free,
 * which during an application's start is mostly after it.
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
	public void instanceRegistered(int instanceId, SamSettings settings) {
		// Called on the loop thread only.
		if (this.started) {
			return;
		}
		this.started = true;
		this.starter.accept(() -> ControlDirectory.removeStaleBeside(this.directory));
	}

}
