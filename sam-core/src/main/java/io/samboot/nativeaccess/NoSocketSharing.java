package io.samboot.nativeaccess;

import java.net.InetAddress;

/**
 * {@link NativeAccess} where sockets cannot be shared between processes (the hot
 * standby's listening socket): each such call throws, naming the call, and the one method
 * left to implement says why and what to do instead. {@link LinuxNativeAccess} overrides
 * them all.
 */
interface NoSocketSharing extends NativeAccess {

	/** The exception for an operation that needs socket sharing. */
	NativeAccessException socketSharingUnsupported(String operation);

	@Override
	default ListeningSocket listenTcp(InetAddress address, int port, int backlog) {
		throw socketSharingUnsupported(
				"listen(" + ((address != null) ? address.getHostAddress() : "*") + ":" + port + ")");
	}

	@Override
	default void sendDescriptor(String socketPath, int descriptor) {
		throw socketSharingUnsupported("sendmsg(SCM_RIGHTS, socket=" + socketPath + ")");
	}

	@Override
	default int openDatagramSocket(String socketPath) {
		throw socketSharingUnsupported("bind(socket=" + socketPath + ")");
	}

	@Override
	default int receiveDescriptor(int socket) {
		throw socketSharingUnsupported("recvmsg(SCM_RIGHTS)");
	}

	@Override
	default void moveDescriptor(int descriptor, int target) {
		throw socketSharingUnsupported("dup2(" + descriptor + ", " + target + ")");
	}

	@Override
	default int duplicateDescriptor(int descriptor) {
		throw socketSharingUnsupported("fcntl(" + descriptor + ", F_DUPFD_CLOEXEC)");
	}

	/** Nothing to close: no descriptor was ever handed out. */
	@Override
	default void closeDescriptor(int descriptor) {
	}

}
