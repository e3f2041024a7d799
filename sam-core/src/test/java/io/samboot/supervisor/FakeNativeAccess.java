package io.samboot.supervisor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;

/**
 * Records every signal sent; {@code getpid()} is 1000, {@code getppid()} what the test
 * sets. It cannot send datagrams, reap, adopt orphans nor replace the program: those
 * calls fail as they do where the platform lacks them. A child's exit is found at a
 * closed connection only where the test says so.
 */
class FakeNativeAccess implements NativeAccess {

	/** One {@code kill(pid, signal)} call. */
	record Kill(long pid, PosixSignal signal) {
	}

	static final long PID = 1000;

	final List<Kill> kills = new ArrayList<>();

	long ppid = 1;

	/**
	 * Whether {@link #awaitChildExit(long, Duration)} works here; when not, it fails as
	 * where the platform lacks it.
	 */
	boolean awaitsExits;

	/** The statuses {@link #awaitChildExit(long, Duration)} finds, by PID. */
	final Map<Long, Integer> endedChildren = new HashMap<>();

	/**
	 * The PIDs {@link #awaitChildExit(long, Duration)} finds reaped already, by another
	 * thread.
	 */
	final Set<Long> reapedChildren = new HashSet<>();

	/**
	 * The PIDs for which {@link #awaitChildExit(long, Duration)} runs out of descriptors.
	 */
	final Set<Long> outOfResources = new HashSet<>();

	/**
	 * The threads {@link #lowerThreadPriority(long)} lowered, in order; 0 for each that
	 * lowered itself ({@link #lowerCallingThreadPriority()}).
	 */
	final List<Long> loweredThreads = new ArrayList<>();

	/** The PIDs {@link #awaitChildExit(long, Duration)} was asked for, in order. */
	final List<Long> awaitedExits = new ArrayList<>();

	@Override
	public OptionalInt awaitChildExit(long pid, Duration timeout) {
		this.awaitedExits.add(pid);
		if (!this.awaitsExits) {
			return NativeAccess.super.awaitChildExit(pid, timeout);
		}
		if (this.outOfResources.contains(pid)) {
			throw new NativeAccessException("pidfd_open(" + pid + ", 0)", 24, "Too many open files", "passing");
		}
		if (this.reapedChildren.contains(pid)) {
			throw new NativeAccessException("waitid(P_PID, " + pid + ")", 10, "No child processes", "reaped already");
		}
		Integer status = this.endedChildren.get(pid);
		return (status != null) ? OptionalInt.of(status) : OptionalInt.empty();
	}

	@Override
	public long getpid() {
		return PID;
	}

	@Override
	public long getppid() {
		return this.ppid;
	}

	@Override
	public boolean kill(long pid, PosixSignal signal) {
		this.kills.add(new Kill(pid, signal));
		return true;
	}

	@Override
	public boolean setParentDeathSignal(PosixSignal signal) {
		return false;
	}

	@Override
	public io.samboot.nativeaccess.ListeningSocket listenTcp(java.net.InetAddress address, int port, int backlog) {
		throw new NativeAccessException("listen()", "the fake shares no sockets", "none");
	}

	@Override
	public void sendDescriptor(String socketPath, int descriptor) {
		throw new NativeAccessException("sendmsg()", "the fake shares no sockets", "none");
	}

	@Override
	public int openDatagramSocket(String socketPath) {
		throw new NativeAccessException("bind()", "the fake shares no sockets", "none");
	}

	@Override
	public int receiveDescriptor(int socket) {
		throw new NativeAccessException("recvmsg()", "the fake shares no sockets", "none");
	}

	@Override
	public void moveDescriptor(int descriptor, int target) {
		throw new NativeAccessException("dup2()", "the fake shares no sockets", "none");
	}

	@Override
	public void closeDescriptor(int descriptor) {
	}

	@Override
	public int duplicateDescriptor(int descriptor) {
		throw new NativeAccessException("fcntl(F_DUPFD_CLOEXEC)", "the fake shares no sockets", "none");
	}

	@Override
	public void sendDatagram(String socketPath, byte[] message) {
		throw new NativeAccessException("sendto(socket=" + socketPath + ")", "the fake sends no datagrams", "none");
	}

	@Override
	public OptionalInt waitpidNoHang(long pid) {
		throw new NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)", "the fake reaps nothing", "none");
	}

	@Override
	public boolean setChildSubreaper() {
		return false;
	}

	@Override
	public boolean lowerThreadPriority(long tid) {
		this.loweredThreads.add(tid);
		return true;
	}

	@Override
	public boolean lowerCallingThreadPriority() {
		this.loweredThreads.add(0L);
		return true;
	}

	@Override
	public void exec(String executable, List<String> argv, Map<String, String> environment) {
		throw new NativeAccessException("execve(" + executable + ")", "the fake replaces no program", "none");
	}

	@Override
	public FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException {
		throw new FileSystemException(file.toString(), null, "the fake opens no file");
	}

	@Override
	public boolean isNative() {
		return true;
	}

}
