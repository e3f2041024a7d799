package io.samboot.nativeaccess;

import java.util.OptionalInt;

import io.samboot.PosixSignal;

/**
 * What Linux and macOS share of {@link NativeAccess}: PIDs, signals and reaping through a
 * {@link Libc}, and what their failures mean for the reader of a log line.
 *
 * <p>
 * No JNA here: the library comes in through the constructor ({@link JnaLibc} in
 * production, a fake in tests), so every decision (which {@code errno} is an answer and
 * which a failure, what advice a failure gets, how a wait status reads) is tested in the
 * JVM. Each call costs one interface call on top of the C call and allocates nothing more
 * than the C call needs.
 */
abstract class PosixNativeAccess implements NoSocketSharing {

	/** What a message says about a failure SAM does not expect. */
	static final String UNEXPECTED = "this is unexpected; please report it with this message";

	final Libc libc;

	PosixNativeAccess(Libc libc) {
		this.libc = libc;
	}

	@Override
	public long getpid() {
		return this.libc.getpid();
	}

	@Override
	public long getppid() {
		return this.libc.getppid();
	}

	@Override
	public boolean kill(long pid, PosixSignal signal) {
		int target = ProcessIds.require(pid);
		if (this.libc.kill(target, signal.number()) == 0) {
			return true;
		}
		int errno = this.libc.errno();
		if (errno == Libc.ESRCH) {
			return false;
		}
		throw new NativeAccessException(ProcessIds.describeKill(pid, signal), errno, strerror(errno),
				killAdvice(errno));
	}

	private static String killAdvice(int errno) {
		if (errno == Libc.EPERM) {
			return "the process runs as another user or is protected; SAM only signals processes it started"
					+ " itself as the same user, so check that this PID is one of its instances";
		}
		if (errno == Libc.EINVAL) {
			return "this operating system does not know the signal; choose another one";
		}
		return UNEXPECTED;
	}

	@Override
	public OptionalInt waitpidNoHang(long pid) {
		int target = ProcessIds.require(pid);
		int[] status = new int[1];
		while (true) {
			int result = this.libc.waitpid(target, status, Libc.WNOHANG);
			if (result == target) {
				return OptionalInt.of(shellStatus(status[0]));
			}
			if (result == 0) {
				return OptionalInt.empty();
			}
			int errno = this.libc.errno();
			if (errno == Libc.ECHILD) {
				return OptionalInt.empty();
			}
			if (errno != Libc.EINTR) {
				throw new NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)", errno, strerror(errno),
						UNEXPECTED);
			}
		}
	}

	/**
	 * A {@code waitpid} status as a shell reports it: the exit code, or 128 + N when
	 * signal N ended the process (the
	 * {@code WIFEXITED}/{@code WEXITSTATUS}/{@code WTERMSIG} macros of Linux and macOS
	 * alike; without {@code WUNTRACED} no other kind of status is reported).
	 */
	static int shellStatus(int waitStatus) {
		int low = waitStatus & 0x7f;
		if (low == 0) {
			return (waitStatus >> 8) & 0xff;
		}
		return 128 + low;
	}

	/**
	 * {@code strerror(errno)}, never failing: it only goes into messages, which must
	 * still be built.
	 */
	final String strerror(int errno) {
		try {
			String text = this.libc.strerror(errno);
			return (text != null) ? text : "unknown error";
		}
		catch (RuntimeException | LinkageError ex) {
			return "unknown error";
		}
	}

	@Override
	public boolean isNative() {
		return true;
	}

	@Override
	public NativeAccessException socketSharingUnsupported(String operation) {
		return new NativeAccessException(operation, "SAM shares sockets between processes only on Linux",
				"run without sam.standby.enabled off Linux");
	}

}
