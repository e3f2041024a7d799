package io.samboot.protocol;

import java.nio.ByteBuffer;

/**
 * Direct memory for the data of large data stores, lent to a {@link FrameReader} and
 * given back by whoever kept the data once it is replaced. The kernel reads a store
 * straight into it: a heap array would cost a new array of the store's size (which the
 * JVM zeroes), a copy out of the JDK's temporary direct buffer into it, and collections
 * of the young generation every few megabytes stored. With one store kept and one being
 * read, a supervisor holds two buffers of about the stores' size.
 *
 * <p>
 * One spare is kept, the last given back, and lent again for a length it holds without
 * being more than twice as large, so that one large store does not keep its memory behind
 * smaller ones: a spare that is too large is dropped for the collector. A buffer is lent
 * to one reader at a time: a second frame that begins while the spare is out gets a
 * buffer of its own. Buffers never given back (a frame cut short, a store refused by a
 * caller that drops it) are freed by the collector like any direct buffer. When direct
 * memory runs out ({@code -XX:MaxDirectMemorySize}), a heap buffer is lent instead, and
 * the store is read into an array as without these buffers. Safe for use from several
 * threads.
 */
public final class DirectDataBuffers {

	/** How long after direct memory ran out stores are read into heap arrays. */
	static final long RETRY_DIRECT_NANOS = 10_000_000_000L;

	private ByteBuffer spare;

	/** When direct memory last ran out; long ago at first. */
	private volatile long directRefusedAt = System.nanoTime() - 2 * RETRY_DIRECT_NANOS;

	/**
	 * A direct buffer for {@code length} bytes: position 0, limit {@code length}, its
	 * contents undefined. The caller owns it until it gives it back.
	 */
	public ByteBuffer lend(int length) {
		ByteBuffer buffer = null;
		synchronized (this) {
			ByteBuffer spare = this.spare;
			if (spare != null && spare.capacity() >= length && fitsWithoutWaste(spare, length)) {
				buffer = spare;
				this.spare = null;
			}
			else if (spare != null && !fitsWithoutWaste(spare, length)) {
				// Too large to keep behind stores of this size: left to the collector.
				this.spare = null;
			}
		}
		if (buffer == null) {
			buffer = allocate(length);
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
			this.spare = buffer;
		}
	}

	/**
	 * Whether {@code buffer} is at most twice as large as {@code length}: worth keeping
	 * for, or lending to, a store of that length.
	 */
	public static boolean fitsWithoutWaste(ByteBuffer buffer, long length) {
		return buffer.capacity() <= 2 * length;
	}

	private ByteBuffer allocate(int length) {
		if (System.nanoTime() - this.directRefusedAt < RETRY_DIRECT_NANOS) {
			return ByteBuffer.allocate(length);
		}
		try {
			return ByteBuffer.allocateDirect(length);
		}
		catch (OutOfMemoryError ex) {
			// Direct memory is capped apart from the heap, which may still hold it. The
			// JDK collects and waits before it refuses: not at every store while the cap
			// is reached.
			this.directRefusedAt = System.nanoTime();
			return ByteBuffer.allocate(length);
		}
	}

}
