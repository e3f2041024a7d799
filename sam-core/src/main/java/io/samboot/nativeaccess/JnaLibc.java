package io.samboot.nativeaccess;

import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

/**
 * {@link Libc} through JNA's direct mapping, the one implementation.
 *
 * <p>
 * Direct mapping binds each native method once, when its class initialises, so a missing
 * library or symbol fails in {@link #load(boolean)} (caught by
 * {@link NativeAccessHolder}) and not at the first signal; a call then costs one JNI
 * transition and no reflection, which matters on the supervisor's hot paths
 * ({@code kill}, {@code waitpid}, {@code sendto}). The calls live in three nested classes
 * because binding a symbol that does not exist (as {@code prctl} on macOS) fails the
 * whole class: {@link LinuxCalls} is bound only on Linux, and {@link GlibcCalls} only
 * where the C library has them (not musl). After a call returns {@code -1},
 * {@link Native#getLastError()} on the same thread holds its {@code errno}.
 */
final class JnaLibc implements Libc {

	/** {@code sizeof(struct msghdr)} on LP64 Linux. */
	private static final int MSGHDR_SIZE = 56;

	/** {@code sizeof(struct iovec)} on LP64 Linux. */
	private static final int IOVEC_SIZE = 16;

	/** {@code sizeof(struct cmsghdr)}, {@code CMSG_LEN(0)}, on LP64 Linux. */
	private static final int CMSGHDR_SIZE = 16;

	/** {@code CMSG_LEN(sizeof(int))}: one descriptor. */
	private static final int RIGHTS_LENGTH = CMSGHDR_SIZE + Integer.BYTES;

	/** {@code CMSG_SPACE(sizeof(int))}. */
	private static final int RIGHTS_SPACE = CMSGHDR_SIZE + 8;

	/** {@code SCM_RIGHTS} from {@code <sys/socket.h>}. */
	private static final int SCM_RIGHTS = 1;

	/** {@code MSG_CMSG_CLOEXEC}: a received descriptor is close-on-exec, as SAM's own. */
	private static final int MSG_CMSG_CLOEXEC = 0x40000000;

	/** Whether the C library has what {@link GlibcCalls} binds. */
	private final boolean glibc;

	private JnaLibc(boolean glibc) {
		this.glibc = glibc;
	}

	/** Whether {@link #malloc_trim} is there to call. */
	boolean hasGlibcCalls() {
		return this.glibc;
	}

	/**
	 * Binds the C library and checks that it answers as expected.
	 * @param linux whether to bind the Linux-only calls too
	 * @return the binding, typed as the interface so that callers never link against this
	 * class before it is loaded
	 * @throws LinkageError if JNA or the library cannot be loaded
	 * @throws IllegalStateException if {@code getpid()} disagrees with the JDK (a wrong
	 * library)
	 */
	static Libc load(boolean linux) {
		// Before JNA looks for libraries, so that it does not start ldconfig to find out
		// where they are.
		JnaSearchPath.setIfUnset();
		// And so that it loads its own library from the cache rather than unpacking it.
		JnaDispatchLibrary.useCopyIfBeside();
		long pid = PosixCalls.getpid();
		long expected = ProcessHandle.current().pid();
		if (pid != expected) {
			throw new IllegalStateException(
					"getpid() through JNA returned " + pid + " but the JDK says " + expected + "; wrong C library?");
		}
		boolean glibc = false;
		if (linux) {
			bindNow(LinuxCalls.class);
			glibc = bindsNow(GlibcCalls.class);
		}
		return new JnaLibc(glibc);
	}

	/**
	 * As {@link #bindNow(Class)}, for calls the C library may lack: binding them at the
	 * start costs a third of a millisecond, and at their first use much more, in code run
	 * and compiled for the first time beside an idle supervisor.
	 * @return whether they are bound
	 */
	private static boolean bindsNow(Class<?> type) {
		try {
			bindNow(type);
			return true;
		}
		catch (LinkageError ex) {
			return false;
		}
	}

	/**
	 * Initialises a direct-mapped class, which binds its methods, so that it fails now or
	 * never.
	 */
	private static void bindNow(Class<?> type) {
		try {
			Class.forName(type.getName(), true, type.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new NoClassDefFoundError(ex.getMessage());
		}
	}

	/**
	 * The classes whose jars a JVM needs on its class path to call C the way this one
	 * does.
	 */
	static List<Class<?>> libraryClasses() {
		return List.of(Native.class);
	}

	@Override
	public int getpid() {
		return PosixCalls.getpid();
	}

	@Override
	public int getppid() {
		return PosixCalls.getppid();
	}

	@Override
	public int kill(int pid, int signal) {
		return PosixCalls.kill(pid, signal);
	}

	@Override
	public int waitpid(int pid, int[] status, int options) {
		return PosixCalls.waitpid(pid, status, options);
	}

	@Override
	public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
		return LinuxCalls.prctl(option, arg2, arg3, arg4, arg5);
	}

	@Override
	public int setpriority(int which, int who, int priority) {
		return LinuxCalls.setpriority(which, who, priority);
	}

	@Override
	public int malloc_trim(long pad) {
		if (!this.glibc) {
			throw new UnsatisfiedLinkError("malloc_trim is not in this C library");
		}
		return GlibcCalls.malloc_trim(pad);
	}

	@Override
	public int waitid(int idType, int id, byte[] info, int options) {
		return LinuxCalls.waitid(idType, id, info, options);
	}

	@Override
	public int pidfdOpen(int pid) {
		return (int) LinuxCalls.syscall(SYS_PIDFD_OPEN, pid, 0);
	}

	@Override
	public int poll(byte[] fds, long count, int timeoutMillis) {
		return LinuxCalls.poll(fds, count, timeoutMillis);
	}

	@Override
	public int socket(int domain, int type, int protocol) {
		return LinuxCalls.socket(domain, type, protocol);
	}

	@Override
	public long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength) {
		return LinuxCalls.sendto(fd, buffer, length, flags, address, addressLength);
	}

	@Override
	public int open(String path, int flags) {
		return LinuxCalls.open(path, flags);
	}

	@Override
	public int close(int fd) {
		return LinuxCalls.close(fd);
	}

	@Override
	public int bind(int fd, byte[] address, int addressLength) {
		return LinuxCalls.bind(fd, address, addressLength);
	}

	@Override
	public int listen(int fd, int backlog) {
		return LinuxCalls.listen(fd, backlog);
	}

	@Override
	public int setsockopt(int fd, int level, int option, int value) {
		return LinuxCalls.setsockopt(fd, level, option, new int[] { value }, Integer.BYTES);
	}

	@Override
	public int getsockname(int fd, byte[] address, int[] addressLength) {
		return LinuxCalls.getsockname(fd, address, addressLength);
	}

	@Override
	public int dup2(int fd, int target) {
		return LinuxCalls.dup2(fd, target);
	}

	@Override
	public long sendmsgRights(int fd, byte[] address, int addressLength, byte[] data, int passed, int flags) {
		try (Memory message = new Memory(MSGHDR_SIZE + IOVEC_SIZE + RIGHTS_SPACE + addressLength + data.length)) {
			message.clear();
			Memory name = (Memory) message.share(MSGHDR_SIZE + IOVEC_SIZE + RIGHTS_SPACE, addressLength);
			name.write(0, address, 0, addressLength);
			Memory buffer = (Memory) message.share(MSGHDR_SIZE + IOVEC_SIZE + RIGHTS_SPACE + addressLength,
					data.length);
			buffer.write(0, data, 0, data.length);
			layOut(message, name, addressLength, buffer, data.length);
			Memory control = (Memory) message.share(MSGHDR_SIZE + IOVEC_SIZE, RIGHTS_SPACE);
			control.setLong(0, RIGHTS_LENGTH);
			control.setInt(8, SOL_SOCKET);
			control.setInt(12, SCM_RIGHTS);
			control.setInt(CMSGHDR_SIZE, passed);
			return LinuxCalls.sendmsg(fd, message, flags);
		}
	}

	@Override
	public long recvmsgRights(int fd, byte[] data, int[] passed, int flags) {
		try (Memory message = new Memory(MSGHDR_SIZE + IOVEC_SIZE + RIGHTS_SPACE + Math.max(1, data.length))) {
			message.clear();
			Memory buffer = (Memory) message.share(MSGHDR_SIZE + IOVEC_SIZE + RIGHTS_SPACE, Math.max(1, data.length));
			layOut(message, null, 0, buffer, data.length);
			long received = LinuxCalls.recvmsg(fd, message, flags | MSG_CMSG_CLOEXEC);
			passed[0] = -1;
			if (received < 0) {
				return received;
			}
			buffer.read(0, data, 0, (int) Math.min(received, data.length));
			Memory control = (Memory) message.share(MSGHDR_SIZE + IOVEC_SIZE, RIGHTS_SPACE);
			if (message.getLong(40) >= RIGHTS_LENGTH && control.getInt(8) == SOL_SOCKET
					&& control.getInt(12) == SCM_RIGHTS) {
				passed[0] = control.getInt(CMSGHDR_SIZE);
			}
			return received;
		}
	}

	/**
	 * Fills in a {@code struct msghdr} at the start of {@code message}, its one
	 * {@code struct iovec} after it and, after that, room for one {@code SCM_RIGHTS}
	 * control message (LP64 Linux: pointers and {@code size_t} are 8 bytes).
	 */
	private static void layOut(Memory message, Memory name, int nameLength, Memory buffer, int length) {
		Memory iovec = (Memory) message.share(MSGHDR_SIZE, IOVEC_SIZE);
		iovec.setPointer(0, buffer);
		iovec.setLong(8, length);
		message.setPointer(0, name);
		message.setInt(8, nameLength);
		message.setPointer(16, iovec);
		message.setLong(24, 1);
		message.setPointer(32, message.share(MSGHDR_SIZE + IOVEC_SIZE, RIGHTS_SPACE));
		message.setLong(40, RIGHTS_SPACE);
	}

	@Override
	public int fcntl(int fd, int command, int argument) {
		return LinuxCalls.fcntl(fd, command, argument);
	}

	@Override
	public int sigprocmask(int how, byte[] set, byte[] oldSet) {
		return LinuxCalls.sigprocmask(how, set, oldSet);
	}

	@Override
	public int execve(String path, String[] argv, String[] environment) {
		// The JVM decodes its arguments and environment with sun.jnu.encoding: encode
		// them back with it.
		String encoding = System.getProperty("sun.jnu.encoding", Native.getDefaultStringEncoding());
		return LinuxCalls.execve(path, new StringArray(argv, encoding), new StringArray(environment, encoding));
	}

	@Override
	public String strerror(int errno) {
		return PosixCalls.strerror(errno);
	}

	@Override
	public int errno() {
		return Native.getLastError();
	}

	@Override
	public String toString() {
		return "JNA";
	}

	/** The calls of every POSIX C library, bound when this class initialises. */
	static final class PosixCalls {

		static {
			Native.register(PosixCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
		}

		private PosixCalls() {
		}

		static native int getpid();

		static native int getppid();

		static native int kill(int pid, int signal);

		static native int waitpid(int pid, int[] status, int options);

		static native String strerror(int errno);

	}

	/**
	 * What only glibc has, bound apart from {@link LinuxCalls}, so that a C library
	 * without it (musl) loses these calls alone.
	 */
	static final class GlibcCalls {

		static {
			Native.register(GlibcCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
		}

		private GlibcCalls() {
		}

		static native int malloc_trim(long pad);

	}

	/**
	 * The calls SAM makes only on Linux, bound when this class initialises; a C library
	 * without one of them fails the whole class. The C functions {@code fcntl},
	 * {@code prctl} and {@code syscall} are variadic: on x86-64 and aarch64 Linux an
	 * {@code int} or {@code long} travels in the same register either way.
	 */
	static final class LinuxCalls {

		static {
			Native.register(LinuxCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
		}

		private LinuxCalls() {
		}

		static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

		static native int setpriority(int which, int who, int priority);

		static native int waitid(int idType, int id, byte[] info, int options);

		static native long syscall(long number, long arg1, long arg2);

		static native int poll(byte[] fds, long count, int timeout);

		static native int socket(int domain, int type, int protocol);

		static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

		static native int open(String path, int flags);

		static native int close(int fd);

		static native int bind(int fd, byte[] address, int addressLength);

		static native int listen(int fd, int backlog);

		static native int setsockopt(int fd, int level, int option, int[] value, int valueLength);

		static native int getsockname(int fd, byte[] address, int[] addressLength);

		static native int dup2(int fd, int target);

		static native long sendmsg(int fd, Pointer message, int flags);

		static native long recvmsg(int fd, Pointer message, int flags);

		static native int fcntl(int fd, int command, int argument);

		static native int sigprocmask(int how, byte[] set, byte[] oldSet);

		static native int execve(String path, Pointer argv, Pointer environment);

	}

}
