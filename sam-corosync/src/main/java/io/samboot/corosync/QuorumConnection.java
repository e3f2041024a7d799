package io.samboot.corosync;

/**
 * One connection to corosync's quorum service; not thread-safe, used from one large-stack
 * thread.
 */
interface QuorumConnection extends AutoCloseable {

	/** What the connection's file descriptor did while {@link #await} waited. */
	enum Readiness {

		/** A notification (or the end of the connection) can be dispatched. */
		READABLE,
		/** Nothing happened within the time limit. */
		TIMEOUT,
		/** The daemon closed the connection. */
		HANGUP

	}

	/**
	 * {@code QUORUM_FREE}: the daemon has no quorum provider and counts as always
	 * quorate.
	 */
	int QUORUM_FREE = 0;

	/**
	 * {@code quorum_type} from {@code quorum_initialize}: {@link #QUORUM_FREE} or
	 * {@code QUORUM_SET} (1).
	 */
	int quorumType();

	/**
	 * {@code quorum_trackstart(CS_TRACK_CHANGES)}: notifications for every change from
	 * now on.
	 */
	void trackChanges();

	/** {@code quorum_getquorate}. */
	boolean quorate();

	/**
	 * {@code poll} on {@code quorum_fd_get}'s descriptor for up to {@code timeoutMillis}.
	 */
	Readiness await(int timeoutMillis);

	/** {@code quorum_dispatch(CS_DISPATCH_ALL)}: delivers the pending notifications. */
	void dispatchAll();

	/** {@code quorum_finalize}; never throws, may be called more than once. */
	@Override
	void close();

}
