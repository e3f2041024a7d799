package io.samboot.supervisor;

import io.samboot.log.SamLog;

/**
 * What the control channel's accept loop does when {@code accept} fails while the server
 * is still open: most often the process is out of file descriptors ({@code EMFILE},
 * {@code ENFILE}) and the connection waits in the backlog until a descriptor is free
 * again. Ending the loop there would leave the supervisor unable to admit any later
 * instance, so it waits a little, longer each time up to {@link #MAX_WAIT_MILLIS}, and
 * tries again; it says so once when accepting fails and once when it works again, not at
 * every attempt.
 */
final class AcceptFailures {

	static final long FIRST_WAIT_MILLIS = 10;

	static final long MAX_WAIT_MILLIS = 1_000;

	private final SamLog log;

	private long waitMillis;

	private int failures;

	AcceptFailures(SamLog log) {
		this.log = log;
	}

	/**
	 * Notes a failed {@code accept}, logging the first of a series, and says how long to
	 * wait before the next.
	 * @return the milliseconds to wait
	 */
	long failed(Exception ex) {
		if (this.failures++ == 0) {
			this.waitMillis = FIRST_WAIT_MILLIS;
			try {
				this.log.warn("the control channel cannot accept connections (" + ex.getMessage()
						+ "); retrying until it can (raise the open-files limit, ulimit -n, if this repeats)");
			}
			catch (RuntimeException | LinkageError logFailure) {
				// Out of descriptors, even logging may fail (a class to load, a file to
				// open): accepting again matters more than saying so.
			}
		}
		else {
			this.waitMillis = Math.min(MAX_WAIT_MILLIS, this.waitMillis * 2);
		}
		return this.waitMillis;
	}

	/** Notes an accepted connection, logging once that accepting works again. */
	void accepted() {
		if (this.failures > 0) {
			this.log.info("the control channel accepts connections again, after " + this.failures + " failed attempts");
			this.failures = 0;
		}
	}

}
