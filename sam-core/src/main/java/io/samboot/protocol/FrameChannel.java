package io.samboot.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectableChannel;

/**
 * Frames on a blocking byte channel: a 4-byte big-endian length, then that many bytes of
 * {@link MessageCodec message}, read by a {@link FrameReader}.
 *
 * <p>
 * Reading and writing may happen on two threads at once; two writers must not.
 *
 * <p>
 * The data of a {@link Message.DataStore} is read straight into the array the message
 * carries and written from the caller's array (a gathering write), so a megabyte is not
 * copied on the way. {@link #writeSome} also serves a non-blocking channel, writing what
 * it takes now.
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
	 * Frames up to this long are copied into a direct buffer of the channel's own before
	 * they are written.
	 */
	static final int STAGED_FRAME_BYTES = 4 * 1024;

	private final ByteChannel channel;

	private final FrameReader reader;

	/**
	 * Where a small frame is written from: given a heap buffer, the JDK would copy it
	 * into a temporary direct buffer of the thread's, looked up at every write. Made at
	 * the first write; the writer's alone.
	 */
	private ByteBuffer staged;

	public FrameChannel(ByteChannel channel, int frameLimit) {
		this.channel = channel;
		this.reader = new FrameReader(channel, frameLimit);
	}

	/**
	 * Changes the largest frame accepted, once the peer is known and its data limit is.
	 */
	public void frameLimit(int frameLimit) {
		this.reader.frameLimit(frameLimit);
	}

	/**
	 * The reader behind {@link #read()}, for a caller that reads the channel without
	 * blocking once it is non-blocking.
	 */
	public FrameReader reader() {
		return this.reader;
	}

	/**
	 * Reads the next message.
	 * @return the message, or {@code null} when the peer closed the channel between
	 * frames
	 * @throws ProtocolException for a frame that is empty, too long, truncated or not a
	 * valid message
	 * @throws IllegalStateException on a non-blocking channel, where waiting would spin:
	 * take what is there with {@link #reader()}{@code .poll()} instead
	 */
	public Message read() throws IOException {
		if (this.channel instanceof SelectableChannel selectable && !selectable.isBlocking()) {
			throw new IllegalStateException("read() waits for a whole message, which a non-blocking channel would"
					+ " make a busy loop; take what is there with reader().poll()");
		}
		while (true) {
			Message message = this.reader.poll();
			if (message != null || this.reader.ended()) {
				return message;
			}
			// A channel that gives nothing now (not a selectable one) is asked again.
		}
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
		long bytes = remainingBytes(frame);
		if (bytes <= STAGED_FRAME_BYTES) {
			return writeStaged(frame);
		}
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

	/**
	 * Writes a small frame, or what is left of one, from the direct buffer, and moves the
	 * frame's own buffers past what the channel took.
	 */
	private boolean writeStaged(ByteBuffer[] frame) throws IOException {
		ByteBuffer out = this.staged;
		if (out == null) {
			out = ByteBuffer.allocateDirect(STAGED_FRAME_BYTES);
			this.staged = out;
		}
		out.clear();
		for (ByteBuffer buffer : frame) {
			out.put(out.position(), buffer, buffer.position(), buffer.remaining());
			out.position(out.position() + buffer.remaining());
		}
		out.flip();
		while (out.hasRemaining()) {
			if (this.channel.write(out) == 0) {
				break;
			}
		}
		int written = out.position();
		for (ByteBuffer buffer : frame) {
			int taken = Math.min(written, buffer.remaining());
			buffer.position(buffer.position() + taken);
			written -= taken;
		}
		return out.hasRemaining();
	}

	private static long remainingBytes(ByteBuffer[] frame) {
		long bytes = 0;
		for (ByteBuffer buffer : frame) {
			bytes += buffer.remaining();
		}
		return bytes;
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

}
