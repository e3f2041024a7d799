package io.samboot.nativeaccess;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.samboot.PosixSignal;

/**
 * The few operating-system calls SAM needs that the JDK does not offer.
 *
 * <p>
 * Obtain it with {@link NativeAccess#get()}: the implementation is chosen once per JVM, a
 * JNA binding to the C library where JNA and the platform allow it, otherwise a fallback
 * built on {@link ProcessHandle} that logs once what it cannot do. Every method is the
 * implementation's to answer, the fallback's refusals included: none has a default
 * behaviour here.
 */
public interface NativeAccess {

	/** The PID of this process. */
	long getpid();

	/** The PID of this process's parent, as the kernel sees it now. */
	long getppid();

	/**
	 * Sends a signal to a process.
	 * @return {@code true} if the signal was sent, {@code false} if the process does not
	 * exist (ESRCH)
	 * @throws NativeAccessException if the signal could not be sent for another reason
	 * (the message names the call, the PID, the signal and {@code strerror(errno)})
	 */
	boolean kill(long pid, PosixSignal signal);

	/**
	 * Asks the kernel to send {@code signal} to this process when the thread that created
	 * it ends (Linux {@code prctl(PR_SET_PDEATHSIG)}).
	 * @return {@code false} where the platform has no such call
	 */
	boolean setParentDeathSignal(PosixSignal signal);

	/**
	 * Sends one datagram to a Unix datagram socket, as systemd's {@code sd_notify} does
	 * with {@code NOTIFY_SOCKET}: a new
	 * {@code socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC)}, one {@code sendto} and
	 * {@code close}. A path starting with {@code @} names a Linux abstract socket (the
	 * {@code @} becomes a leading NUL byte and the address has no trailing NUL).
	 *
	 * <p>
	 * The send never blocks ({@code MSG_DONTWAIT}): when the receiver's queue is full the
	 * message is dropped with {@code EAGAIN}, so that a service manager that does not
	 * read can never stall the caller. Linux only; the JDK has no Unix datagram sockets.
	 * @param socketPath a socket path (at most 107 bytes) or {@code @name}
	 * @param message the datagram's bytes
	 * @throws NativeAccessException if the address is unusable or
	 * {@code socket}/{@code sendto} failed (the message names the call, the path and
	 * {@code strerror(errno)}), or where the implementation cannot send datagrams
	 * (without JNA, or on macOS)
	 */
	void sendDatagram(String socketPath, byte[] message);

	/**
	 * Reaps one child process if it has ended, without waiting
	 * ({@code waitpid(pid, &status, WNOHANG)}).
	 *
	 * <p>
	 * Only for children the JDK does not wait for itself: reaping a process started with
	 * {@link ProcessBuilder} would take its exit status away from
	 * {@link Process#onExit()}.
	 * @param pid the child's PID; never 0 or negative, which would wait for any child
	 * @return its exit status as a shell reports it (128 + N when signal N ended it) once
	 * reaped; empty while it still runs, or when it is not (or no longer) a child of this
	 * process ({@code ECHILD})
	 * @throws IllegalArgumentException unless {@code 0 < pid <= Integer.MAX_VALUE}
	 * @throws NativeAccessException if {@code waitpid} failed otherwise, or without JNA
	 */
	OptionalInt waitpidNoHang(long pid);

	/**
	 * Makes this process a child subreaper (Linux
	 * {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}): a descendant whose parent dies is
	 * re-parented to this process instead of to PID 1, so that this process sees (and
	 * must reap) the orphans of its children.
	 * @return {@code true} if this process is a subreaper now, {@code false} where the
	 * platform (or this implementation) has no such call
	 * @throws NativeAccessException if the call failed
	 */
	boolean setChildSubreaper();

	/**
	 * Makes one thread of this process the last to get a CPU when others want it: nice 19
	 * (Linux {@code setpriority(PRIO_PROCESS, tid, 19)}, which sets one thread's nice
	 * value). Raising a nice value needs no privilege; lowering it again does. A thread
	 * the thread makes inherits the value.
	 * @param tid the thread's id, as in {@code /proc/self/task}
	 * @return {@code false} where the platform has no nice value per thread (all but
	 * Linux: macOS's {@code setpriority(PRIO_PROCESS)} sets a whole process's), or the
	 * thread has ended
	 * @throws NativeAccessException if the call failed otherwise
	 */
	default boolean lowerThreadPriority(long tid) {
		return false;
	}

	/**
	 * As {@link #lowerThreadPriority(long)}, for the calling thread (Linux
	 * {@code setpriority(PRIO_PROCESS, 0, 19)}).
	 * @return {@code false} where the platform has no nice value per thread
	 * @throws NativeAccessException if the call failed
	 */
	default boolean lowerCallingThreadPriority() {
		return false;
	}

	/**
	 * Gives the memory the C library holds free back to the kernel (glibc's
	 * {@code malloc_trim(0)}): what a JVM's start leaves behind in the allocator, its
	 * compiler's work areas above all, which the allocator otherwise keeps for later.
	 * @return {@code true} if memory was given back; {@code false} if there was none, or
	 * where the C library has no such call (musl, macOS)
	 */
	default boolean trimNativeHeap() {
		return false;
	}

	/**
	 * A child of this process that has ended and waits to be reaped, left waitable (Linux
	 * {@code waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT)}): one system call that
	 * tells an orphan reaper whether a scan of {@code /proc} could find anything.
	 * @return the PID of one such child; empty when none has ended, or when this process
	 * has no children
	 * @throws NativeAccessException if the call failed, or where the platform (or this
	 * implementation) has no such call
	 */
	default OptionalLong endedChild() {
		throw new NativeAccessException("waitid(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT)",
				"only SAM's Linux native access has this call", "scan /proc for ended children instead");
	}

	/**
	 * As {@link #endedChild()}, but waits in the kernel until some child has ended (Linux
	 * {@code waitid(P_ALL, 0, &info, WEXITED | WNOWAIT)}), still without reaping it: an
	 * orphan reaper's thread then sleeps until there may be work, instead of waking to
	 * look. Returns at once while an ended child waits to be reaped. Cannot be
	 * interrupted; a daemon thread may block in it for as long as no child ends.
	 * @return the PID of one ended child; empty when this process has no children
	 * @throws NativeAccessException if the call failed, or where the platform (or this
	 * implementation) has no such call
	 */
	default OptionalLong awaitEndedChild() {
		throw new NativeAccessException("waitid(P_ALL, 0, WEXITED | WNOWAIT)",
				"only SAM's Linux native access has this call", "look for ended children every so often instead");
	}

	/**
	 * Waits in the kernel until this child has ended, without reaping it (Linux
	 * {@code waitid(P_PID, pid, &info, WEXITED | WNOWAIT)}): the thread that waits learns
	 * of the exit as soon as the JDK's own reaper does, instead of after it. Cannot be
	 * interrupted.
	 * @return the exit status as {@link Process#exitValue()} gives it: the status passed
	 * to {@code exit}, or 128 plus the signal that killed the child
	 * @throws NativeAccessException if the call failed (among others with {@code ECHILD}
	 * when the child was reaped already, by the JDK's reaper), or where the platform (or
	 * this implementation) has no such call
	 */
	default int awaitChildExit(long pid) {
		throw new NativeAccessException("waitid(P_PID, " + pid + ", WEXITED | WNOWAIT)",
				"only SAM's Linux native access has this call", "wait for the process with Process.waitFor()");
	}

	/**
	 * Waits at most {@code timeout} for this child to end, without reaping it (Linux
	 * {@code pidfd_open} and {@code poll}, then
	 * {@code waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT)}): a thread that
	 * expects the child's end any moment (its connection has just closed) learns of it
	 * when the kernel reports it, without another thread waking it. Cannot be
	 * interrupted.
	 * @param timeout how long to wait; under a millisecond is a look without waiting
	 * @return the exit status as {@link #awaitChildExit(long)} gives it; empty while the
	 * child still runs after {@code timeout}
	 * @throws NativeAccessException if a call failed (among others with {@code ECHILD} or
	 * {@code ESRCH} when the child was reaped already, by the JDK's reaper), or where the
	 * kernel, the platform or this implementation has no such call
	 */
	default OptionalInt awaitChildExit(long pid, Duration timeout) {
		throw new NativeAccessException("pidfd_open(" + pid + ", 0)", "only SAM's Linux native access has this call",
				"learn of the exit from the thread that waits for the child");
	}

	/**
	 * Replaces the program this process runs ({@code execve}), keeping its PID, its
	 * parent, its children and its standard streams. Before the call every file
	 * descriptor above 2 is marked close-on-exec, so that nothing this JVM opened (jar
	 * files, sockets, a JMX or debug port) leaks into the new program, and the calling
	 * thread's signal mask is cleared, because the new program inherits it (a JVM thread
	 * blocks {@code SIGQUIT}). Every other thread of this process ends with the call; no
	 * shutdown hook runs.
	 * @param executable the program's absolute path
	 * @param argv its arguments, {@code argv[0]} first
	 * @param environment its whole environment
	 * @throws NativeAccessException if the call failed (this process then runs on,
	 * unchanged but for the close-on-exec marks), or where the implementation cannot
	 * replace its program (without JNA, or off Linux)
	 */
	void exec(String executable, List<String> argv, Map<String, String> environment);

	/**
	 * Opens a TCP socket listening on this address, with {@code SO_REUSEADDR} and
	 * close-on-exec, as a web server would: the socket the hot standby's instances share
	 * (see {@link #sendDescriptor}). Without an address it listens on every address, IPv6
	 * and IPv4 alike where the system has IPv6. Linux only.
	 * @param address the address to listen on, or {@code null} for all
	 * @param port the port, or 0 for one the system chooses
	 * @param backlog how many connections the kernel holds until they are accepted
	 * @throws NativeAccessException if the socket could not be opened (the port taken,
	 * say), or where the implementation cannot (without JNA, or off Linux)
	 */
	ListeningSocket listenTcp(InetAddress address, int port, int backlog);

	/**
	 * Passes a descriptor of this process to the process that listens on a Unix datagram
	 * socket ({@code SCM_RIGHTS}): it receives its own descriptor of the same open socket
	 * or file. Linux only.
	 * @param socketPath the receiver's socket path, or {@code @name} for an abstract one
	 * @throws NativeAccessException if it could not be sent, or where the implementation
	 * cannot (without JNA, or off Linux)
	 */
	void sendDescriptor(String socketPath, int descriptor);

	/**
	 * Opens a Unix datagram socket bound to this address, close-on-exec, to receive a
	 * descriptor ({@link #receiveDescriptor}); close it with {@link #closeDescriptor}.
	 * Linux only.
	 * @param socketPath a path, or {@code @name} for an abstract socket
	 * @return its descriptor
	 * @throws NativeAccessException as {@link #sendDescriptor}
	 */
	int openDatagramSocket(String socketPath);

	/**
	 * Takes the descriptor waiting on a socket opened by {@link #openDatagramSocket},
	 * without waiting for one. Linux only.
	 * @return the descriptor received (close-on-exec), or {@code -1} when none is waiting
	 * @throws NativeAccessException as {@link #sendDescriptor}
	 */
	int receiveDescriptor(int socket);

	/**
	 * Makes {@code target} a copy of {@code descriptor} ({@code dup2}, not close-on-exec)
	 * and closes {@code descriptor}: how a received listening socket becomes standard
	 * input, where {@link System#inheritedChannel()} finds it.
	 * @throws NativeAccessException as {@link #sendDescriptor}
	 */
	void moveDescriptor(int descriptor, int target);

	/** Closes a descriptor this interface returned; failures are ignored. */
	void closeDescriptor(int descriptor);

	/**
	 * A second descriptor of the same open file or socket, numbered 3 or above and
	 * close-on-exec ({@code fcntl(F_DUPFD_CLOEXEC)}): how standard output and error are
	 * kept while the JDK points them at {@code /dev/null} (it does so when the inherited
	 * channel closes). Put it back with {@link #moveDescriptor}. Linux only.
	 * @throws NativeAccessException as {@link #sendDescriptor}, or when no descriptor is
	 * free
	 */
	int duplicateDescriptor(int descriptor);

	/**
	 * Opens for reading a file that a process of another user may have put in its place,
	 * without letting that file stall or fool the caller: the call never blocks (a FIFO
	 * or a device opens at once, {@code O_NONBLOCK}), a symbolic link as the last
	 * component is not followed ({@code O_NOFOLLOW}), and what was opened (not what the
	 * path named a moment before) must be a regular file owned by {@code ownerUid}
	 * ({@code fstat} of the descriptor). Anything else is closed again at once.
	 * @param file the file's path
	 * @param ownerUid the numeric user id the file must belong to
	 * @return a channel reading the file, positioned at its start
	 * @throws java.nio.file.NoSuchFileException when there is no such file
	 * @throws java.nio.file.FileSystemException when it is a symbolic link, not a regular
	 * file or another user's (the reason says which), or cannot be opened
	 * @throws IOException when it cannot be read
	 */
	FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException;

	/** Whether this implementation calls the C library (and not a fallback). */
	boolean isNative();

	/** The implementation chosen for this JVM. */
	static NativeAccess get() {
		return NativeAccessHolder.INSTANCE;
	}

	/**
	 * The classes of the library through which {@link #get()} calls C (JNA's), for a JVM
	 * this one starts with a class path of its own that must call C too, as the lean
	 * supervisor: their jars belong on that class path. Empty when {@link #get()} is the
	 * fallback and calls no library.
	 */
	static List<Class<?>> libraryClasses() {
		return NativeAccessHolder.libraryClasses();
	}

	/**
	 * Puts beside the jars of {@link #libraryClasses()}, in a directory of the lean
	 * supervisor's cache, the files their library would otherwise unpack at every start
	 * (JNA's own native library), where the next JVM loading those jars from there finds
	 * them. Nothing to do for the fallback.
	 * @param jars a class path of jars in one cache directory, these among them
	 * @throws IOException if a file cannot be written
	 */
	static void keepLibraryFilesBeside(List<Path> jars) throws IOException {
		if (NativeAccessHolder.INSTANCE.isNative()) {
			JnaDispatchLibrary.copyBeside(jars);
		}
	}

}
