package io.samboot.nativeaccess;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.samboot.PosixSignal;

/**
 * {@link NativeAccess} on macOS: the calls every POSIX system has
 * ({@link PosixNativeAccess}); macOS has no parent-death signal, no subreaper and no
 * systemd, and SAM replaces its program only on Linux, so those calls answer that they
 * cannot.
 */
final class MacNativeAccess extends PosixNativeAccess {

	MacNativeAccess(Libc libc) {
		super(libc);
	}

	@Override
	public boolean setParentDeathSignal(PosixSignal signal) {
		return false;
	}

	@Override
	public boolean setChildSubreaper() {
		return false;
	}

	@Override
	public void sendDatagram(String socketPath, byte[] message) {
		throw new NativeAccessException(UnixSocketAddress.describeSend(socketPath, message),
				"SAM sends Unix datagrams only on Linux",
				"systemd notification (NOTIFY_SOCKET) exists only on Linux; unset NOTIFY_SOCKET elsewhere");
	}

	@Override
	public void exec(String executable, List<String> argv, Map<String, String> environment) {
		throw new NativeAccessException("execve(" + executable + ")", "SAM replaces its program only on Linux",
				"supervise from the JVM the user started (the default elsewhere)");
	}

	/**
	 * As the fallback does ({@link OwnedFiles#checkThenOpen}): SAM reads other users'
	 * files (HotSpot's performance data) only on Linux.
	 */
	@Override
	public FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException {
		return OwnedFiles.checkThenOpen(file, ownerUid);
	}

	@Override
	public String toString() {
		return this.libc + " (macOS C library)";
	}

}
