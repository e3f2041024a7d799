package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Puts frames together from what a channel gives, a piece at a time: a 4-byte big-endian
 * length, then that many bytes of {@link MessageCodec message}. On a non-blocking channel
 * {@link #poll} takes only what is there and keeps a frame it could not finish for the
 * next call, so a thread that serves other work as well never waits for a peer that
 * stopped half-way through a frame; on a blocking channel it returns only with a whole
 * message or at the end.
 *
 * <p>
 * The length is checked against a bound before anything is allocated; a frame that ends
 * early is an error, an end of stream between frames is a clean close. The data of a
 * {@link Message.DataStore} is read straight into the array the message carries, so a
 * megabyte is not copied on the way. One thread reads at a time.
 */
public final class FrameReader {

	/**
	 * Frames up to this long are read whole; longer ones first by their type and data
	 * length.
	 */
	private static final int SMALL_FRAME = 256;

	private final ReadableByteChannel channel;

	private final ByteBuffer header = ByteBuffer.allocate(4);

	/** The first bytes of a long frame's body: a data store's type and data length. */
	private final ByteBuffer lead = ByteBuffer.allocate(5);

	/** The length of the frame being read; -1 while its header is. */
	private int length = -1;

	/**
	 * What the rest of the frame is read into: its body, or only a data store's data;
	 * {@code null} while a long frame's lead is read.
	 */
	private ByteBuffer body;

	private boolean dataOnly;

	private boolean ended;

	private volatile int frameLimit;

	public FrameReader(ReadableByteChannel channel, int frameLimit) {
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
	 * Whether the peer closed the channel between two frames; {@link #poll} then returns
	 * {@code null} for good.
	 */
	public boolean ended() {
		return this.ended;
	}

	/**
	 * Reads what the channel gives now and returns the next whole message.
	 * @return the message, or {@code null} when the rest of the frame has not arrived yet
	 * (a non-blocking channel) or the peer closed the channel between frames
	 * ({@link #ended()})
	 * @throws ProtocolException for a frame that is empty, too long or not a valid
	 * message
	 * @throws EOFException for a frame that ends early
	 */
	public Message poll() throws IOException {
		if (this.ended) {
			return null;
		}
		if (this.length < 0) {
			if (!fill(this.header, true)) {
				return null;
			}
			beginFrame(this.header.flip().getInt());
		}
		if (this.body == null) {
			if (!fill(this.lead, false)) {
				return null;
			}
			beginLongBody();
		}
		if (!fill(this.body, false)) {
			return null;
		}
		byte[] bytes = this.body.array();
		boolean data = this.dataOnly;
		this.length = -1;
		this.body = null;
		this.dataOnly = false;
		this.header.clear();
		return data ? new Message.DataStore(bytes) : MessageCodec.decode(bytes);
	}

	private void beginFrame(int frameLength) throws ProtocolException {
		if (frameLength <= 0 || frameLength > this.frameLimit) {
			throw new ProtocolException(
					"frame length " + Integer.toUnsignedString(frameLength) + " outside 1.." + this.frameLimit);
		}
		this.length = frameLength;
		this.lead.clear();
		// Every frame but a data store's or a status is read whole, in one read.
		this.body = (frameLength <= SMALL_FRAME) ? ByteBuffer.allocate(frameLength) : null;
	}

	private void beginLongBody() {
		this.lead.flip();
		int type = this.lead.get(0) & 0xff;
		int dataLength = this.lead.getInt(1);
		if (type == MessageCodec.DATA_STORE && dataLength == this.length - this.lead.capacity()) {
			// The data is the rest of the frame: read it into the array the message
			// keeps, not into a body to copy.
			this.body = ByteBuffer.allocate(dataLength);
			this.dataOnly = true;
		}
		else {
			this.body = ByteBuffer.allocate(this.length);
			this.body.put(this.lead);
		}
	}

	/**
	 * Reads into the buffer until it is full ({@code true}) or the channel has nothing
	 * more now ({@code false}).
	 */
	private boolean fill(ByteBuffer buffer, boolean cleanEndAllowed) throws IOException {
		while (buffer.hasRemaining()) {
			int count = this.channel.read(buffer);
			if (count == 0) {
				return false;
			}
			if (count < 0) {
				if (cleanEndAllowed && buffer.position() == 0) {
					this.ended = true;
					return false;
				}
				throw new EOFException(
						"frame truncated after " + buffer.position() + " of " + buffer.capacity() + " bytes");
			}
		}
		return true;
	}

}
