package io.samboot.nativeaccess;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.samboot.PosixSignal;

/**
 * {@link NativeAccess} with only what {@link ProcessHandle} offers, for when JNA is
 * missing or the platform is not Linux or macOS.
 *
 * <p>
 * It can find PIDs and stop processes ({@code destroy()} sends SIGTERM,
 * {@code destroyForcibly()} SIGKILL on POSIX systems), but cannot send any other signal,
 * arm a parent-death signal, send a Unix datagram (systemd notification), reap or adopt
 * orphaned processes nor replace the program. Every call that cannot be made says so
 * here, and what to add to make it: this is the one place SAM falls back.
 * {@link NativeAccessHolder} logs once when it picks this.
 */
final class FallbackNativeAccess implements NoSocketSharing {

	@Override
	public long getpid() {
		return ProcessHandle.current().pid();
	}

	@Override
	public long getppid() {
		return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
	}

	@Override
	public boolean kill(long pid, PosixSignal signal) {
		ProcessIds.require(pid);
		if (signal != PosixSignal.TERM && signal != PosixSignal.KILL) {
			throw new NativeAccessException(ProcessIds.describeKill(pid, signal),
					"without JNA SAM can only send SIGTERM and SIGKILL (through java.lang.ProcessHandle)",
					"use TERM or KILL, or add the dependency net.java.dev.jna:jna to send " + signal.signalName());
		}
		Optional<ProcessHandle> handle = ProcessHandle.of(pid);
		if (handle.isEmpty()) {
			return false;
		}
		boolean requested;
		try {
			requested = (signal == PosixSignal.KILL) ? handle.get().destroyForcibly() : handle.get().destroy();
		}
		catch (IllegalStateException ex) {
			throw new NativeAccessException(ProcessIds.describeKill(pid, signal), ex.getMessage(),
					"ProcessHandle refuses to signal its own process; add net.java.dev.jna:jna to do that");
		}
		if (requested || !handle.get().isAlive()) {
			return requested;
		}
		throw new NativeAccessException(ProcessIds.describeKill(pid, signal),
				"ProcessHandle could not signal the process (probably another user's)",
				"SAM only signals processes it started itself as the same user; check that this PID is one of"
						+ " its instances");
	}

	@Override
	public boolean setParentDeathSignal(PosixSignal signal) {
		return false;
	}

	@Override
	public void sendDatagram(String socketPath, byte[] message) {
		throw new NativeAccessException(UnixSocketAddress.describeSend(socketPath, message),
				"the JDK has no Unix datagram sockets, and SAM sends them through JNA",
				"add the dependency net.java.dev.jna:jna to notify systemd (NOTIFY_SOCKET)");
	}

	@Override
	public OptionalInt waitpidNoHang(long pid) {
		ProcessIds.require(pid);
		throw new NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)",
				"the JDK reaps only the processes it started itself, and SAM reaps others through JNA",
				"add the dependency net.java.dev.jna:jna to reap orphaned processes");
	}

	@Override
	public boolean setChildSubreaper() {
		return false;
	}

	@Override
	public void exec(String executable, List<String> argv, Map<String, String> environment) {
		throw new NativeAccessException("execve(" + executable + ")",
				"the JDK cannot replace the process's program, and SAM does that through JNA",
				"run on Linux with net.java.dev.jna:jna on the class path");
	}

	/**
	 * Checks, then opens, neither following a symbolic link: the JDK cannot open without
	 * blocking, so a FIFO swapped in between the two steps would block (see
	 * {@link OwnedFiles#checkThenOpen}).
	 */
	@Override
	public FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException {
		return OwnedFiles.checkThenOpen(file, ownerUid);
	}

	@Override
	public boolean isNative() {
		return false;
	}

	@Override
	public String toString() {
		return "fallback (java.lang.ProcessHandle)";
	}

	@Override
	public NativeAccessException socketSharingUnsupported(String operation) {
		return new NativeAccessException(operation,
				"the JDK cannot pass descriptors between processes, and SAM does that through JNA",
				"run on Linux with net.java.dev.jna:jna on the class path to use sam.standby.enabled");
	}

}
