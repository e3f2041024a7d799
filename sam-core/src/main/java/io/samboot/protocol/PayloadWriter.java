package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Appends the primitive values of a message to a growing buffer, big-endian. */
public final class PayloadWriter {

	private ByteBuffer buffer;

	public PayloadWriter(int initialCapacity) {
		this.buffer = ByteBuffer.allocate(Math.max(16, initialCapacity));
	}

	public PayloadWriter writeByte(int value) {
		ensure(1).put((byte) value);
		return this;
	}

	public PayloadWriter writeBoolean(boolean value) {
		return writeByte(value ? 1 : 0);
	}

	public PayloadWriter writeInt(int value) {
		ensure(4).putInt(value);
		return this;
	}

	public PayloadWriter writeLong(long value) {
		ensure(8).putLong(value);
		return this;
	}

	/** Writes a length-prefixed byte array; {@code null} is written as length -1. */
	public PayloadWriter writeBytes(byte[] value) {
		if (value == null) {
			return writeInt(-1);
		}
		writeInt(value.length);
		ensure(value.length).put(value);
		return this;
	}

	/** Writes a length-prefixed UTF-8 string; {@code null} is written as length -1. */
	public PayloadWriter writeString(String value) {
		return writeBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
	}

	public PayloadWriter writeStringMap(Map<String, String> map) {
		writeInt(map.size());
		map.forEach((key, value) -> writeString(key).writeString(value));
		return this;
	}

	/** The bytes written so far. */
	public byte[] toByteArray() {
		byte[] bytes = new byte[this.buffer.position()];
		this.buffer.duplicate().flip().get(bytes);
		return bytes;
	}

	/**
	 * The buffer written so far (position = bytes written); for frame encoding in this
	 * package.
	 */
	ByteBuffer buffer() {
		return this.buffer;
	}

	int size() {
		return this.buffer.position();
	}

	private ByteBuffer ensure(int bytes) {
		if (this.buffer.remaining() < bytes) {
			long needed = (long) this.buffer.position() + bytes;
			int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, this.buffer.capacity() * 2L));
			ByteBuffer grown = ByteBuffer.allocate(capacity);
			grown.put(this.buffer.flip());
			this.buffer = grown;
		}
		return this.buffer;
	}

}
