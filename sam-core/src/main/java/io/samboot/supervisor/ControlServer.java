package io.samboot.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;

/**
 * The supervisor's end of the control channel: a Unix socket in a
 * {@link ControlDirectory} only this user can enter, accepting one authenticated
 * connection per instance it launched: the active instance and, with a hot standby, the
 * standby.
 *
 * <p>
 * Each new connection gets a thread of its own for the {@link ControlHandshake} (at most
 * {@link #MAX_PENDING} at once), which ends with it. An admitted instance's
 * {@link PeerConnection} goes to the {@link SupervisorInbox}: from then on the loop's own
 * thread reads its frames. A second connection for an instance that is connected is
 * refused, unless it asks to be that instance's command connection
 * ({@link Message.CommandHello}) and proves the same secret; supervision is not affected
 * by any refusal.
 */
final class ControlServer implements ControlChannel {

	/**
	 * Connections still in their handshake at once; more are refused, so a flood cannot
	 * pile up threads.
	 */
	private static final int MAX_PENDING = 8;

	private final SamLog log;

	private final Path directory;

	private final Path socket;

	private final ServerSocketChannel server;

	private final SupervisorInbox inbox;

	private final ControlHandshake handshake;

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger connectionNumbers = new AtomicInteger();

	/** The admitted connections, by instance id. */
	private final Map<Integer, PeerConnection> peers = new ConcurrentHashMap<>();

	/**
	 * What each connected instance's command connection must prove, as an expectation
	 * whose secret is that instance's {@link HandshakeProofs#commandKey command key}:
	 * derived from its control connection's nonces, which no one else has seen.
	 */
	private final Map<Integer, ExpectedInstance> commandKeys = new ConcurrentHashMap<>();

	private volatile int frameLimit = FrameChannel.HANDSHAKE_FRAME_LIMIT;

	private volatile boolean closed;

	private ControlServer(Path directory, SupervisorInbox inbox, SamLog log) throws IOException {
		this.log = log;
		this.directory = directory;
		this.socket = ControlDirectory.socketIn(directory);
		this.inbox = inbox;
		DirectoryOwner owner = DirectoryOwner.of(directory);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socket));
		this.handshake = new ControlHandshake(owner, log);
	}

	/**
	 * Creates the private directory, binds the socket in it and starts accepting.
	 * @param inbox where admitted connections go, to be read by the thread that takes the
	 * inbox's events
	 */
	static ControlServer open(SupervisorInbox inbox) throws IOException {
		return open(inbox, SamLog.get(ControlServer.class));
	}

	/**
	 * As {@link #open(SupervisorInbox)}, logging to {@code log} (tests read what is
	 * refused).
	 */
	static ControlServer open(SupervisorInbox inbox, SamLog log) throws IOException {
		Path directory = ControlDirectory.create(log);
		ControlDirectory.removeStaleBeside(directory);
		return openIn(directory, inbox, log);
	}

	/**
	 * As {@link #open(SupervisorInbox)}, in a directory made by
	 * {@link ControlDirectory#create} (by the JVM this process was before it became the
	 * lean supervisor, see {@link SupervisorReexec}).
	 */
	static ControlServer openIn(Path directory, SupervisorInbox inbox, SamLog log) throws IOException {
		return openIn(directory, inbox, log, (server) -> {
		});
	}

	/**
	 * As {@link #openIn(Path, SupervisorInbox, SamLog)}, calling {@code beforeAccepting}
	 * once the socket is bound and before the first connection is accepted: instance 1,
	 * launched before this JVM took over, connects as soon as the socket appears, and
	 * must find itself expected.
	 */
	static ControlServer openIn(Path directory, SupervisorInbox inbox, SamLog log,
			Consumer<ControlServer> beforeAccepting) throws IOException {
		// Again in the lean JVM: the execve let go of the lock its creator took.
		ControlDirectory.hold(directory);
		ControlServer server = new ControlServer(directory, inbox, log);
		beforeAccepting.accept(server);
		Thread acceptor = new Thread(server::acceptLoop, "sam-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return server;
	}

	@Override
	public String socketPath() {
		return this.socket.toString();
	}

	/**
	 * The next connection for this instance must prove this secret and come from it; a
	 * connection still open under its id, if any, is closed (its process has ended).
	 */
	@Override
	public void expect(int instanceId, byte[] secret) {
		this.handshake.expect(instanceId, secret);
		this.commandKeys.remove(instanceId);
		PeerConnection peer = this.peers.remove(instanceId);
		if (peer != null) {
			peer.close();
		}
	}

	/** The PID of the expected instance, known once it is spawned. */
	@Override
	public void expectPid(int instanceId, long pid) {
		this.handshake.expectPid(instanceId, pid);
	}

	/** Sets the largest frame an instance may send, once its data limit is known. */
	@Override
	public void frameLimit(long dataStoreMaxSize) {
		this.frameLimit = (int) Math.min(Integer.MAX_VALUE - 16, dataStoreMaxSize + FrameChannel.FRAME_OVERHEAD);
		for (PeerConnection peer : this.peers.values()) {
			peer.frameLimit(this.frameLimit);
			PeerConnection commands = peer.commands();
			if (commands != null) {
				commands.frameLimit(this.frameLimit);
			}
		}
	}

	/**
	 * Writes a message to an instance now, as far as its socket takes it without
	 * blocking, and queues the rest for the writer thread; dropped when that instance is
	 * not connected.
	 */
	@Override
	public void send(int instanceId, Message message) {
		PeerConnection peer = this.peers.get(instanceId);
		if (peer != null) {
			peer.send(message);
		}
	}

	/**
	 * Whether frames for this instance wait for the writer thread (its socket did not
	 * take them at once); tests.
	 */
	boolean hasPendingWrites(int instanceId) {
		PeerConnection peer = this.peers.get(instanceId);
		return peer != null && peer.hasPending();
	}

	@Override
	public void dataSink(DataSink sink) {
		this.inbox.dataSink(sink);
	}

	/**
	 * Closes the channel of an instance that has ended; a secret it never used is
	 * forgotten.
	 */
	@Override
	public void disconnect(int instanceId) {
		this.handshake.forget(instanceId);
		this.commandKeys.remove(instanceId);
		PeerConnection peer = this.peers.remove(instanceId);
		if (peer != null) {
			peer.close();
		}
	}

	/** Whether the instance has a command connection open now. */
	boolean hasCommandConnection(int instanceId) {
		PeerConnection peer = this.peers.get(instanceId);
		PeerConnection commands = (peer != null) ? peer.commands() : null;
		return commands != null && commands.isOpen();
	}

	@Override
	public void close() {
		this.closed = true;
		this.peers.values().forEach(PeerConnection::close);
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing is best effort: the files are removed below either way.
		}
		this.handshake.close();
		try {
			ControlDirectory.remove(this.directory);
		}
		catch (IOException ex) {
			this.log.warn("could not remove the control socket " + this.socket + ": " + ex.getMessage());
		}
	}

	private void acceptLoop() {
		AcceptFailures failures = new AcceptFailures(this.log);
		while (!this.closed) {
			SocketChannel channel;
			try {
				channel = this.server.accept();
			}
			catch (IOException ex) {
				if (this.closed || !this.server.isOpen()) {
					return; // closed: the only way this loop ends
				}
				// Out of descriptors (EMFILE) or another transient failure: the
				// connection stays in the backlog, so wait and accept it later.
				if (!pause(failures.failed(ex))) {
					return;
				}
				continue;
			}
			failures.accepted();
			if (this.pending.incrementAndGet() > MAX_PENDING) {
				this.pending.decrementAndGet();
				this.handshake.refuse(channel, "more than " + MAX_PENDING + " connections are waiting to authenticate");
				continue;
			}
			int number = this.connectionNumbers.incrementAndGet();
			Thread handshake = new Thread(() -> serve(channel), "sam-connection-" + number);
			handshake.setDaemon(true);
			handshake.start();
		}
	}

	/** Waits before the next accept; {@code false} if interrupted (closing). */
	private static boolean pause(long millis) {
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * A connection's thread: the handshake, which hands an admitted instance's connection
	 * to the inbox.
	 */
	private void serve(SocketChannel channel) {
		FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
		ScheduledFuture<?> deadline = this.handshake.deadline(channel);
		try {
			admit(channel, frames);
		}
		finally {
			deadline.cancel(false);
			this.pending.decrementAndGet();
		}
	}

	/**
	 * Runs the handshake; hands the admitted instance's connection to the inbox, or
	 * refuses the connection.
	 */
	private void admit(SocketChannel channel, FrameChannel frames) {
		Message.Challenge challenge = this.handshake.readChallenge(channel, frames);
		if (challenge == null) {
			return;
		}
		PeerConnection connected = this.peers.get(challenge.instanceId());
		if (connected != null && connected.isOpen()) {
			admitCommands(channel, frames, challenge, connected);
			return;
		}
		HandshakeProofs proofs = this.handshake.answer(channel, frames, challenge);
		if (proofs == null) {
			return;
		}
		Message.Hello hello = this.handshake.readHello(channel, frames);
		if (hello == null || !this.handshake.isExpected(channel, hello, proofs)) {
			return;
		}
		synchronized (this) {
			ExpectedInstance admitted = this.handshake.claim(channel, hello, proofs);
			if (admitted == null) {
				return;
			}
			PeerConnection current = this.peers.get(admitted.instanceId());
			if (current != null && current.isOpen()) {
				refuseSecondConnection(channel, current);
				return;
			}
			frames.frameLimit(this.frameLimit);
			PeerConnection peer;
			try {
				peer = new PeerConnection(admitted.instanceId(), channel, frames, this.inbox::wakeup);
			}
			catch (IOException ex) {
				this.handshake.refuse(channel, "cannot make the connection non-blocking: " + ex.getMessage());
				return;
			}
			this.peers.put(admitted.instanceId(), peer);
			this.commandKeys.put(admitted.instanceId(),
					new ExpectedInstance(admitted.instanceId(), proofs.commandKey(admitted.secret())));
			this.inbox.admit(peer, new SupervisorEvent.Connected(admitted.instanceId(), hello));
		}
	}

	/**
	 * A second connection of a connected instance: admitted as its command connection if
	 * it proves the command key of the instance's control connection (not the secret: a
	 * process that read the secret from the instance's environment does not have it), the
	 * instance has none yet, and data stores are kept as they are read (else there would
	 * be no one to answer them on it); refused otherwise, before any proof is given.
	 */
	private void admitCommands(SocketChannel channel, FrameChannel frames, Message.Challenge challenge,
			PeerConnection connected) {
		if (!this.inbox.keepsDataStores()) {
			// An embedded channel: the instance asks once and stores on its control
			// connection.
			this.log.info("instance " + connected.instanceId() + " asked for a command connection; this control"
					+ " channel keeps none, so its data stores stay on its control connection");
			ControlHandshake.closeQuietly(channel);
			return;
		}
		ExpectedInstance key = this.commandKeys.get(connected.instanceId());
		PeerConnection commands = connected.commands();
		if (key == null || (commands != null && commands.isOpen())) {
			refuseSecondConnection(channel, connected);
			return;
		}
		HandshakeProofs proofs = this.handshake.answer(channel, frames, challenge, key);
		if (proofs == null || !this.handshake.readCommandHello(channel, frames, proofs, key)) {
			return;
		}
		frames.frameLimit(this.frameLimit);
		PeerConnection attached;
		try {
			attached = connected.attachCommands(channel, frames, this.inbox::wakeup);
			if (attached == null) {
				refuseSecondConnection(channel, connected);
				return;
			}
			FrameChannel.sendBufferFor(channel, this.frameLimit);
			attached.send(Message.Reply.ok());
		}
		catch (IOException ex) {
			this.handshake.refuse(channel, "cannot make the connection non-blocking: " + ex.getMessage());
			return;
		}
		this.inbox.admitCommands(attached);
	}

	private void refuseSecondConnection(SocketChannel channel, PeerConnection connected) {
		this.handshake.refuse(channel,
				"instance " + connected.instanceId() + " is already connected (a second connection)");
	}

}
