package io.samboot.corosync;

/**
 * corosync's {@code cs_error_t} (from {@code corosync/corotypes.h}), so that a failed
 * call can say which error it returned by name and number, as corosync's own tools print
 * them.
 */
enum CsError {

	CS_OK(1), CS_ERR_LIBRARY(2), CS_ERR_VERSION(3), CS_ERR_INIT(4), CS_ERR_TIMEOUT(5), CS_ERR_TRY_AGAIN(6),
	CS_ERR_INVALID_PARAM(7), CS_ERR_NO_MEMORY(8), CS_ERR_BAD_HANDLE(9), CS_ERR_BUSY(10), CS_ERR_ACCESS(11),
	CS_ERR_NOT_EXIST(12), CS_ERR_NAME_TOO_LONG(13), CS_ERR_EXIST(14), CS_ERR_NO_SPACE(15), CS_ERR_INTERRUPT(16),
	CS_ERR_NAME_NOT_FOUND(17), CS_ERR_NO_RESOURCES(18), CS_ERR_NOT_SUPPORTED(19), CS_ERR_BAD_OPERATION(20),
	CS_ERR_FAILED_OPERATION(21), CS_ERR_MESSAGE_ERROR(22), CS_ERR_QUEUE_FULL(23), CS_ERR_QUEUE_NOT_AVAILABLE(24),
	CS_ERR_BAD_FLAGS(25), CS_ERR_TOO_BIG(26), CS_ERR_NO_SECTIONS(27), CS_ERR_CONTEXT_NOT_FOUND(28),
	CS_ERR_TOO_MANY_GROUPS(30), CS_ERR_SECURITY(100);

	private final int code;

	CsError(int code) {
		this.code = code;
	}

	int code() {
		return this.code;
	}

	/** {@code CS_ERR_TRY_AGAIN (6)}; an unknown number reads {@code cs_error_t 42}. */
	static String describe(int code) {
		for (CsError error : values()) {
			if (error.code == code) {
				return error.name() + " (" + code + ")";
			}
		}
		return "cs_error_t " + code;
	}

	/**
	 * Whether the error means the connection to the daemon is gone or unusable, so that
	 * the handle must be finalized and a new connection made (corosync exited, restarted,
	 * or dropped us).
	 */
	static boolean meansDisconnected(int code) {
		return code == CS_ERR_LIBRARY.code || code == CS_ERR_BAD_HANDLE.code || code == CS_ERR_MESSAGE_ERROR.code
				|| code == CS_ERR_TIMEOUT.code;
	}

}
