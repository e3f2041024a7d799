package io.samboot.instance;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.FrameReader;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;

/**
 * The instance's second connection to its supervisor, for data stores: the caller writes
 * its store and reads the answer itself, as corosync's child reads its own pipe, so the
 * answer wakes the caller and no other thread. On the control connection the answer would
 * reach the reader thread first, which then wakes the caller.
 *
 * <p>
 * Opened like the control connection (the supervisor's user, its proof of the secret),
 * then a {@link Message.CommandHello} with the instance's proof, which the supervisor
 * accepts with an OK. Non-blocking, with a selector of its own, so that a wait for an
 * answer has a deadline. One caller at a time.
 */
final class CommandConnection implements AutoCloseable {

	private final SocketChannel channel;

	private final FrameChannel frames;

	private final FrameReader reader;

	private final Selector selector;

	private final SelectionKey key;

	private CommandConnection(SocketChannel channel, FrameChannel frames) throws IOException {
		this.channel = channel;
		this.frames = frames;
		this.reader = frames.reader();
		channel.configureBlocking(false);
		this.selector = Selector.open();
		this.key = channel.register(this.selector, 0);
	}

	/**
	 * Connects, makes sure the peer is the supervisor, and asks for a command connection.
	 * @param frameLimit the largest frame the supervisor may send
	 * @throws SamException if the peer is not the supervisor, or refuses (an older or an
	 * embedded supervisor may), or does not answer within {@code timeout}
	 */
	static CommandConnection open(String path, int instanceId, byte[] secret, int frameLimit, Duration timeout) {
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(path));
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			SupervisorVerification.checkPeerUser(channel, path);
			HandshakeProofs proofs;
			try {
				proofs = SupervisorVerification.challenge(channel, frames, path, instanceId, secret, timeout);
			}
			catch (SamException ex) {
				// A supervisor that keeps no command connection (an embedded channel)
				// closes this one unanswered, as it would any second connection.
				throw new SamException(SamError.LIBRARY,
						"the supervisor did not open a command connection (" + ex.getMessage() + ")");
			}
			CommandConnection connection = new CommandConnection(channel, frames);
			Message answer;
			try {
				answer = connection.exchange(new Message.CommandHello(proofs.byInstanceForCommands(secret)), timeout,
						false);
			}
			catch (IOException | TimeoutException ex) {
				connection.close();
				throw new SamException(SamError.LIBRARY, "the supervisor did not open a command connection ("
						+ ((ex instanceof EOFException) ? "it closed it" : ex.toString()) + ")");
			}
			if (!(answer instanceof Message.Reply reply) || !reply.isOk()) {
				connection.close();
				throw new SamException(SamError.LIBRARY, "the supervisor answered the command hello with " + answer);
			}
			frames.frameLimit(frameLimit);
			FrameChannel.sendBufferFor(channel, frameLimit);
			return connection;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new SamException(SamError.LIBRARY, "cannot open a command connection at " + path + ": " + ex, ex);
		}
		catch (SamException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	/**
	 * Writes a command and reads its answer on the calling thread.
	 * @param watch whether to look for the answer for up to {@code watchNanos} before
	 * waiting in the selector: a small command's answer is usually back within tens of
	 * microseconds, and waking a thread whose CPU has gone idle costs more than that on a
	 * virtual machine
	 * @throws EOFException if the supervisor closed the connection before answering
	 * @throws TimeoutException if no answer came within {@code timeout}; the connection
	 * must then be closed, since its answer may still come
	 */
	Message exchange(Message command, Duration timeout, boolean watch, long watchNanos)
			throws IOException, TimeoutException {
		long deadline = System.nanoTime() + timeout.toNanos();
		ByteBuffer[] frame = MessageCodec.encodeFrame(command);
		while (this.frames.writeSome(frame)) {
			await(SelectionKey.OP_WRITE, deadline);
		}
		if (watch) {
			long until = System.nanoTime() + watchNanos;
			do {
				Message answer = answerIfThere();
				if (answer != null) {
					return answer;
				}
				Thread.onSpinWait();
			}
			while (System.nanoTime() - until < 0);
		}
		while (true) {
			Message answer = answerIfThere();
			if (answer != null) {
				return answer;
			}
			await(SelectionKey.OP_READ, deadline);
		}
	}

	private Message exchange(Message command, Duration timeout, boolean watch) throws IOException, TimeoutException {
		return exchange(command, timeout, watch, 0);
	}

	private Message answerIfThere() throws IOException {
		Message answer = this.reader.poll();
		if (answer == null && this.reader.ended()) {
			throw new EOFException("the supervisor closed the command connection");
		}
		return answer;
	}

	private void await(int operation, long deadline) throws IOException, TimeoutException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new TimeoutException();
		}
		this.key.interestOps(operation);
		// Rounded up: select(0) would wait for ever.
		this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
		this.selector.selectedKeys().clear();
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() {
		closeQuietly(this.channel);
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// Only releases a file descriptor.
		}
	}

	private static void closeQuietly(SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// Nothing more to do with a connection given up.
			}
		}
	}

}
