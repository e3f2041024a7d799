package io.samboot.supervisor;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

import io.samboot.log.SamLog;
import io.samboot.protocol.Message;

/**
 * The supervisor's end of the control channel without the supervisor loop, for a caller
 * that plays the loop itself: the round-trip benchmark, or a tool embedding the channel.
 * It is the real {@code ControlServer} (private socket directory, handshake, frames
 * written from the calling thread with the writer-thread fallback) and the loop's own
 * {@code SupervisorInbox}, whose caller reads the instance's socket itself, so a message
 * crosses exactly the threads it crosses under the real supervisor. Applications never
 * need it: {@link io.samboot.Sam} supervises for them.
 *
 * <p>
 * The caller launches the instance: after {@link #expect}, it hands the instance
 * {@link #socketPath()}, the instance id and the secret through the variables of
 * {@link io.samboot.protocol.Handoff}, then calls {@link #expectPid}. Then it answers
 * what the instance sends, as the loop would: a {@link Message.Welcome} for the hello, a
 * reply for each command. Not a stable API: it follows the control channel's internals.
 */
public final class EmbeddedControlServer implements AutoCloseable {

	private final SupervisorInbox events;

	private final ControlServer server;

	private EmbeddedControlServer() throws IOException {
		SamLog log = SamLog.get(ControlServer.class);
		this.events = SupervisorInbox.open(log);
		try {
			this.server = ControlServer.open(this.events, log);
		}
		catch (IOException | RuntimeException ex) {
			this.events.close();
			throw ex;
		}
	}

	/**
	 * Creates the private directory, binds the socket in it and starts accepting; logs as
	 * the supervisor does.
	 */
	public static EmbeddedControlServer open() throws IOException {
		return new EmbeddedControlServer();
	}

	/** The socket the instance connects to. */
	public String socketPath() {
		return this.server.socketPath();
	}

	/**
	 * The next connection must prove this secret and say it is instance
	 * {@code instanceId}; a connected instance is disconnected.
	 */
	public void expect(int instanceId, byte[] secret) {
		this.server.expect(instanceId, secret);
	}

	/**
	 * The expected instance's PID, once it is spawned: a hello from another PID is
	 * refused.
	 */
	public void expectPid(int instanceId, long pid) {
		this.server.expectPid(instanceId, pid);
	}

	/**
	 * Lets the instance send frames as large as its data limit (from its hello's
	 * settings) needs.
	 */
	public void frameLimit(long dataStoreMaxSize) {
		this.server.frameLimit(dataStoreMaxSize);
	}

	/**
	 * Writes a message to the instance from the calling thread, as far as its socket
	 * takes it now; the rest goes to a writer thread. Dropped when that instance is not
	 * connected.
	 */
	public void send(int instanceId, Message message) {
		this.server.send(instanceId, message);
	}

	/**
	 * Waits for what the instance does next, taken as the loop takes it: this thread
	 * reads the instance's socket while it waits. Call from one thread at a time.
	 * @return the instance's {@link Message.Hello} once it has passed the handshake, then
	 * each message it sends, in order; {@code null} when nothing came within the timeout
	 * @throws ClosedChannelException when the instance's channel has closed (it exited,
	 * or sent a malformed frame)
	 */
	public Message next(long timeout, TimeUnit unit) throws InterruptedException, ClosedChannelException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		SupervisorEvent event = this.events.next(unit.toNanos(timeout));
		while (event == null) {
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			event = this.events.next(left);
		}
		if (event instanceof SupervisorEvent.Received received) {
			return received.message();
		}
		if (event instanceof SupervisorEvent.Connected connected) {
			return connected.hello();
		}
		if (event instanceof SupervisorEvent.Disconnected) {
			throw new ClosedChannelException();
		}
		throw new IllegalStateException("the control server reported " + event);
	}

	/**
	 * Closes the instance's connection and the socket, and removes the private directory.
	 */
	@Override
	public void close() {
		this.server.close();
		this.events.close();
	}

}
