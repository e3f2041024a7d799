package io.samboot.nativeaccess;

/**
 * A C library call, or its fallback, failed for a reason the caller cannot simply ignore.
 *
 * <p>
 * The message names the call with its arguments, {@code errno} with its {@code strerror}
 * text where there is one, and what to do about it, so that a log line alone is enough to
 * act on.
 */
public class NativeAccessException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String operation;

	private final int errno;

	/**
	 * A call that failed with an {@code errno}.
	 * @param operation the call with its arguments, e.g.
	 * {@code kill(pid=42, signal=SIGUSR1 (10))}
	 * @param errno the error number the call left
	 * @param errorText {@code strerror(errno)}
	 * @param action what the reader should do about it
	 */
	public NativeAccessException(String operation, int errno, String errorText, String action) {
		super(operation + " failed with errno " + errno + " (" + errorText + "): " + action);
		this.operation = operation;
		this.errno = errno;
	}

	/**
	 * A call that failed without an {@code errno}, e.g. one the fallback cannot make.
	 * @param operation the call with its arguments
	 * @param problem why it failed
	 * @param action what the reader should do about it
	 */
	public NativeAccessException(String operation, String problem, String action) {
		super(operation + " failed: " + problem + "; " + action);
		this.operation = operation;
		this.errno = 0;
	}

	/** The call with its arguments, as in the message. */
	public String getOperation() {
		return this.operation;
	}

	/** The {@code errno} the call left, or {@code 0} if the failure had none. */
	public int getErrno() {
		return this.errno;
	}

	/**
	 * Whether the call found no such process or child ({@code ESRCH}, {@code ECHILD}): a
	 * child another thread has reaped already.
	 */
	public boolean isNoSuchProcess() {
		return this.errno == Libc.ESRCH || this.errno == Libc.ECHILD;
	}

	/**
	 * Whether the call failed for want of resources that may be free again soon
	 * ({@code EMFILE}, {@code ENFILE}, {@code ENOMEM}, {@code EAGAIN}): worth trying
	 * again later, unlike a call the system does not have or does not permit.
	 */
	public boolean isOutOfResources() {
		return this.errno == Libc.EMFILE || this.errno == Libc.ENFILE || this.errno == Libc.ENOMEM
				|| this.errno == Libc.EAGAIN;
	}

}
