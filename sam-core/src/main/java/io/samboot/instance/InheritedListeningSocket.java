package io.samboot.instance;

import java.io.IOException;
import java.nio.channels.Channel;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

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

	private static final Set<Runnable> BEFORE_STOP_ACCEPTING = new CopyOnWriteArraySet<>();

	/**
	 * Where the socket was adopted through; {@code null} before, and then no shutdown
	 * hook was added either. Guarded by the class.
	 */
	private static NativeAccess adoptedBy;

	private InheritedListeningSocket() {
	}

	/**
	 * Closes this process's descriptor of the shared socket as soon as it begins to stop
	 * (a warning signal, SIGTERM, {@code System.exit}): the socket stays open in the
	 * supervisor and the other instance, which now accept every new connection, while
	 * this one finishes the requests it has. Without it a web server that stops slowly,
	 * or a hung one, would go on taking connections it will never answer.
	 *
	 * <p>
	 * Closing the inherited channel makes the JDK point descriptors 0, 1 and 2 at
	 * {@code /dev/null} (an inetd-style channel is all three), which took the stopping
	 * instance's console with it: its graceful shutdown, errors and a thread dump on
	 * SIGQUIT were written nowhere. Standard output and error are copied first and put
	 * back right after; what another thread writes to them in the microseconds between is
	 * lost. Where they cannot be copied (no descriptor free, a stream already closed),
	 * the channel closes anyway.
	 *
	 * <p>
	 * Runs once, from the first caller: the JVM's shutdown hook, or before it a framework
	 * that knows the process is stopping before its web server does (Spring at
	 * {@code ContextClosedEvent}; Jetty closes the channel itself when it stops, and
	 * would otherwise take the console with it). Nothing once no socket was adopted.
	 */
	public static synchronized void stopAccepting() {
		NativeAccess os = adoptedBy;
		if (os == null) {
			return;
		}
		Channel inherited;
		try {
			inherited = System.inheritedChannel();
		}
		catch (IOException ex) {
			return;
		}
		if (inherited == null || !inherited.isOpen()) {
			// Closed already: by an earlier call (this one runs once), or by the web
			// server itself.
			return;
		}
		for (Runnable action : BEFORE_STOP_ACCEPTING) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				// Only quiets a log: the socket closes all the same.
			}
		}
		StandardStreams kept = StandardStreams.keep(os);
		try {
			inherited.close();
		}
		catch (IOException ex) {
			// The process is stopping: nothing more to do.
		}
		finally {
			kept.restore();
		}
	}

	/**
	 * Runs {@code action} right before this process stops accepting, once for each action
	 * however often it is added: a web server whose acceptor thread logs an error when
	 * its blocked {@code accept} is ended this way (Tomcat) is quieted here, since the
	 * accepting thread cannot be stopped otherwise without taking, and dropping, one more
	 * connection of the shared socket.
	 */
	public static void beforeStopAccepting(Runnable action) {
		BEFORE_STOP_ACCEPTING.add(action);
	}

	/** One shutdown hook, however often a socket is adopted. */
	private static synchronized void stopAcceptingAtExit(NativeAccess os) {
		if (adoptedBy == null) {
			Runtime.getRuntime()
				.addShutdownHook(new Thread(InheritedListeningSocket::stopAccepting, "sam-stop-accepting"));
		}
		adoptedBy = os;
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
			stopAcceptingAtExit(os);
			return Integer.parseInt(reply.message());
		}
		finally {
			os.closeDescriptor(socket);
		}
	}

}
