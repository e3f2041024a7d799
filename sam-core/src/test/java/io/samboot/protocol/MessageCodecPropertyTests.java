package io.samboot.protocol;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties of {@link MessageCodec} over many seeded random messages: round trips, and
 * that any body that is not exactly one valid message fails with a
 * {@link ProtocolException} and nothing else, without allocating more than the body
 * itself justifies.
 */
class MessageCodecPropertyTests {

	private static final long SEED = 0x5A4D_C0DECL;

	private static final int PER_TYPE = 400;

	/**
	 * Far below what decoding a 2 GiB claim would allocate, far above any honest body
	 * here.
	 */
	private static final long ALLOCATION_BUDGET = 1024 * 1024;

	static List<Integer> types() {
		return java.util.stream.IntStream.range(0, FakeMessages.TYPES).boxed().toList();
	}

	@ParameterizedTest(name = "type {0}")
	@MethodSource("types")
	void everyGeneratedMessageRoundTrips(int type) throws ProtocolException {
		FakeMessages messages = new FakeMessages(SEED + type);
		for (int i = 0; i < PER_TYPE; i++) {
			Message message = messages.next(type);
			byte[] body = MessageCodec.encode(message);

			FakeMessages.assertSameMessage(MessageCodec.decode(body), message);
		}
	}

	@ParameterizedTest(name = "type {0}")
	@MethodSource("types")
	void aFrameForGatheringWriteIsTheLengthThenTheBodyAndReadsBack(int type) throws java.io.IOException {
		FakeMessages messages = new FakeMessages(SEED + 1000 + type);
		for (int i = 0; i < PER_TYPE / 4; i++) {
			Message message = messages.next(type);
			byte[] body = MessageCodec.encode(message);
			ByteBuffer[] frame = MessageCodec.encodeFrame(message);
			java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
			for (ByteBuffer buffer : frame) {
				byte[] part = new byte[buffer.remaining()];
				buffer.duplicate().get(part);
				written.write(part);
			}

			assertThat(written.toByteArray())
				.isEqualTo(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
			FrameChannel channel = new FrameChannel(new FakeByteChannel(written.toByteArray(), 3, Integer.MAX_VALUE),
					Integer.MAX_VALUE);
			FakeMessages.assertSameMessage(channel.read(), message);
		}
	}

	@Test
	void edgeValuesRoundTrip() throws ProtocolException {
		List<Message> edges = List.of(new Message.Hello(new byte[0], 0, Map.of()),
				new Message.Hello(new byte[] { 1 }, Long.MIN_VALUE, Map.of("", "", "\u0000", "\uD83D\uDE00")),
				new Message.Welcome(Integer.MIN_VALUE, -1, Integer.MAX_VALUE, null),
				new Message.Welcome(1, 1000, 0, new byte[0]), new Message.DataStore(null),
				new Message.DataStore(new byte[0]), new Message.DataStore(new byte[4096]),
				new Message.Reply(null, null), new Message.Reply("", ""), new Message.WarnSignalSet(""),
				new Message.HealthCheckResult(-1, Message.HealthCheckResult.Outcome.ERROR, null, null, Long.MAX_VALUE),
				new Message.Status("started", 0, 0, "restart", 0, -1, "SIGTERM", -1, -1, -1, 0, Map.of(), List.of()),
				new Message.Status("s", 1, 2, "quit", 3, 4, "SIGKILL", 5, 6, 1, 7, Map.of("k", "v"),
						new FakeMessages(1).history(1024)));
		for (Message message : edges) {
			FakeMessages.assertSameMessage(MessageCodec.decode(MessageCodec.encode(message)), message);
		}
	}

	@ParameterizedTest(name = "type {0}")
	@MethodSource("types")
	void truncatingABodyAtEveryPositionFailsWithAProtocolException(int type) {
		FakeMessages small = new FakeMessages(SEED * 31 + type, 64, 8);
		for (int i = 0; i < 40; i++) {
			assertEveryPrefixFails(MessageCodec.encode(small.next(type)));
		}
		FakeMessages large = new FakeMessages(SEED * 37 + type, 4096, 40);
		assertEveryPrefixFails(MessageCodec.encode(large.next(type)));
	}

	@ParameterizedTest(name = "type {0}")
	@MethodSource("types")
	void appendingAByteFailsWithAProtocolException(int type) {
		FakeMessages messages = new FakeMessages(SEED * 41 + type);
		for (int i = 0; i < 100; i++) {
			byte[] body = MessageCodec.encode(messages.next(type));
			byte[] longer = Arrays.copyOf(body, body.length + 1);
			longer[body.length] = (byte) messages.random().nextInt(256);

			assertThatExceptionOfType(ProtocolException.class).as("%s plus one byte", Arrays.toString(body))
				.isThrownBy(() -> MessageCodec.decode(longer));
		}
	}

	@ParameterizedTest(name = "type {0}")
	@MethodSource("types")
	void flippingRandomBytesThrowsNothingButAProtocolException(int type) {
		FakeMessages messages = new FakeMessages(SEED * 43 + type, 256, 12);
		Random random = messages.random();
		for (int i = 0; i < 2000; i++) {
			byte[] body = MessageCodec.encode(messages.next(type));
			int flips = 1 + random.nextInt(4);
			for (int f = 0; f < flips; f++) {
				int at = random.nextInt(body.length);
				body[at] = (random.nextBoolean()) ? (byte) (body[at] ^ (1 << random.nextInt(8)))
						: (byte) random.nextInt(256);
			}
			assertDecodesOrFailsCleanly(body);
		}
	}

	@Test
	void randomGarbageThrowsNothingButAProtocolException() {
		Random random = new Random(SEED);
		int[] types = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x41, 0x42, 0x43, 0x44, 0x00,
				0xFF };
		for (int i = 0; i < 20_000; i++) {
			byte[] body = new byte[1 + random.nextInt(64)];
			random.nextBytes(body);
			body[0] = (byte) types[random.nextInt(types.length)];
			assertDecodesOrFailsCleanly(body);
		}
	}

	@Test
	void overwritingAnyFourBytesWithTheLargestLengthNeverAllocatesIt() {
		FakeMessages messages = new FakeMessages(SEED * 47, 128, 10);
		byte[] claim = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();
		for (int i = 0; i < 300; i++) {
			byte[] body = MessageCodec.encode(messages.next(i % FakeMessages.TYPES));
			for (int at = 1; at + 4 <= body.length; at++) {
				byte[] lying = body.clone();
				System.arraycopy(claim, 0, lying, at, 4);
				assertDecodesOrFailsCleanly(lying);
			}
		}
	}

	static List<byte[]> lengthClaimsOf2GiB() {
		return List.of(
				// DataStore: data length
				bytes(body(0x07).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Hello: proof length
				bytes(body(0x0F).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Hello: map size after an empty proof and a PID
				bytes(body(0x0F).putInt(0).putLong(1).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Challenge: nonce length after the version and the instance id
				bytes(body(0x0E).putInt(2).putInt(1).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// ChallengeAnswer: nonce length, and proof length after an empty nonce
				bytes(body(0x47).putInt(Integer.MAX_VALUE).put(new byte[16])),
				bytes(body(0x47).putInt(0).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Welcome: data length
				bytes(body(0x41).putInt(1).putLong(1).putInt(0).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// WarnSignalSet: string length
				bytes(body(0x06).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Reply: error string length
				bytes(body(0x42).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Status: state string length
				bytes(body(0x44).putInt(Integer.MAX_VALUE).put(new byte[16])),
				// Status: history entries
				statusWithHistoryCount(Integer.MAX_VALUE), statusWithHistoryCount(1025), statusWithHistoryCount(-1),
				// Negative lengths other than the null marker
				bytes(body(0x07).putInt(-2).put(new byte[16])),
				bytes(body(0x07).putInt(Integer.MIN_VALUE).put(new byte[16])));
	}

	@ParameterizedTest
	@MethodSource("lengthClaimsOf2GiB")
	void aLengthClaimTheBodyCannotHoldIsRefusedWithoutAllocating(byte[] body) {
		warmUp(body);
		Throwable thrown = null;
		long before = allocatedBytes();
		try {
			MessageCodec.decode(body);
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		long allocated = allocatedBytes() - before;

		assertThat(thrown).isExactlyInstanceOf(ProtocolException.class);
		if (before >= 0) {
			assertThat(allocated).as("bytes allocated").isLessThan(64 * 1024);
		}
	}

	@Test
	void aHistoryOfTheLargestAllowedLengthIsAcceptedAndOneMoreIsRefused() throws ProtocolException {
		FakeMessages messages = new FakeMessages(SEED);
		Message.Status largest = new Message.Status("started", 1, 0, "restart", 10_000, -1, "SIGTERM", 1, 2, -1, 0,
				Map.of(), messages.history(1024));
		Message.Status tooLong = new Message.Status("started", 1, 0, "restart", 10_000, -1, "SIGTERM", 1, 2, -1, 0,
				Map.of(), messages.history(1025));

		FakeMessages.assertSameMessage(MessageCodec.decode(MessageCodec.encode(largest)), largest);
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> MessageCodec.decode(MessageCodec.encode(tooLong)));
	}

	@Test
	void fieldsThatMustBePresentAreRefusedWhenNull() {
		List<Message> incomplete = List.of(new Message.Hello(null, 1, Map.of()), new Message.CommandHello(null),
				new Message.Challenge(2, 1, null), new Message.ChallengeAnswer(null, new byte[32]),
				new Message.ChallengeAnswer(new byte[32], null), new Message.WarnSignalSet(null),
				new Message.Status(null, 0, 0, "restart", 0, -1, "SIGTERM", 0, 0, -1, 0, Map.of(), List.of()),
				new Message.Status("started", 0, 0, null, 0, -1, "SIGTERM", 0, 0, -1, 0, Map.of(), List.of()),
				new Message.Status("started", 0, 0, "restart", 0, -1, null, 0, 0, -1, 0, Map.of(), List.of()),
				new Message.Status("started", 0, 0, "restart", 0, -1, "SIGTERM", 0, 0, -1, 0, Map.of(),
						List.of(new Message.HistoryEntry(1, 1, 1, 1, null, 0, null, null))));
		for (Message message : incomplete) {
			byte[] body = MessageCodec.encode(message);
			assertThatExceptionOfType(ProtocolException.class).as("%s", message)
				.isThrownBy(() -> MessageCodec.decode(body));
		}
	}

	@Test
	void malformedUtf8BooleansAndOutcomesAreRefused() throws ProtocolException {
		List<byte[]> bodies = List.of(bytes(body(0x06).putInt(2).put((byte) 0xC3).put((byte) 0x28)),
				bytes(body(0x06).putInt(3).put((byte) 0xED).put((byte) 0xA0).put((byte) 0x80)),
				bytes(body(0x06).putInt(1).put((byte) 0xFF)), bytes(body(0x02).put((byte) 2)),
				bytes(body(0x05).putLong(1).put((byte) 4).putInt(-1).putInt(-1).putLong(0)), new byte[0],
				new byte[] { 0x00 }, new byte[] { 0x3F }, new byte[] { (byte) 0x80 });
		for (byte[] body : bodies) {
			assertThatExceptionOfType(ProtocolException.class).as("%s", Arrays.toString(body))
				.isThrownBy(() -> MessageCodec.decode(body));
		}
		// The same bodies with the one wrong value put right decode: the refusals above
		// are for that value.
		assertThat(MessageCodec.decode(bytes(body(0x06).putInt(2).put((byte) 0xC3).put((byte) 0xA9))))
			.isEqualTo(new Message.WarnSignalSet("\u00e9"));
		assertThat(MessageCodec.decode(bytes(body(0x02).put((byte) 1)))).isEqualTo(new Message.Start(true));
		assertThat(MessageCodec.decode(bytes(body(0x05).putLong(1).put((byte) 3).putInt(-1).putInt(-1).putLong(0))))
			.isEqualTo(new Message.HealthCheckResult(1, Message.HealthCheckResult.Outcome.ERROR, null, null, 0));
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	/**
	 * Decodes once unmeasured, so class loading and first-call costs do not count as the
	 * decoder's.
	 */
	private static void warmUp(byte[] body) {
		try {
			MessageCodec.decode(body);
		}
		catch (Throwable ignored) {
			// measured and judged on the next call
		}
	}

	private static void assertEveryPrefixFails(byte[] body) {
		for (int length = 0; length < body.length; length++) {
			byte[] prefix = Arrays.copyOf(body, length);
			try {
				MessageCodec.decode(prefix);
				fail("a prefix of %d of %d bytes decoded: %s", length, body.length, Arrays.toString(prefix));
			}
			catch (ProtocolException expected) {
				// the only acceptable outcome
			}
			catch (Throwable other) {
				throw new AssertionError("a prefix of " + length + " of " + body.length + " bytes threw " + other,
						other);
			}
		}
	}

	private static void assertDecodesOrFailsCleanly(byte[] body) {
		Throwable thrown = null;
		long before = allocatedBytes();
		try {
			MessageCodec.decode(body);
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		long allocated = allocatedBytes() - before;
		if (thrown != null && !(thrown instanceof ProtocolException)) {
			throw new AssertionError("decoding " + Arrays.toString(body) + " threw " + thrown, thrown);
		}
		if (before >= 0) {
			assertThat(allocated).as("bytes allocated decoding a body of %d bytes", body.length)
				.isLessThan(ALLOCATION_BUDGET + 16L * body.length);
		}
	}

	private static byte[] bytes(ByteBuffer buffer) {
		return Arrays.copyOf(buffer.array(), buffer.position());
	}

	private static ByteBuffer body(int type) {
		return ByteBuffer.allocate(64).put((byte) type);
	}

	private static byte[] statusWithHistoryCount(int count) {
		PayloadWriter out = new PayloadWriter(64);
		out.writeByte(0x44)
			.writeString("started")
			.writeInt(1)
			.writeInt(0)
			.writeString("restart")
			.writeLong(1)
			.writeLong(-1)
			.writeString("SIGTERM")
			.writeLong(1)
			.writeLong(2)
			.writeInt(-1)
			.writeInt(0)
			.writeStringMap(Map.of())
			.writeInt(count);
		return out.toByteArray();
	}

	/** Bytes this thread has allocated so far, or -1 where the JVM cannot tell. */
	private static long allocatedBytes() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
			return threads.getCurrentThreadAllocatedBytes();
		}
		return -1;
	}

}
