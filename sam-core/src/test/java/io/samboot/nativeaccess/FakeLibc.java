package io.samboot.nativeaccess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Libc} in the JVM that touches no process: every call is recorded in
 * {@link #calls} as C would be written, e.g. {@code kill(42, 10)}, and succeeds unless
 * the test scripted a failure with {@link #fail(String, int...)}; a failed call returns
 * {@code -1} and leaves its {@code errno}, as in C.
 */
final class FakeLibc implements Libc {

	static final int PID = 4242;

	static final int PPID = 4000;

	/** The descriptor every {@code socket} call returns. */
	static final int SOCKET_FD = 7;

	/** The descriptor every {@code open} call returns. */
	static final int FILE_FD = 9;

	/** The texts {@code strerror} knows; any other errno has none ({@code null}). */
	private static final Map<Integer, String> TEXTS = Map.of(EPERM, "Operation not permitted", ENOENT,
			"No such file or directory", ESRCH, "No such process", EINTR, "Interrupted system call", EBADF,
			"Bad file descriptor", ECHILD, "No child processes", EAGAIN, "Resource temporarily unavailable", EACCES,
			"Permission denied", EINVAL, "Invalid argument", ECONNREFUSED, "Connection refused");

	/** Every call made, in order. */
	final List<String> calls = new ArrayList<>();

	/**
	 * The descriptor flags {@code fcntl(F_GETFD)} answers; a descriptor not in here is
	 * closed ({@code EBADF}).
	 */
	final Map<Integer, Integer> descriptorFlags = new HashMap<>();

	/**
	 * The wait statuses {@code waitpid} reaps, one per call; when none is left the child
	 * still runs.
	 */
	final Deque<Integer> waitStatuses = new ArrayDeque<>();

	private final Map<String, Deque<Integer>> failures = new HashMap<>();

	private int errno;

	/** The next calls of the named function fail, one with each errno, in order. */
	FakeLibc fail(String function, int... errnos) {
		Deque<Integer> queue = this.failures.computeIfAbsent(function, (name) -> new ArrayDeque<>());
		Arrays.stream(errnos).forEach(queue::add);
		return this;
	}

	/**
	 * Records the call; returns {@code -1} if a failure is scripted for it, otherwise
	 * {@code result}.
	 */
	private int call(String function, String arguments, int result) {
		this.calls.add(function + "(" + arguments + ")");
		Integer failure = this.failures.getOrDefault(function, new ArrayDeque<>()).poll();
		if (failure == null) {
			return result;
		}
		this.errno = failure;
		return -1;
	}

	@Override
	public int getpid() {
		return call("getpid", "", PID);
	}

	@Override
	public int getppid() {
		return call("getppid", "", PPID);
	}

	@Override
	public int kill(int pid, int signal) {
		return call("kill", pid + ", " + signal, 0);
	}

	@Override
	public int waitpid(int pid, int[] status, int options) {
		int result = call("waitpid", pid + ", " + options, 0);
		if (result == 0 && !this.waitStatuses.isEmpty()) {
			status[0] = this.waitStatuses.poll();
			return pid;
		}
		return result;
	}

	/** The PID {@code waitid} reports as ended, 0 for none. */
	int endedChild;

	@Override
	public int waitid(int idType, int id, byte[] info, int options) {
		int result = call("waitid", idType + ", " + id + ", " + options, 0);
		if (result == 0) {
			ByteBuffer.wrap(info)
				.order(ByteOrder.nativeOrder())
				.putInt(Libc.SIGINFO_PID_OFFSET, this.endedChild)
				.putInt(Libc.SIGINFO_CODE_OFFSET, this.endedBySignal ? 2 : Libc.CLD_EXITED)
				.putInt(Libc.SIGINFO_STATUS_OFFSET, this.endedStatus);
		}
		return result;
	}

	/** The descriptor every {@code pidfdOpen} call returns. */
	static final int PIDFD = 11;

	/** What {@code poll} answers: how many descriptors are ready. */
	int pollReady;

	/** The wait status {@code waitid} reports for the child it reports. */
	int endedStatus;

	/** Whether {@code waitid} reports the child as killed by a signal. */
	boolean endedBySignal;

	@Override
	public int pidfdOpen(int pid) {
		return call("pidfd_open", pid + ", 0", PIDFD);
	}

	@Override
	public int poll(byte[] fds, long count, int timeoutMillis) {
		ByteBuffer pollfd = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
		return call("poll", "{" + pollfd.getInt(0) + ", " + pollfd.getShort(4) + "}, " + count + ", " + timeoutMillis,
				this.pollReady);
	}

	@Override
	public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
		return call("prctl", option + ", " + arg2 + ", " + arg3 + ", " + arg4 + ", " + arg5, 0);
	}

	@Override
	public int setpriority(int which, int who, int priority) {
		return call("setpriority", which + ", " + who + ", " + priority, 0);
	}

	/**
	 * What {@code malloc_trim} answers; {@code -1} stands for a C library without it
	 * (musl), where the binding throws.
	 */
	int mallocTrimResult = 1;

	@Override
	public int malloc_trim(long pad) {
		if (this.mallocTrimResult == -1) {
			this.calls.add("malloc_trim(" + pad + ") unbound");
			throw new UnsatisfiedLinkError("Error looking up function 'malloc_trim'");
		}
		return call("malloc_trim", Long.toString(pad), this.mallocTrimResult);
	}

	@Override
	public int socket(int domain, int type, int protocol) {
		return call("socket", domain + ", " + type + ", " + protocol, SOCKET_FD);
	}

	@Override
	public long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength) {
		String text = new String(buffer, 0, (int) length, StandardCharsets.UTF_8);
		return call("sendto", fd + ", " + text + ", " + flags + ", " + addressText(address, addressLength),
				(int) length);
	}

	@Override
	public int bind(int fd, byte[] address, int addressLength) {
		return call("bind", fd + ", " + addressLength + " bytes", 0);
	}

	@Override
	public int listen(int fd, int backlog) {
		return call("listen", fd + ", " + backlog, 0);
	}

	@Override
	public int setsockopt(int fd, int level, int option, int value) {
		return call("setsockopt", fd + ", " + level + ", " + option + ", " + value, 0);
	}

	@Override
	public int getsockname(int fd, byte[] address, int[] addressLength) {
		int result = call("getsockname", Integer.toString(fd), 0);
		if (result == 0) {
			// Port 8080, network byte order, after the two bytes of the family.
			address[2] = (byte) 0x1f;
			address[3] = (byte) 0x90;
		}
		return result;
	}

	@Override
	public int dup2(int fd, int target) {
		return call("dup2", fd + ", " + target, target);
	}

	@Override
	public long sendmsgRights(int fd, byte[] address, int addressLength, byte[] data, int passed, int flags) {
		return call("sendmsg",
				fd + ", SCM_RIGHTS " + passed + ", " + flags + ", " + addressText(address, addressLength), data.length);
	}

	@Override
	public long recvmsgRights(int fd, byte[] data, int[] passed, int flags) {
		int result = call("recvmsg", fd + ", " + flags, 1);
		passed[0] = (result < 0) ? -1 : 11;
		return result;
	}

	@Override
	public int open(String path, int flags) {
		return call("open", path + ", " + flags, FILE_FD);
	}

	@Override
	public int close(int fd) {
		return call("close", Integer.toString(fd), 0);
	}

	@Override
	public int fcntl(int fd, int command, int argument) {
		if (command == F_GETFD) {
			Integer flags = this.descriptorFlags.get(fd);
			if (flags == null) {
				this.calls.add("fcntl(" + fd + ", F_GETFD)");
				this.errno = EBADF;
				return -1;
			}
			return call("fcntl", fd + ", F_GETFD", flags);
		}
		this.descriptorFlags.put(fd, argument);
		return call("fcntl", fd + ", F_SETFD, " + argument, 0);
	}

	@Override
	public int sigprocmask(int how, byte[] set, byte[] oldSet) {
		String mask = (set == null) ? "NULL" : (set.length + " bytes" + (allZero(set) ? " empty" : " with signals"));
		return call("sigprocmask", how + ", " + mask + ", " + ((oldSet == null) ? "NULL" : "old"), 0);
	}

	private static boolean allZero(byte[] bytes) {
		for (byte b : bytes) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Fails as every {@code execve} that returns does: with the scripted errno, or
	 * {@code ENOENT}.
	 */
	@Override
	public int execve(String path, String[] argv, String[] environment) {
		if (call("execve", path + ", " + Arrays.toString(argv) + ", " + Arrays.toString(environment), 0) == 0) {
			this.errno = ENOENT;
		}
		return -1;
	}

	@Override
	public String strerror(int errno) {
		return TEXTS.get(errno);
	}

	@Override
	public int errno() {
		return this.errno;
	}

	@Override
	public String toString() {
		return "fake libc";
	}

	/** A {@code sockaddr_un} as the test reads it: {@code @name} or the path. */
	private static String addressText(byte[] address, int length) {
		// Two bytes of family, then the path and its NUL, or a NUL and the abstract name.
		if (address[2] == 0) {
			return "@" + new String(address, 3, length - 3, StandardCharsets.UTF_8);
		}
		return new String(address, 2, length - 3, StandardCharsets.UTF_8);
	}

}
