package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.samboot.SamStatus;
import io.samboot.testsupport.Allocations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of everything that turns the peer's bytes into messages: the
 * frame reader, the decoder, the primitive reader and the status conversion. Each target
 * states what must hold for any input: only {@link ProtocolException} (or, for a stream
 * that ends inside a frame, {@link EOFException}) may come out, and nothing may allocate
 * more than the input (and, for the frame reader, one frame limit) justifies.
 *
 * <p>
 * Without {@code JAZZER_FUZZ} these run as regression tests over the seeds (real frames,
 * see {@link RealFrames}) and every input the fuzzer ever found, under
 * {@code src/test/resources/io/samboot/protocol/FrameFuzzTestsInputs/<method>/}. To fuzz
 * one target, see the README's "Fuzzing" section.
 */
class FrameFuzzTests {

	/**
	 * Far below any length claim worth noticing (megabytes to 2 GiB), far above an honest
	 * decode's overhead.
	 */
	private static final long BUDGET = 64 * 1024;

	/**
	 * Bytes an honest decode may allocate per input byte (arrays, strings, map entries,
	 * records).
	 */
	private static final long PER_BYTE = 64;

	/**
	 * The frame limits the reader is tried with: tiny, small, the handshake's, and a 1 MB
	 * data store's.
	 */
	private static final int[] LIMITS = { 1, 16, 1024, FrameChannel.HANDSHAKE_FRAME_LIMIT,
			1024 * 1024 + FrameChannel.FRAME_OVERHEAD };

	static {
		// Class loading and first calls allocate: do them before anything is measured.
		for (Message message : RealFrames.messages().values()) {
			try {
				MessageCodec.decode(MessageCodec.encode(message));
				StatusMessages.fromMessage(StatusMessages.toMessage(RealFrames.status()));
				new FrameChannel(new FakeByteChannel(RealFrames.frame(message)), 1).read();
			}
			catch (IOException ignored) {
				// warming up only
			}
		}
	}

	/**
	 * Any body decodes to a message or fails with a ProtocolException, allocating in
	 * proportion to the body.
	 */
	@FuzzTest
	void decode(byte[] body) throws Exception {
		Allocations.assertBounded(() -> {
			try {
				MessageCodec.decode(body);
			}
			catch (ProtocolException expected) {
				// the one acceptable failure
			}
		}, BUDGET + PER_BYTE * body.length, "decoding " + body.length + " bytes");
	}

	/**
	 * A stream of frames, read with one of several limits and in chunks of 1 to 7 bytes:
	 * every frame is read whole or refused after its 4-byte header, and only a frame's
	 * own bytes are consumed. Byte 0 chooses the limit and chunk size, the rest is the
	 * stream.
	 */
	@FuzzTest
	void frameChannelRead(byte[] input) throws Exception {
		int selector = (input.length > 0) ? input[0] & 0xff : 0;
		int limit = LIMITS[selector % LIMITS.length];
		int chunk = 1 + (selector / LIMITS.length) % 7;
		byte[] stream = (input.length > 0) ? Arrays.copyOfRange(input, 1, input.length) : input;
		// Each whole frame costs its own bytes and a few small objects (at least 5 bytes
		// per frame); one header may claim up to the limit before the stream ends.
		Allocations.assertBounded(() -> readAll(stream, limit, chunk), BUDGET + 2 * PER_BYTE * stream.length + limit,
				"reading " + stream.length + " bytes with limit " + limit);
	}

	/**
	 * Reads every frame; checked without AssertJ, whose objects would count against the
	 * budget.
	 */
	private static void readAll(byte[] stream, int limit, int chunk) {
		FakeByteChannel channel = new FakeByteChannel(stream, chunk, Integer.MAX_VALUE);
		FrameChannel frames = new FrameChannel(channel, limit);
		while (true) {
			int at = channel.consumed();
			int claimed = (stream.length - at >= 4) ? ByteBuffer.wrap(stream, at, 4).getInt() : 0;
			Message message;
			try {
				message = frames.read();
			}
			catch (ProtocolException ex) {
				boolean refusedForLength = claimed <= 0 || claimed > limit;
				check(channel.consumed() - at == (refusedForLength ? 4 : 4 + claimed),
						"a refused frame consumed exactly its header, or its header and body", at, channel);
				return;
			}
			catch (EOFException ex) {
				check(channel.consumed() == stream.length, "a frame cut short is only reported at the end", at,
						channel);
				return;
			}
			catch (IOException ex) {
				throw new AssertionError("the reader threw " + ex, ex);
			}
			if (message == null) {
				check(at == stream.length, "a clean end only between frames", at, channel);
				return;
			}
			check(claimed >= 1 && claimed <= limit && channel.consumed() - at == 4 + claimed,
					"a frame read whole is within the limit and consumed exactly", at, channel);
		}
	}

	private static void check(boolean condition, String what, int at, FakeByteChannel channel) {
		if (!condition) {
			throw new AssertionError(what + " (frame at " + at + ", consumed " + channel.consumed() + ")");
		}
	}

	/**
	 * Any sequence of primitive reads over any payload returns values that fit the
	 * payload or fails with a ProtocolException; see {@link PayloadReaderScript} for the
	 * input's layout.
	 */
	@FuzzTest
	void payloadReaderSequence(byte[] input) throws Exception {
		PayloadReaderScript script = PayloadReaderScript.parse(input);
		Allocations.assertBounded(() -> readAll(script), BUDGET + PER_BYTE * script.payload.length,
				"reading a payload of " + script.payload.length + " bytes");
	}

	private static void readAll(PayloadReaderScript script) {
		PayloadReader reader = new PayloadReader(script.payload);
		int size = script.payload.length;
		try {
			for (int operation : script.operations) {
				switch (operation) {
					case PayloadReaderScript.BYTE -> {
						int value = reader.readByte();
						check(value >= 0 && value <= 255, "a byte is 0 to 255: " + value);
					}
					case PayloadReaderScript.BOOLEAN -> reader.readBoolean();
					case PayloadReaderScript.INT -> reader.readInt();
					case PayloadReaderScript.LONG -> reader.readLong();
					case PayloadReaderScript.BYTES -> {
						byte[] bytes = reader.readBytes();
						check(bytes == null || bytes.length <= size, "an array fits the payload");
					}
					case PayloadReaderScript.STRING -> {
						String text = reader.readString();
						check(text == null || text.length() <= size, "a string fits the payload");
					}
					case PayloadReaderScript.REQUIRED_STRING ->
						check(reader.readRequiredString() != null, "a required string is there");
					case PayloadReaderScript.STRING_MAP ->
						check(reader.readStringMap().size() <= size / 8, "a map has at most one entry per 8 bytes");
					case PayloadReaderScript.END -> reader.expectEnd();
					default -> throw new IllegalStateException("operation " + operation);
				}
			}
		}
		catch (ProtocolException expected) {
			// the one acceptable failure
		}
	}

	private static void check(boolean condition, String what) {
		if (!condition) {
			throw new AssertionError(what);
		}
	}

	/**
	 * A status frame from the supervisor becomes a {@link SamStatus} or fails with a
	 * ProtocolException (an unknown state, policy or cause, unusable details); what it
	 * becomes survives the way back to a frame and again.
	 */
	@FuzzTest
	void statusFromMessage(byte[] body) throws ProtocolException {
		Message message;
		try {
			message = MessageCodec.decode(body);
		}
		catch (ProtocolException notAFrame) {
			return;
		}
		if (!(message instanceof Message.Status frame)) {
			return;
		}
		SamStatus status;
		try {
			status = StatusMessages.fromMessage(frame);
		}
		catch (ProtocolException expected) {
			return;
		}
		Message.Status again = (Message.Status) MessageCodec
			.decode(MessageCodec.encode(StatusMessages.toMessage(status)));
		assertThat(StatusMessages.fromMessage(again)).isEqualTo(status);
	}

	/**
	 * Whatever decodes, encodes to a body that decodes to the same message (maps may
	 * change order).
	 */
	@FuzzTest
	void roundTrip(byte[] body) throws ProtocolException {
		Message message;
		try {
			message = MessageCodec.decode(body);
		}
		catch (ProtocolException notAFrame) {
			return;
		}
		byte[] encoded = MessageCodec.encode(message);
		Message again = MessageCodec.decode(encoded);
		FakeMessages.assertSameMessage(again, message);
		assertThat(MessageCodec.encode(again)).hasSameSizeAs(encoded);
		assertThat(encoded.length).as("duplicate map keys are the only bytes a round trip may drop")
			.isLessThanOrEqualTo(body.length);
	}

}
