package io.samboot.supervisor;

import java.nio.ByteBuffer;

/** Stored data between the arrays tests write and the buffers the data sink takes. */
final class StoredBytes {

	private StoredBytes() {
	}

	/** The array wrapped, as a sink gets a small store; {@code null} stays null. */
	static ByteBuffer bufferOf(byte[] data) {
		return (data != null) ? ByteBuffer.wrap(data) : null;
	}

	/** A copy of the bytes between position and limit; {@code null} stays null. */
	static byte[] arrayOf(ByteBuffer bytes) {
		if (bytes == null) {
			return null;
		}
		byte[] copy = new byte[bytes.remaining()];
		bytes.duplicate().get(copy);
		return copy;
	}

}
