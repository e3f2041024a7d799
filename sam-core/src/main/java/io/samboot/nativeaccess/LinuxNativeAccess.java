package io.samboot.nativeaccess;

import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;

/**
 * {@link NativeAccess} on Linux: the calls every POSIX system has
 * ({@link PosixNativeAccess}), and those only Linux has: the parent-death signal and
 * child subreaping ({@code prctl}), Unix datagrams for systemd and replacing the program
 * ({@code execve}) with nothing leaking into the new one.
 */
final class LinuxNativeAccess extends PosixNativeAccess {

	/** What a reader does when the child it waits for was reaped by another thread. */
	private static final String REAPED_ALREADY = "reaped already: ask the JDK for its status";

	/** Where Linux lists the open descriptors of the calling process. */
	static final File DESCRIPTORS = new File("/proc/self/fd");

	private final File descriptors;

	/**
	 * {@code O_NOFOLLOW} of this machine's architecture; 0 where SAM does not know it.
	 */
	private final int noFollow;

	/** Until the C library turns out to have no {@code malloc_trim}. */
	private volatile boolean heapTrimmable = true;

	LinuxNativeAccess(Libc libc) {
		this(libc, DESCRIPTORS, System.getProperty("os.arch", ""));
	}

	/** With the directory that lists the open descriptors, for tests. */
	LinuxNativeAccess(Libc libc, File descriptors) {
		this(libc, descriptors, System.getProperty("os.arch", ""));
	}

	/**
	 * With the directory that lists the open descriptors and the architecture, for tests.
	 */
	LinuxNativeAccess(Libc libc, File descriptors, String arch) {
		super(libc);
		this.descriptors = descriptors;
		this.noFollow = noFollowFlag(arch);
	}

	/**
	 * {@code O_NOFOLLOW}, whose value differs between architectures; 0 (not asked for) on
	 * one SAM does not know, where {@code O_NONBLOCK} and the type check of
	 * {@link #openOwnedRegularFile} still keep a FIFO from blocking the caller.
	 */
	static int noFollowFlag(String arch) {
		return switch (arch.toLowerCase(Locale.ROOT)) {
			case "amd64", "x86_64", "x86", "i386" -> Libc.O_NOFOLLOW_X86_64;
			case "aarch64", "arm64", "arm", "ppc64", "ppc64le" -> Libc.O_NOFOLLOW_AARCH64;
			default -> 0;
		};
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
	public boolean lowerThreadPriority(long tid) {
		return lowerPriority(ProcessIds.require(tid), "tid=" + tid);
	}

	@Override
	public boolean lowerCallingThreadPriority() {
		return lowerPriority(0, "0");
	}

	/**
	 * {@code setpriority(PRIO_PROCESS, thread, 19)}: one thread's nice value on Linux
	 * ({@code 0}: the calling thread's).
	 * @return {@code false} if that thread has ended
	 */
	private boolean lowerPriority(int thread, String described) {
		if (this.libc.setpriority(Libc.PRIO_PROCESS, thread, Libc.NICE_LOWEST) == 0) {
			return true;
		}
		int errno = this.libc.errno();
		if (errno == Libc.ESRCH) {
			return false;
		}
		throw new NativeAccessException("setpriority(PRIO_PROCESS, " + described + ", " + Libc.NICE_LOWEST + ")", errno,
				strerror(errno), "the thread keeps its priority; please report this with this message");
	}

	@Override
	public boolean trimNativeHeap() {
		if (!this.heapTrimmable) {
			return false;
		}
		try {
			return this.libc.malloc_trim(0) == 1;
		}
		catch (LinkageError ex) {
			// Not glibc: never asked again.
			this.heapTrimmable = false;
			return false;
		}
	}

	@Override
	public OptionalLong endedChild() {
		return endedChild(Libc.WEXITED | Libc.WNOHANG | Libc.WNOWAIT, "waitid(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT)");
	}

	@Override
	public OptionalLong awaitEndedChild() {
		return endedChild(Libc.WEXITED | Libc.WNOWAIT, "waitid(P_ALL, 0, WEXITED | WNOWAIT)");
	}

	@Override
	public int awaitChildExit(long pid) {
		byte[] info = new byte[Libc.SIGINFO_SIZE];
		while (true) {
			if (this.libc.waitid(Libc.P_PID, (int) pid, info, Libc.WEXITED | Libc.WNOWAIT) == 0) {
				return siginfoStatus(ByteBuffer.wrap(info).order(ByteOrder.nativeOrder()));
			}
			int errno = this.libc.errno();
			if (errno != Libc.EINTR) {
				throw new NativeAccessException("waitid(P_PID, " + pid + ", WEXITED | WNOWAIT)", errno, strerror(errno),
						(errno == Libc.ECHILD) ? REAPED_ALREADY : UNEXPECTED);
			}
		}
	}

	@Override
	public OptionalInt awaitChildExit(long pid, Duration timeout) {
		int target = ProcessIds.require(pid);
		int pidfd = this.libc.pidfdOpen(target);
		if (pidfd < 0) {
			int errno = this.libc.errno();
			throw new NativeAccessException("pidfd_open(" + pid + ", 0)", errno, strerror(errno), (errno == Libc.ESRCH)
					? REAPED_ALREADY : (errno == Libc.ENOSYS) ? "this needs Linux 5.3 or later" : UNEXPECTED);
		}
		try {
			return awaitEnd(pidfd, timeout) ? peekChildExit(target) : OptionalInt.empty();
		}
		finally {
			this.libc.close(pidfd);
		}
	}

	/** Whether the process behind {@code pidfd} ended within {@code timeout}. */
	private boolean awaitEnd(int pidfd, Duration timeout) {
		byte[] pollfd = new byte[Libc.POLLFD_SIZE];
		ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).putInt(0, pidfd).putShort(4, Libc.POLLIN);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			int millis = (int) Math.min(Integer.MAX_VALUE,
					Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			int ready = this.libc.poll(pollfd, 1, millis);
			if (ready >= 0) {
				return ready > 0;
			}
			int errno = this.libc.errno();
			if (errno != Libc.EINTR) {
				throw new NativeAccessException("poll(pidfd " + pidfd + ", POLLIN, " + millis + ")", errno,
						strerror(errno), UNEXPECTED);
			}
		}
	}

	/**
	 * The status of a child that has ended, left waitable for whoever reaps it.
	 */
	private OptionalInt peekChildExit(int pid) {
		byte[] info = new byte[Libc.SIGINFO_SIZE];
		while (true) {
			if (this.libc.waitid(Libc.P_PID, pid, info, Libc.WEXITED | Libc.WNOHANG | Libc.WNOWAIT) == 0) {
				ByteBuffer siginfo = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
				if (siginfo.getInt(Libc.SIGINFO_PID_OFFSET) != pid) {
					return OptionalInt.empty();
				}
				return OptionalInt.of(siginfoStatus(siginfo));
			}
			int errno = this.libc.errno();
			if (errno != Libc.EINTR) {
				throw new NativeAccessException("waitid(P_PID, " + pid + ", WEXITED | WNOHANG | WNOWAIT)", errno,
						strerror(errno), (errno == Libc.ECHILD) ? REAPED_ALREADY : UNEXPECTED);
			}
		}
	}

	/**
	 * A {@code siginfo_t}'s exit as the JDK reports it: the status passed to
	 * {@code exit}, or 0x80 plus the signal that killed or dumped the child, as a shell
	 * does.
	 */
	private static int siginfoStatus(ByteBuffer siginfo) {
		int status = siginfo.getInt(Libc.SIGINFO_STATUS_OFFSET);
		return (siginfo.getInt(Libc.SIGINFO_CODE_OFFSET) == Libc.CLD_EXITED) ? status : 0x80 + status;
	}

	private OptionalLong endedChild(int options, String operation) {
		byte[] info = new byte[Libc.SIGINFO_SIZE];
		while (true) {
			if (this.libc.waitid(Libc.P_ALL, 0, info, options) == 0) {
				int pid = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder()).getInt(Libc.SIGINFO_PID_OFFSET);
				return (pid > 0) ? OptionalLong.of(pid) : OptionalLong.empty();
			}
			int errno = this.libc.errno();
			if (errno == Libc.ECHILD) {
				return OptionalLong.empty();
			}
			if (errno != Libc.EINTR) {
				throw new NativeAccessException(operation, errno, strerror(errno), UNEXPECTED);
			}
		}
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
	public ListeningSocket listenTcp(InetAddress address, int port, int backlog) {
		String operation = "listen(" + ((address != null) ? address.getHostAddress() : "*") + ":" + port + ")";
		boolean ipv6 = address == null || address instanceof Inet6Address;
		int fd = this.libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
		if (fd < 0 && address == null) {
			// A system without IPv6: every address is every IPv4 address.
			ipv6 = false;
			fd = this.libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
		}
		if (fd < 0) {
			throw failure("socket(SOCK_STREAM) for " + operation, "the process may have run out of file descriptors");
		}
		boolean listening = false;
		try {
			this.libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
			if (ipv6 && address == null) {
				this.libc.setsockopt(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 0);
			}
			byte[] socketAddress = InetSocketAddresses.encode(address, port, ipv6, ByteOrder.nativeOrder());
			if (this.libc.bind(fd, socketAddress, socketAddress.length) != 0) {
				int errno = this.libc.errno();
				throw new NativeAccessException("bind() for " + operation, errno, strerror(errno),
						(errno == Libc.EADDRINUSE)
								? "another process listens on that port: stop it or change server.port"
								: (errno == Libc.EACCES) ? "ports below 1024 need privileges: choose a higher port"
										: "check server.address");
			}
			if (this.libc.listen(fd, backlog) != 0) {
				throw failure("listen() for " + operation, UNEXPECTED);
			}
			byte[] bound = new byte[128];
			int[] length = { bound.length };
			if (this.libc.getsockname(fd, bound, length) != 0) {
				throw failure("getsockname() for " + operation, UNEXPECTED);
			}
			listening = true;
			return new ListeningSocket(fd, InetSocketAddresses.port(bound));
		}
		finally {
			if (!listening) {
				this.libc.close(fd);
			}
		}
	}

	@Override
	public void sendDescriptor(String socketPath, int descriptor) {
		byte[] address = UnixSocketAddress.encode(socketPath, ByteOrder.nativeOrder());
		int fd = datagramSocket("sendmsg(SCM_RIGHTS, socket=" + socketPath + ")");
		try {
			while (true) {
				long sent = this.libc.sendmsgRights(fd, address, address.length, new byte[] { 1 }, descriptor,
						Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
				if (sent >= 0) {
					return;
				}
				int errno = this.libc.errno();
				if (errno != Libc.EINTR) {
					throw new NativeAccessException("sendmsg(SCM_RIGHTS, socket=" + socketPath + ")", errno,
							strerror(errno), sendAdvice(errno));
				}
			}
		}
		finally {
			this.libc.close(fd);
		}
	}

	@Override
	public int openDatagramSocket(String socketPath) {
		byte[] address = UnixSocketAddress.encode(socketPath, ByteOrder.nativeOrder());
		int fd = datagramSocket("bind(socket=" + socketPath + ")");
		if (this.libc.bind(fd, address, address.length) != 0) {
			int errno = this.libc.errno();
			this.libc.close(fd);
			throw new NativeAccessException("bind(socket=" + socketPath + ")", errno, strerror(errno),
					"choose another name");
		}
		return fd;
	}

	private int datagramSocket(String operation) {
		int fd = this.libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
		if (fd < 0) {
			throw failure("socket(AF_UNIX, SOCK_DGRAM) for " + operation,
					"the process may have run out of file descriptors (ulimit -n)");
		}
		return fd;
	}

	@Override
	public int receiveDescriptor(int socket) {
		int[] passed = { -1 };
		while (true) {
			long received = this.libc.recvmsgRights(socket, new byte[1], passed, Libc.MSG_DONTWAIT);
			if (received >= 0) {
				return passed[0];
			}
			int errno = this.libc.errno();
			if (errno == Libc.EAGAIN) {
				return -1;
			}
			if (errno != Libc.EINTR) {
				throw new NativeAccessException("recvmsg(SCM_RIGHTS)", errno, strerror(errno), UNEXPECTED);
			}
		}
	}

	@Override
	public void moveDescriptor(int descriptor, int target) {
		if (this.libc.dup2(descriptor, target) < 0) {
			throw failure("dup2(" + descriptor + ", " + target + ")", UNEXPECTED);
		}
		this.libc.close(descriptor);
	}

	@Override
	public void closeDescriptor(int descriptor) {
		this.libc.close(descriptor);
	}

	@Override
	public int duplicateDescriptor(int descriptor) {
		int copy = this.libc.fcntl(descriptor, Libc.F_DUPFD_CLOEXEC, 3);
		if (copy < 0) {
			throw failure("fcntl(" + descriptor + ", F_DUPFD_CLOEXEC)", UNEXPECTED);
		}
		return copy;
	}

	private NativeAccessException failure(String operation, String action) {
		int errno = this.libc.errno();
		return new NativeAccessException(operation, errno, strerror(errno), action);
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

	@Override
	public FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException {
		int fd = this.libc.open(file.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | this.noFollow | Libc.O_CLOEXEC);
		if (fd < 0) {
			throw openFailure(file, this.libc.errno());
		}
		try {
			// fstat(fd) as stat of /proc/self/fd/<fd>: the kernel resolves that link to
			// the
			// very file the descriptor holds, whatever the path names now, and the JDK
			// reads it without struct stat, whose layout differs between architectures.
			Path opened = this.descriptors.toPath().resolve(Integer.toString(fd));
			OwnedFiles.requireOwnedRegular(file, Files.readAttributes(opened, "unix:mode,uid"), ownerUid);
			// Opening the descriptor's link opens that same file again, not the path; a
			// regular file's open does not block.
			return FileChannel.open(opened, StandardOpenOption.READ);
		}
		finally {
			this.libc.close(fd);
		}
	}

	private IOException openFailure(Path file, int errno) {
		String path = file.toString();
		return switch (errno) {
			case Libc.ENOENT -> new NoSuchFileException(path);
			case Libc.EACCES, Libc.EPERM -> new AccessDeniedException(path, null, strerror(errno));
			case Libc.ELOOP -> new FileSystemException(path, null, "a symbolic link, which is not followed");
			default -> new FileSystemException(path, null, "open failed: " + strerror(errno));
		};
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
