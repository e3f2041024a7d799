package io.samboot.nativeaccess;

import java.io.File;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import io.samboot.PosixSignal;

/**
 * {@link NativeAccess} on Linux: the calls every POSIX system has
 * ({@link PosixNativeAccess}), and those only Linux has: the parent-death signal and
 * child subreaping ({@code prctl}), Unix datagrams for systemd and replacing the program
 * ({@code execve}) with nothing leaking into the new one.
 */
final class LinuxNativeAccess extends PosixNativeAccess {

	/** Where Linux lists the open descriptors of the calling process. */
	static final File DESCRIPTORS = new File("/proc/self/fd");

	private final File descriptors;

	LinuxNativeAccess(Libc libc) {
		this(libc, DESCRIPTORS);
	}

	/** With the directory that lists the open descriptors, for tests. */
	LinuxNativeAccess(Libc libc, File descriptors) {
		super(libc);
		this.descriptors = descriptors;
	}

	@Override
	public boolean setParentDeathSignal(PosixSignal signal) {
		if (this.libc.prctl(Libc.PR_SET_PDEATHSIG, signal.number(), 0, 0, 0) == 0) {
			return true;
		}
		int errno = this.libc.errno();
		throw new NativeAccessException(
				"prctl(PR_SET_PDEATHSIG, signal=" + signal.signalName() + " (" + signal.number() + "))", errno,
				strerror(errno), "the instance would outlive a killed supervisor; "
						+ ((errno == Libc.EINVAL) ? "choose a valid signal" : "please report this with this message"));
	}

	@Override
	public boolean setChildSubreaper() {
		if (this.libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) {
			return true;
		}
		int errno = this.libc.errno();
		throw new NativeAccessException("prctl(PR_SET_CHILD_SUBREAPER, 1)", errno, strerror(errno),
				"orphans of the instance will go to PID 1 instead of the supervisor; this needs Linux 3.4 or later");
	}

	@Override
	public void sendDatagram(String socketPath, byte[] message) {
		String operation = UnixSocketAddress.describeSend(socketPath, message);
		byte[] address = UnixSocketAddress.encode(socketPath, ByteOrder.nativeOrder());
		int fd = this.libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
		if (fd < 0) {
			int errno = this.libc.errno();
			throw new NativeAccessException("socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC) for " + operation, errno,
					strerror(errno), "the process may have run out of file descriptors (ulimit -n)");
		}
		try {
			while (true) {
				long sent = this.libc.sendto(fd, message, message.length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL,
						address, address.length);
				if (sent >= 0) {
					// A datagram goes whole or not at all.
					return;
				}
				int errno = this.libc.errno();
				if (errno != Libc.EINTR) {
					throw new NativeAccessException(operation, errno, strerror(errno), sendAdvice(errno));
				}
			}
		}
		finally {
			this.libc.close(fd);
		}
	}

	private static String sendAdvice(int errno) {
		if (errno == Libc.ENOENT || errno == Libc.ECONNREFUSED) {
			return "nothing listens on that socket: the service manager that set it is gone, or the variable"
					+ " names the wrong socket";
		}
		if (errno == Libc.EACCES || errno == Libc.EPERM) {
			return "this user may not write to that socket; run as the user the service manager expects";
		}
		if (errno == Libc.EAGAIN) {
			return "the receiver's queue is full (it does not read its socket); the message was dropped";
		}
		if (errno == Libc.EMSGSIZE) {
			return "the message is larger than the socket accepts; send less";
		}
		return UNEXPECTED;
	}

	@Override
	public void exec(String executable, List<String> argv, Map<String, String> environment) {
		markDescriptorsCloseOnExec();
		if (this.libc.sigprocmask(Libc.SIG_SETMASK, new byte[Libc.SIGSET_BYTES], null) != 0) {
			int errno = this.libc.errno();
			throw new NativeAccessException("sigprocmask(SIG_SETMASK, {})", errno, strerror(errno), UNEXPECTED);
		}
		this.libc.execve(executable, argv.toArray(String[]::new),
				environment.entrySet()
					.stream()
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.toArray(String[]::new));
		int errno = this.libc.errno();
		throw new NativeAccessException("execve(" + executable + ")", errno, strerror(errno),
				(errno == Libc.ENOENT || errno == Libc.EACCES)
						? "the JVM's own java executable is missing or not executable" : UNEXPECTED);
	}

	/**
	 * Marks every open descriptor above 2 close-on-exec, as listed in
	 * {@code /proc/self/fd}. The JDK opens most files without {@code O_CLOEXEC}; it
	 * relies on closing them in the child when it starts a process, which {@code execve}
	 * alone does not do.
	 */
	private void markDescriptorsCloseOnExec() {
		File[] entries = this.descriptors.listFiles();
		if (entries == null) {
			throw new NativeAccessException("listing " + this.descriptors, "it cannot be read",
					"mount /proc; the supervisor cannot know which descriptors to close otherwise");
		}
		for (File entry : entries) {
			int fd;
			try {
				fd = Integer.parseInt(entry.getName());
			}
			catch (NumberFormatException ex) {
				continue;
			}
			if (fd <= 2) {
				continue;
			}
			int flags = this.libc.fcntl(fd, Libc.F_GETFD, 0);
			if (flags >= 0 && (flags & Libc.FD_CLOEXEC) == 0) {
				// A descriptor closed meanwhile (the listing's own) fails with EBADF:
				// nothing to do.
				this.libc.fcntl(fd, Libc.F_SETFD, flags | Libc.FD_CLOEXEC);
			}
		}
	}

	@Override
	public String toString() {
		return this.libc + " (Linux C library)";
	}

}
