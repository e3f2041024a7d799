package io.samboot.corosync;

/**
 * corosync cannot be used from this process, with what is wrong and what to do about it,
 * for the start-up failure analysis and the supervisor's log.
 */
public final class CorosyncUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Why corosync cannot be used. */
	public enum Reason {

		/** JNA ({@code net.java.dev.jna:jna}) is not on the class path. */
		JNA_MISSING,

		/**
		 * {@code libquorum.so.5} or {@code libcmap.so.4} cannot be loaded: not installed.
		 */
		LIBRARY_MISSING,

		/** No corosync daemon answers: not running, or in another network namespace. */
		DAEMON_NOT_RUNNING,

		/** The daemon refused this user. */
		ACCESS_DENIED,

		/**
		 * The daemon answers but keeps saying "try again" (it is starting or stopping).
		 */
		NOT_READY,

		/** The daemon did not answer in time. */
		NO_ANSWER,

		/** Any other error from corosync. */
		FAILED

	}

	private final Reason reason;

	private final String problem;

	private final String action;

	public CorosyncUnavailableException(Reason reason, String problem, String action, Throwable cause) {
		super(problem + ". " + action, cause);
		this.reason = reason;
		this.problem = problem;
		this.action = action;
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * What is wrong, e.g. "corosync's client library libquorum.so.5 is not installed
	 * (...)".
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * What to do, e.g. "Install it: apt-get install corosync libquorum5 libcmap4 ...".
	 */
	public String action() {
		return this.action;
	}

}
