package io.samboot.nativeaccess;

import io.samboot.PosixSignal;

/**
 * Guards against PIDs that would make {@code kill} do something else than signal one
 * process.
 *
 * <p>
 * {@code kill(0, sig)} signals the caller's whole process group and {@code kill(-1, sig)}
 * every process the user may signal; a PID above {@code Integer.MAX_VALUE} would wrap
 * into one of those when narrowed to {@code pid_t}. A bug elsewhere must never turn into
 * that.
 */
final class ProcessIds {

	private ProcessIds() {
	}

	/**
	 * Returns the PID as a {@code pid_t}.
	 * @throws IllegalArgumentException unless {@code 0 < pid <= Integer.MAX_VALUE}
	 */
	static int require(long pid) {
		if (pid <= 0 || pid > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("PID " + pid + " is not a single process (it must be between 1 and "
					+ Integer.MAX_VALUE + "); SAM never signals process groups");
		}
		return (int) pid;
	}

	/**
	 * The call as it appears in messages, e.g. {@code kill(pid=42, signal=SIGTERM (15))}.
	 */
	static String describeKill(long pid, PosixSignal signal) {
		return "kill(pid=" + pid + ", signal=" + signal.signalName() + " (" + signal.number() + "))";
	}

}
