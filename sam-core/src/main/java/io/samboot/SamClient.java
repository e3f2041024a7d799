package io.samboot;

/**
 * The SAM API as a Spring application (or any code in the active instance) uses it. Every
 * method works in an unsupervised process too, locally: data is kept in memory, the
 * instance id is 0, and {@link #state()} is {@link SamState#REGISTERED} or
 * {@link SamState#STARTED}.
 */
public interface SamClient {

	/**
	 * The id of this instance: 1 for the first the supervisor launched, 0 when not
	 * supervised.
	 */
	int instanceId();

	/** How many times the supervisor has started a new instance after the first. */
	int restartCount();

	/** The supervision state. */
	SamState state();

	/** Whether this process runs under a supervisor. */
	boolean supervised();

	/** Starts health checking ({@code sam_start}). */
	void start();

	/**
	 * Stops health checking ({@code sam_stop}): the instance may exit without being
	 * restarted.
	 */
	void stop();

	/** Application-driven health check ({@code sam_hc_send}). */
	void hcSend();

	/** Changes the warning signal: a name with or without {@code SIG}, or a number. */
	void warnSignalSet(String signal);

	/** Keeps data in the supervisor for later instances; {@code null} removes it. */
	void dataStore(byte[] data);

	/** The stored data, or an empty array. */
	byte[] dataRestore();

	/**
	 * Copies the stored data into {@code buffer}, as corosync's {@code sam_data_restore}
	 * does, without allocating: returns the number of bytes copied (0 when nothing is
	 * stored).
	 * @throws SamException {@link SamError#INVALID_PARAM} if {@code buffer} is null or
	 * smaller than the data
	 */
	default int dataRestore(byte[] buffer) {
		if (buffer == null) {
			throw new SamException(SamError.INVALID_PARAM, "buffer is null");
		}
		byte[] stored = dataRestore();
		if (buffer.length < stored.length) {
			throw new SamException(SamError.INVALID_PARAM,
					"buffer of " + buffer.length + " bytes is smaller than the " + stored.length + " bytes stored");
		}
		System.arraycopy(stored, 0, buffer, 0, stored.length);
		return stored.length;
	}

	/** The size of the stored data in bytes. */
	int dataGetSize();

	/**
	 * Ends supervision: the supervisor kills this instance at once and quits, state
	 * {@code failed}.
	 */
	void markFailed();

	/** The supervisor's full status, history included. */
	SamStatus status();

	/**
	 * Asks the supervisor for a graceful restart of this instance (SIGTERM, then a new
	 * instance).
	 */
	void requestRestart();

}
