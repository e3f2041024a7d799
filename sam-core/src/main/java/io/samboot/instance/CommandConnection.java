package io.samboot.instance;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
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
 * Opened like the control connection (the supervisor's user, its proof), but keyed with
 * the control connection's {@link HandshakeProofs#commandKey command key} rather than the
 * secret, then a {@link Message.CommandHello} with the instance's proof, which the
 * supervisor accepts with an OK. Non-blocking, with a selector of its own, so that a wait
 * for an answer has a deadline. Answers come in order: one that comes after its command
 * timed out is skipped by the next command. One caller at a time.
 */
final class CommandConnection implements AutoCloseable {

	private final SocketChannel channel;

	private final FrameChannel frames;

	private final FrameReader reader;

	private final Selector selector;

	private final SelectionKey key;

	/** Answers still owed to commands that timed out, skipped as they come. */
	private int lateAnswers;

	private CommandConnection(SocketChannel channel, FrameChannel frames) throws IOException {
		this.channel = channel;
		this.frames = frames;
		this.reader = frames.reader();
		channel.configureBlocking(false);
		this.selector = Selector.open();
		try {
			this.key = channel.register(this.selector, 0);
		}
		catch (IOException | RuntimeException ex) {
			this.selector.close();
			throw ex;
		}
	}

	/**
	 * Connects, makes sure the peer is the supervisor, and asks for a command connection.
	 * @param commandKey the control connection's {@link HandshakeProofs#commandKey}
	 * @param frameLimit the largest frame the supervisor may send
	 * @param deadline when to give up ({@link System#nanoTime()})
	 * @return the connection, or {@code null} when the supervisor refused it by closing
	 * it unanswered (one that keeps no command connections, such as an embedded control
	 * channel, or while it still holds the one before)
	 * @throws SamException if the peer is not the supervisor, or fails to answer in time
	 */
	static CommandConnection open(String path, int instanceId, byte[] commandKey, int frameLimit, long deadline) {
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(path));
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			SupervisorVerification.checkPeerUser(channel, path);
			HandshakeProofs proofs = SupervisorVerification.challengeUnlessClosed(channel, frames, path, instanceId,
					commandKey, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (proofs == null) {
				InstanceConnection.closeQuietly(channel);
				return null;
			}
			CommandConnection connection = new CommandConnection(channel, frames);
			Message answer;
			try {
				answer = connection.exchange(new Message.CommandHello(proofs.byInstanceForCommands(commandKey)),
						deadline, false, 0);
			}
			catch (EOFException ex) {
				connection.close();
				return null;
			}
			catch (IOException | TimeoutException ex) {
				connection.close();
				throw new SamException(SamError.LIBRARY,
						"the supervisor did not answer the request for a command connection (" + ex + ")");
			}
			if (!(answer instanceof Message.Reply reply) || !reply.isOk()) {
				connection.close();
				throw new SamException(SamError.LIBRARY,
						"the supervisor answered the request for a command connection with " + answer);
			}
			frames.frameLimit(frameLimit);
			FrameChannel.sendBufferFor(channel, frameLimit);
			return connection;
		}
		catch (IOException ex) {
			InstanceConnection.closeQuietly(channel);
			throw new SamException(SamError.LIBRARY, "cannot open a command connection at " + path + ": " + ex, ex);
		}
		catch (RuntimeException ex) {
			InstanceConnection.closeQuietly(channel);
			throw ex;
		}
	}

	/**
	 * Writes a command and reads its answer on the calling thread.
	 * @param deadline when to give up ({@link System#nanoTime()})
	 * @param watch whether to look for the answer for up to {@code watchNanos} before
	 * waiting in the selector: a small command's answer is usually back within tens of
	 * microseconds, and waking a thread whose CPU has gone idle costs more than that on a
	 * virtual machine
	 * @throws EOFException if the supervisor closed the connection before answering
	 * @throws TimeoutException if no answer came in time: its answer is skipped when it
	 * comes; if the command could not even be written whole, the connection is closed
	 */
	Message exchange(Message command, long deadline, boolean watch, long watchNanos)
			throws IOException, TimeoutException {
		ByteBuffer[] frame = MessageCodec.encodeFrame(command);
		try {
			while (this.frames.writeSome(frame)) {
				await(SelectionKey.OP_WRITE, deadline);
			}
		}
		catch (TimeoutException ex) {
			// Half a frame is on its way: nothing can follow it.
			close();
			throw ex;
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
		try {
			while (true) {
				Message answer = answerIfThere();
				if (answer != null) {
					return answer;
				}
				await(SelectionKey.OP_READ, deadline);
			}
		}
		catch (TimeoutException ex) {
			this.lateAnswers++;
			throw ex;
		}
	}

	/** The next answer that belongs to a command still waiting, if it has come. */
	private Message answerIfThere() throws IOException {
		while (true) {
			Message answer = this.reader.poll();
			if (answer == null) {
				if (this.reader.ended()) {
					throw new EOFException("the supervisor closed the command connection");
				}
				return null;
			}
			if (this.lateAnswers == 0) {
				return answer;
			}
			this.lateAnswers--;
		}
	}

	private void await(int operation, long deadline) throws IOException, TimeoutException {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new TimeoutException();
		}
		try {
			this.key.interestOps(operation);
			// Rounded up: select(0) would wait for ever.
			this.selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			this.selector.selectedKeys().clear();
		}
		catch (ClosedSelectorException | CancelledKeyException ex) {
			// Closed by another thread (the connection is being closed).
			throw new ClosedChannelException();
		}
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() {
		InstanceConnection.closeQuietly(this.channel);
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// Only releases a file descriptor.
		}
	}

}
