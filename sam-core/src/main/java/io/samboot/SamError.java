package io.samboot;

/**
 * Why a SAM call failed: the {@code cs_error_t} codes corosync's libsam returns, for the
 * same causes.
 */
public enum SamError {

	/**
	 * The call does not fit the current state: not initialized, initialized twice, not
	 * registered, not started, or closed.
	 */
	BAD_HANDLE,

	/**
	 * An argument is wrong: a negative interval, no policy, a signal that cannot warn,
	 * too small a buffer.
	 */
	INVALID_PARAM,

	/** The supervisor could not be reached or answered with an error. */
	LIBRARY,

	/** The data is larger than {@code sam.data-store.max-size}. */
	TOO_BIG,

	/** The supervisor did not answer in time. */
	TIMEOUT,

	/**
	 * The operation is not available where this process runs (for example no native
	 * access).
	 */
	NOT_SUPPORTED

}
