package io.samboot.protocol;

import java.nio.ByteBuffer;

/**
 * Direct memory for the data of large data stores, lent to a {@link FrameReader} and
 * given back by whoever kept the data once it is replaced. The kernel reads a store
 * straight into it: a heap array would cost a new array of the store's size (which the
 * JVM zeroes), a copy out of the JDK's temporary direct buffer into it, and collections
 * of the young generation every few megabytes stored. With one store kept and one being
 * read, two buffers of the largest store's size are all a supervisor ever holds.
 *
 * <p>
 * One spare is kept, the largest given back. A buffer is lent to one reader at a time: a
 * second frame that begins while the spare is out gets a buffer of its own. Buffers never
 * given back (a frame cut short, a store refused by a caller that drops it) are freed by
 * the collector like any direct buffer. Safe for use from several threads.
 */
public final class DirectDataBuffers {

	private ByteBuffer spare;

	/**
	 * A direct buffer for {@code length} bytes: position 0, limit {@code length}, its
	 * contents undefined. The caller owns it until it gives it back.
	 */
	public ByteBuffer lend(int length) {
		ByteBuffer buffer;
		synchronized (this) {
			buffer = this.spare;
			if (buffer != null && buffer.capacity() >= length) {
				this.spare = null;
			}
			else {
				buffer = null;
			}
		}
		if (buffer == null) {
			buffer = ByteBuffer.allocateDirect(length);
		}
		return buffer.clear().limit(length);
	}

	/**
	 * Takes back a buffer lent earlier (one not direct is ignored), to lend again; the
	 * caller must not use it any more.
	 */
	public void giveBack(ByteBuffer buffer) {
		if (buffer == null || !buffer.isDirect()) {
			return;
		}
		synchronized (this) {
			if (this.spare == null || this.spare.capacity() < buffer.capacity()) {
				this.spare = buffer;
			}
		}
	}

}
