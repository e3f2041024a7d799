package io.samboot.corosync;

/**
 * A call into corosync's client libraries returned an error. The message names the call
 * and the {@code cs_error_t} by name and number, e.g.
 * {@code quorum_initialize() failed: CS_ERR_LIBRARY (2)}.
 */
public final class CorosyncException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String call;

	private final int error;

	/**
	 * @param call the call as a reader would write it, e.g.
	 * {@code cmap_set_string(resources.process.42.state)}
	 * @param error the {@code cs_error_t} it returned
	 */
	public CorosyncException(String call, int error) {
		super(call + " failed: " + CsError.describe(error));
		this.call = call;
		this.error = error;
	}

	/** The call, as in the message. */
	public String call() {
		return this.call;
	}

	/** The {@code cs_error_t} number the call returned ({@code CS_ERR_LIBRARY} is 2). */
	public int error() {
		return this.error;
	}

	/** Whether the connection to the daemon is gone and a new one must be made. */
	boolean disconnected() {
		return CsError.meansDisconnected(this.error);
	}

	boolean is(CsError candidate) {
		return this.error == candidate.code();
	}

}
