package io.samboot.protocol;

import java.nio.ByteBuffer;

/** A message as the bytes of its frame on the wire, for tests that feed a reader. */
public final class FrameBytes {

	private FrameBytes() {
	}

	/** What {@link MessageCodec#encodeFrame} writes for the message, in one array. */
	public static byte[] of(Message message) {
		ByteBuffer[] parts = MessageCodec.encodeFrame(message);
		int length = 0;
		for (ByteBuffer part : parts) {
			length += part.remaining();
		}
		ByteBuffer whole = ByteBuffer.allocate(length);
		for (ByteBuffer part : parts) {
			whole.put(part);
		}
		return whole.array();
	}

}
