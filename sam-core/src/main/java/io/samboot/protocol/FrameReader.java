package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Puts frames together from what a channel gives: a 4-byte big-endian length, then that
 * many bytes of {@link MessageCodec message}. On a non-blocking channel {@link #poll}
 * takes only what is there and keeps a frame it could not finish for the next call, so a
 * thread that serves other work as well never waits for a peer that stopped half-way
 * through a frame; on a blocking channel it returns only with a whole message or at the
 * end.
 *
 * <p>
 * Reads go into a direct buffer of its own, as much as the channel holds at once: a small
 * frame costs one read, not one for its length and one for its body, frames sent back to
 * back come out of one read, and the JDK copies nothing through a temporary direct buffer
 * on the way. After a read that came back short the channel had nothing more, which
 * {@link #drained()} tells, so a caller woken by a selector need not ask again only to
 * hear so. A frame longer than the buffer is read straight into the array its message
 * keeps (for a {@link Message.DataStore}, the data itself), so a megabyte is not copied
 * twice; given {@link DirectDataBuffers} ({@link #directData}), a data store's data is
 * read into direct memory they lend instead and comes as a {@link Message.DataStoreRead},
 * so that the JDK copies nothing and no array is made.
 *
 * <p>
 * The length is checked against a bound before anything is allocated; a frame that ends
 * early is an error, an end of stream between frames is a clean close. One thread reads
 * at a time.
 */
public final class FrameReader {

	/** What one read takes at most; frames that fit are put together here. */
	static final int BUFFER_BYTES = 16 * 1024;

	private static final int HEADER = 4;

	/** A data store's type and data length, at the head of its body. */
	private static final int LEAD = 5;

	private final ReadableByteChannel channel;

	/** Bytes read and not yet taken, between position and limit (read mode). */
	private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).limit(0);

	/**
	 * The rest of a frame longer than the buffer, read straight from the channel: its
	 * body, or only a data store's data; {@code null} between such frames.
	 */
	private ByteBuffer body;

	private boolean dataOnly;

	/** Where long data stores' data goes, or {@code null} for arrays of their own. */
	private DirectDataBuffers directData;

	private boolean ended;

	private boolean drained;

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
	 * From the next frame on, reads the data of data stores longer than the buffer into
	 * direct memory these lend ({@code null}: into arrays of their own, as by default).
	 */
	public void directData(DirectDataBuffers buffers) {
		this.directData = buffers;
	}

	/**
	 * Whether the peer closed the channel between two frames; {@link #poll} then returns
	 * {@code null} for good.
	 */
	public boolean ended() {
		return this.ended;
	}

	/**
	 * Whether the latest read from the channel took less than there was room for, so that
	 * the channel held nothing more then, and no whole frame waits here: a caller that a
	 * level-triggered selector woke can wait for the next wake-up instead of reading
	 * again.
	 */
	public boolean drained() {
		return this.drained && !hasWholeFrame();
	}

	/**
	 * Whether a whole frame (or a length no frame may have) waits here already, which no
	 * selector would report: the channel may hold nothing more. Part of a frame is not:
	 * its rest is still to come through the channel.
	 */
	public boolean hasWholeFrame() {
		if (this.body != null || this.buffer.remaining() < HEADER) {
			return false;
		}
		int length = this.buffer.getInt(this.buffer.position());
		if (length <= 0 || length > this.frameLimit) {
			return true;
		}
		return this.buffer.remaining() >= HEADER + length;
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
		while (true) {
			if (this.body != null) {
				return readLongBody();
			}
			if (this.buffer.remaining() >= HEADER) {
				int length = this.buffer.getInt(this.buffer.position());
				if (length <= 0 || length > this.frameLimit) {
					throw new ProtocolException(
							"frame length " + Integer.toUnsignedString(length) + " outside 1.." + this.frameLimit);
				}
				if (this.buffer.remaining() >= HEADER + length) {
					return takeFrame(length);
				}
				if (HEADER + length > BUFFER_BYTES && this.buffer.remaining() >= HEADER + LEAD) {
					beginLongBody(length);
					continue;
				}
			}
			if (!readMore()) {
				return null;
			}
		}
	}

	/**
	 * Reads what the channel gives into the buffer, after what is still there.
	 * @return whether anything came
	 */
	private boolean readMore() throws IOException {
		this.buffer.compact();
		int room = this.buffer.remaining();
		int count;
		try {
			count = this.channel.read(this.buffer);
		}
		finally {
			this.buffer.flip();
		}
		this.drained = count < room;
		if (count > 0) {
			return true;
		}
		if (count < 0) {
			if (this.buffer.hasRemaining()) {
				throw new EOFException("frame truncated after " + this.buffer.remaining() + " bytes");
			}
			this.ended = true;
		}
		return false;
	}

	private Message takeFrame(int length) throws ProtocolException {
		this.buffer.position(this.buffer.position() + HEADER);
		int type = this.buffer.get(this.buffer.position()) & 0xff;
		if (type == MessageCodec.DATA_STORE && length >= LEAD
				&& this.buffer.getInt(this.buffer.position() + 1) == length - LEAD) {
			this.buffer.position(this.buffer.position() + LEAD);
			byte[] data = new byte[length - LEAD];
			this.buffer.get(data);
			return new Message.DataStore(data);
		}
		byte[] bytes = new byte[length];
		this.buffer.get(bytes);
		return MessageCodec.decode(bytes);
	}

	/**
	 * A frame longer than the buffer: what the buffer holds of it goes first into the
	 * array its message keeps, and the rest is read straight into that array.
	 */
	private void beginLongBody(int length) {
		this.buffer.position(this.buffer.position() + HEADER);
		int type = this.buffer.get(this.buffer.position()) & 0xff;
		int dataLength = this.buffer.getInt(this.buffer.position() + 1);
		if (type == MessageCodec.DATA_STORE && dataLength == length - LEAD) {
			// The data is the rest of the frame: kept in the message's own array.
			this.buffer.position(this.buffer.position() + LEAD);
			this.body = (this.directData != null) ? this.directData.lend(dataLength) : ByteBuffer.allocate(dataLength);
			this.dataOnly = true;
		}
		else {
			this.body = ByteBuffer.allocate(length);
		}
		int buffered = Math.min(this.buffer.remaining(), this.body.remaining());
		this.body.put(this.body.position(), this.buffer, this.buffer.position(), buffered);
		this.body.position(this.body.position() + buffered);
		this.buffer.position(this.buffer.position() + buffered);
	}

	private Message readLongBody() throws IOException {
		while (this.body.hasRemaining()) {
			int room = this.body.remaining();
			int count = this.channel.read(this.body);
			this.drained = count < room;
			if (count == 0) {
				return null;
			}
			if (count < 0) {
				throw new EOFException("frame truncated after " + this.body.position() + " of " + this.body.limit()
						+ " bytes of its body");
			}
		}
		ByteBuffer read = this.body;
		boolean data = this.dataOnly;
		this.body = null;
		this.dataOnly = false;
		if (read.isDirect()) {
			return new Message.DataStoreRead(read.flip());
		}
		return data ? new Message.DataStore(read.array()) : MessageCodec.decode(read.array());
	}

}
