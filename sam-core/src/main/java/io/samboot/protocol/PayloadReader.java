package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the primitive values of a message, checking every length against the bytes that
 * are really there before allocating anything, so a hostile frame cannot make the reader
 * allocate more than the frame's own size.
 */
public final class PayloadReader {

	private final ByteBuffer buffer;

	public PayloadReader(byte[] payload) {
		this.buffer = ByteBuffer.wrap(payload);
	}

	public int readByte() throws ProtocolException {
		need(1, "byte");
		return this.buffer.get() & 0xff;
	}

	public boolean readBoolean() throws ProtocolException {
		int value = readByte();
		if (value > 1) {
			throw new ProtocolException("boolean must be 0 or 1, was " + value);
		}
		return value == 1;
	}

	public int readInt() throws ProtocolException {
		need(4, "int");
		return this.buffer.getInt();
	}

	public long readLong() throws ProtocolException {
		need(8, "long");
		return this.buffer.getLong();
	}

	/** Reads a length-prefixed byte array, {@code null} for length -1. */
	public byte[] readBytes() throws ProtocolException {
		int length = readInt();
		if (length == -1) {
			return null;
		}
		if (length < 0) {
			throw new ProtocolException("negative length " + length);
		}
		need(length, "byte array");
		byte[] bytes = new byte[length];
		this.buffer.get(bytes);
		return bytes;
	}

	/**
	 * Reads a length-prefixed UTF-8 string, {@code null} for length -1; malformed UTF-8
	 * is refused.
	 */
	public String readString() throws ProtocolException {
		byte[] bytes = readBytes();
		if (bytes == null) {
			return null;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ProtocolException("string is not valid UTF-8");
		}
	}

	public String readRequiredString() throws ProtocolException {
		String value = readString();
		if (value == null) {
			throw new ProtocolException("missing string");
		}
		return value;
	}

	public Map<String, String> readStringMap() throws ProtocolException {
		int size = readInt();
		// Each entry takes at least 8 bytes (two lengths), which bounds a lying size.
		if (size < 0 || size > this.buffer.remaining() / 8) {
			throw new ProtocolException("map size " + size + " does not fit the frame");
		}
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			map.put(readRequiredString(), readRequiredString());
		}
		return map;
	}

	/**
	 * Fails unless every byte was read: trailing bytes mean the peer speaks another
	 * protocol.
	 */
	public void expectEnd() throws ProtocolException {
		if (this.buffer.hasRemaining()) {
			throw new ProtocolException(this.buffer.remaining() + " unexpected trailing bytes");
		}
	}

	private void need(int bytes, String what) throws ProtocolException {
		if (this.buffer.remaining() < bytes) {
			throw new ProtocolException(
					"truncated " + what + ": need " + bytes + " bytes, have " + this.buffer.remaining());
		}
	}

}
