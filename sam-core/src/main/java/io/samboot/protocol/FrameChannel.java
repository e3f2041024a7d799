package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * Frames on a blocking byte channel: a 4-byte big-endian length, then that many bytes of
 * {@link MessageCodec message}. The length is checked against a bound before anything is
 * allocated; a frame that ends early is an error, an end of stream between frames is a
 * clean close.
 *
 * <p>
 * Reading and writing may happen on two threads at once; two writers must not.
 *
 * <p>
 * The data of a {@link Message.DataStore} is read straight into the array the message
 * carries and written from the caller's array (a gathering write), so a megabyte is not
 * copied on the way. On a non-blocking channel, reads wait with the {@link ReadWait}
 * given to {@link #readWait}.
 */
public final class FrameChannel {

	/**
	 * Largest frame before the peer is known (a {@link Message.Hello} with its settings).
	 */
	public static final int HANDSHAKE_FRAME_LIMIT = 64 * 1024;

	/** Room for everything in a frame besides the stored data. */
	public static final int FRAME_OVERHEAD = 64 * 1024;

	/**
	 * Largest socket send buffer asked for: room for a whole frame of stored data, within
	 * reason.
	 */
	public static final int SEND_BUFFER_LIMIT = 4 * 1024 * 1024;

	/**
	 * Frames up to this long are read whole; longer ones first by their type and data
	 * length.
	 */
	private static final int SMALL_FRAME = 256;

	private final ByteChannel channel;

	/**
	 * The length, and the first bytes of the body: a data store's type and data length.
	 */
	private final ByteBuffer header = ByteBuffer.allocate(4);

	private final ByteBuffer lead = ByteBuffer.allocate(5);

	private volatile int frameLimit;

	private volatile ReadWait readWait;

	/** How a reader waits on a non-blocking channel until it may read again. */
	@FunctionalInterface
	public interface ReadWait {

		/** Returns when the channel may have bytes (or has closed); a read follows. */
		void await() throws IOException;

	}

	public FrameChannel(ByteChannel channel, int frameLimit) {
		this.channel = channel;
		this.frameLimit = frameLimit;
	}

	/**
	 * Changes the largest frame accepted, once the peer is known and its data limit is.
	 */
	public void frameLimit(int frameLimit) {
		this.frameLimit = frameLimit;
	}

	/**
	 * For a channel switched to non-blocking mode: how {@link #read()} waits when nothing
	 * is there.
	 */
	public void readWait(ReadWait wait) {
		this.readWait = wait;
	}

	/**
	 * Reads the next message.
	 * @return the message, or {@code null} when the peer closed the channel between
	 * frames
	 * @throws ProtocolException for a frame that is empty, too long, truncated or not a
	 * valid message
	 */
	public Message read() throws IOException {
		this.header.clear();
		if (!fill(this.header, true)) {
			return null;
		}
		int length = this.header.flip().getInt();
		if (length <= 0 || length > this.frameLimit) {
			throw new ProtocolException(
					"frame length " + Integer.toUnsignedString(length) + " outside 1.." + this.frameLimit);
		}
		if (length <= SMALL_FRAME) {
			// Every frame but a data store's or a status: one read for the whole body.
			ByteBuffer body = ByteBuffer.allocate(length);
			fill(body, false);
			return MessageCodec.decode(body.array());
		}
		this.lead.clear();
		fill(this.lead, false);
		this.lead.flip();
		int type = this.lead.get(0) & 0xff;
		int dataLength = this.lead.getInt(1);
		if (type == MessageCodec.DATA_STORE && dataLength == length - this.lead.capacity()) {
			// The data is the rest of the frame: read it into the array the message
			// keeps, not into a body to copy.
			ByteBuffer data = ByteBuffer.allocate(dataLength);
			fill(data, false);
			return new Message.DataStore(data.array());
		}
		ByteBuffer body = ByteBuffer.allocate(length);
		body.put(this.lead);
		fill(body, false);
		return MessageCodec.decode(body.array());
	}

	/**
	 * Writes one message as one frame, blocking until it is written (a blocking channel).
	 */
	public void write(Message message) throws IOException {
		ByteBuffer[] frame = MessageCodec.encodeFrame(message);
		while (writeSome(frame)) {
			// A blocking channel writes everything; a channel that takes part of it is
			// asked again.
		}
	}

	/**
	 * Writes as much of a frame from {@link MessageCodec#encodeFrame} as the channel
	 * takes now (all of it on a blocking channel).
	 * @return whether bytes remain to be written
	 */
	public boolean writeSome(ByteBuffer[] frame) throws IOException {
		if (frame.length == 1) {
			// Most frames: a plain write, which costs the JDK less than a gathering one.
			ByteBuffer only = frame[0];
			while (only.hasRemaining()) {
				if (this.channel.write(only) == 0) {
					return true;
				}
			}
			return false;
		}
		if (this.channel instanceof GatheringByteChannel gathering) {
			gathering.write(frame);
			return remaining(frame);
		}
		for (ByteBuffer buffer : frame) {
			while (buffer.hasRemaining()) {
				if (this.channel.write(buffer) == 0) {
					return true;
				}
			}
		}
		return false;
	}

	/** Whether any buffer of a frame still has bytes to write. */
	public static boolean remaining(ByteBuffer[] frame) {
		for (ByteBuffer buffer : frame) {
			if (buffer.hasRemaining()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Asks the kernel for a socket send buffer that holds a whole frame of this size (up
	 * to {@link #SEND_BUFFER_LIMIT}; the kernel caps it at {@code net.core.wmem_max}), so
	 * a large data frame is written in one go rather than in rounds of waking the reader.
	 * Best effort.
	 */
	public static void sendBufferFor(java.nio.channels.NetworkChannel channel, int frameBytes) {
		try {
			int wanted = Math.min(frameBytes, SEND_BUFFER_LIMIT);
			if (channel.getOption(java.net.StandardSocketOptions.SO_SNDBUF) < wanted) {
				channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, wanted);
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Only slower: the frame is written in several rounds.
		}
	}

	public void close() throws IOException {
		this.channel.close();
	}

	public boolean isOpen() {
		return this.channel.isOpen();
	}

	private boolean fill(ByteBuffer buffer, boolean cleanEndAllowed) throws IOException {
		while (buffer.hasRemaining()) {
			int count = this.channel.read(buffer);
			if (count == 0 && this.readWait != null) {
				this.readWait.await();
				continue;
			}
			if (count < 0) {
				if (cleanEndAllowed && buffer.position() == 0) {
					return false;
				}
				throw new EOFException(
						"frame truncated after " + buffer.position() + " of " + buffer.capacity() + " bytes");
			}
		}
		return true;
	}

}
