package io.samboot.instance;

import java.io.IOException;
import java.nio.channels.Channel;
import java.security.SecureRandom;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.Message;

/**
 * Takes the web server's listening socket from the supervisor, which keeps it for every
 * instance (the hot standby), and puts it where {@link System#inheritedChannel()} finds
 * it: standard input. A web server told to use the inherited channel (Tomcat's
 * {@code useInheritedChannel}, Jetty's {@code inheritChannel}) then accepts on the
 * supervisor's socket instead of binding its own.
 *
 * <p>
 * The descriptor travels as {@code SCM_RIGHTS} to a Unix datagram socket with a random
 * abstract name that only this instance and, through the authenticated control channel,
 * its supervisor know. When the process begins to stop, it stops accepting on the shared
 * socket at once ({@link #stopAccepting()}).
 */
public final class InheritedListeningSocket {

	/** Standard input's descriptor, where the JDK looks for an inherited channel. */
	static final int STANDARD_INPUT = 0;

	private static final SecureRandom RANDOM = new SecureRandom();

	private InheritedListeningSocket() {
	}

	/**
	 * Closes this process's descriptor of the shared socket as soon as it begins to stop
	 * (a warning signal, SIGTERM, {@code System.exit}): the socket stays open in the
	 * supervisor and the other instance, which now accept every new connection, while
	 * this one finishes the requests it has. Without it a web server that stops slowly,
	 * or a hung one, would go on taking connections it will never answer.
	 */
	static void stopAccepting() {
		try {
			Channel inherited = System.inheritedChannel();
			if (inherited != null) {
				inherited.close();
			}
		}
		catch (IOException ex) {
			// The process is stopping: nothing more to do.
		}
	}

	/**
	 * Asks the supervisor for the socket on {@code host} (empty for every address) and
	 * {@code port}, and makes it this process's standard input.
	 * @return the port it listens on
	 * @throws SamException if the supervisor cannot give it (its message says why) or it
	 * did not arrive
	 */
	public static int adopt(InstanceConnection connection, NativeAccess os, String host, int port) {
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		String inbox = "@sam-listen-" + ProcessHandle.current().pid() + "-" + Handoff.toHex(nonce);
		int socket = os.openDatagramSocket(inbox);
		try {
			Message.Reply reply = connection.commandReply(new Message.ListenSocketRequest(host, port, inbox));
			int descriptor = os.receiveDescriptor(socket);
			if (descriptor < 0) {
				throw new SamException(SamError.LIBRARY,
						"the supervisor said it sent the listening socket, but" + " none arrived");
			}
			os.moveDescriptor(descriptor, STANDARD_INPUT);
			Runtime.getRuntime()
				.addShutdownHook(new Thread(InheritedListeningSocket::stopAccepting, "sam-stop-accepting"));
			return Integer.parseInt(reply.message());
		}
		finally {
			os.closeDescriptor(socket);
		}
	}

}
