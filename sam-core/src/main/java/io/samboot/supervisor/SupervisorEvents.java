package io.samboot.supervisor;

/**
 * Where the supervisor loop takes its events from: those other threads post (a process
 * exit, a signal, quorum, an HTTP check) and, in the {@link SupervisorInbox}, the frames
 * the loop's own thread reads from the instances' sockets while it waits.
 */
interface SupervisorEvents {

	/** Adds an event from any thread, and wakes the loop if it waits. */
	void post(SupervisorEvent event);

	/**
	 * The next event, on the loop's thread.
	 * @param nanos how long to wait for one at most; not at all when zero or less
	 * @return the event, or {@code null} when none came in that time (or a little sooner:
	 * the loop looks at its deadlines and asks again)
	 */
	SupervisorEvent next(long nanos);

}
