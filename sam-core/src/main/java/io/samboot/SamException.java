package io.samboot;

/**
 * Thrown when a SAM call fails, carrying the {@link SamError} that corosync's libsam
 * would return in the same situation.
 */
public class SamException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final SamError error;

	public SamException(SamError error, String message) {
		super(error + ": " + message);
		this.error = error;
	}

	public SamException(SamError error, String message, Throwable cause) {
		super(error + ": " + message, cause);
		this.error = error;
	}

	/** The reason, as corosync would report it. */
	public SamError error() {
		return this.error;
	}

}
