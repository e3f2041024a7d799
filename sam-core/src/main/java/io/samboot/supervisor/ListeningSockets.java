package io.samboot.supervisor;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.samboot.SamError;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.ListeningSocket;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;

/**
 * The web server's listening socket, kept by the supervisor for the hot standby: opened
 * when the first instance asks for it and passed to every instance that asks
 * ({@code SCM_RIGHTS}), so that it outlives each of them. Connections that arrive while
 * no instance accepts (one died, the next is being promoted) wait in the kernel's queue
 * instead of being refused. Used on the loop thread only.
 */
final class ListeningSockets {

	/**
	 * How many connections the kernel holds for the instances (capped by
	 * {@code net.core.somaxconn}): a promotion's worth of arrivals under load.
	 */
	static final int BACKLOG = 4096;

	private final NativeAccess os;

	private final SamLog log;

	private ListeningSocket socket;

	private String host;

	private int port;

	ListeningSockets(NativeAccess os, SamLog log) {
		this.os = os;
		this.log = log;
	}

	/** Answers an instance's request: the socket goes to its datagram socket. */
	Reply handle(SupervisedInstance instance, Message.ListenSocketRequest request) {
		try {
			if (this.socket == null) {
				open(request.host(), request.port());
			}
			else if (!this.host.equals(request.host()) || this.port != request.port()) {
				return new Reply(SamError.INVALID_PARAM.name(),
						"the supervisor keeps the listening socket for " + describe(this.host, this.port) + ", not "
								+ describe(request.host(), request.port())
								+ "; restart the supervisor to change server.address or server.port");
			}
			this.os.sendDescriptor(request.replyTo(), this.socket.descriptor());
			return new Reply(null, Integer.toString(this.socket.port()));
		}
		catch (NativeAccessException | UnknownHostException ex) {
			this.log.warn(instance + " cannot have the listening socket: " + ex.getMessage()
					+ "; it listens on its own (a replacement refuses connections until it has bound the port)");
			return new Reply(SamError.LIBRARY.name(), ex.getMessage());
		}
	}

	private void open(String host, int port) throws UnknownHostException {
		InetAddress address = host.isEmpty() ? null : InetAddress.getByName(host);
		this.socket = this.os.listenTcp(address, port, BACKLOG);
		this.host = host;
		this.port = port;
		this.log.info("the supervisor keeps the web server's socket (" + describe(host, this.socket.port())
				+ ") for every instance: connections wait while one instance replaces another");
	}

	private static String describe(String host, int port) {
		return (host.isEmpty() ? "*" : host) + ":" + port;
	}

	/** Closes the socket: the supervisor is exiting. */
	void close() {
		if (this.socket != null) {
			this.os.closeDescriptor(this.socket.descriptor());
			this.socket = null;
		}
	}

}
