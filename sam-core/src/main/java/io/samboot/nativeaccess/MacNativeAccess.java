package io.samboot.nativeaccess;

import java.io.IOException;
import java.net.InetAddress;
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

	@Override
	public ListeningSocket listenTcp(InetAddress address, int port, int backlog) {
		throw descriptorsUnsupported(
				"listen(" + ((address != null) ? address.getHostAddress() : "*") + ":" + port + ")");
	}

	@Override
	public void sendDescriptor(String socketPath, int descriptor) {
		throw descriptorsUnsupported("sendmsg(SCM_RIGHTS, socket=" + socketPath + ")");
	}

	@Override
	public int openDatagramSocket(String socketPath) {
		throw descriptorsUnsupported("bind(socket=" + socketPath + ")");
	}

	@Override
	public int receiveDescriptor(int socket) {
		throw descriptorsUnsupported("recvmsg(SCM_RIGHTS)");
	}

	@Override
	public void moveDescriptor(int descriptor, int target) {
		throw descriptorsUnsupported("dup2(" + descriptor + ", " + target + ")");
	}

	@Override
	public void closeDescriptor(int descriptor) {
	}

	private static NativeAccessException descriptorsUnsupported(String operation) {
		return new NativeAccessException(operation, "SAM shares sockets between processes only on Linux",
				"run without sam.standby.enabled off Linux");
	}

}
