package io.samboot.protocol;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random but valid {@link Message}s of every type from a seeded {@link Random}, and a
 * comparison that looks into byte arrays (records compare arrays by identity).
 */
final class FakeMessages {

	/** Every message type, by index for {@link #next(int)}. */
	static final int TYPES = 24;

	private final Random random;

	private final int maxBytes;

	private final int maxStringLength;

	FakeMessages(long seed, int maxBytes, int maxStringLength) {
		this.random = new Random(seed);
		this.maxBytes = maxBytes;
		this.maxStringLength = maxStringLength;
	}

	FakeMessages(long seed) {
		this(seed, 4096, 40);
	}

	Random random() {
		return this.random;
	}

	Message next() {
		return next(this.random.nextInt(TYPES));
	}

	Message next(int type) {
		return switch (type) {
			case 0 -> new Message.Hello(bytes(), anyLong(), map());
			case 1 -> new Message.Welcome(this.random.nextInt(), anyLong(), this.random.nextInt(), nullableBytes());
			case 2 -> new Message.Start(this.random.nextBoolean());
			case 3 -> new Message.Stop();
			case 4 -> new Message.Heartbeat();
			case 5 -> new Message.HealthCheckRequest(anyLong());
			case 6 -> new Message.HealthCheckResult(anyLong(),
					Message.HealthCheckResult.Outcome.values()[this.random
						.nextInt(Message.HealthCheckResult.Outcome.values().length)],
					nullableString(), nullableString(), anyLong());
			case 7 -> new Message.WarnSignalSet(string());
			case 8 -> new Message.DataStore(nullableBytes());
			case 9 -> new Message.MarkFailed();
			case 10 -> new Message.StatusRequest();
			case 11 -> new Message.Close();
			case 12 -> new Message.RestartRequest();
			case 13 -> new Message.Reply(nullableString(), nullableString());
			case 14 -> new Message.Status(string(), this.random.nextInt(), this.random.nextInt(), string(), anyLong(),
					anyLong(), string(), anyLong(), anyLong(), this.random.nextInt(), this.random.nextInt(), map(),
					history(this.random.nextInt(4) == 0 ? 0 : this.random.nextInt(20)));
			case 15 ->
				new Message.StandbyWelcome(this.random.nextInt(), anyLong(), this.random.nextInt(), nullableBytes());
			case 16 -> new Message.StandbyReady();
			case 17 -> new Message.ListenSocketRequest(string(), this.random.nextInt(), string());
			case 18 -> new Message.HttpCheckUrl(string());
			case 19 -> new Message.Notice(string(), nullableString(), nullableString());
			case 20 -> new Message.Challenge(this.random.nextInt(), this.random.nextInt(), bytes());
			case 21 -> new Message.ChallengeAnswer(bytes(), bytes());
			case 22 -> new Message.ThreadDumpRequest(string());
			case 23 -> new Message.CommandHello(bytes());
			default -> throw new IllegalArgumentException("type " + type);
		};
	}

	List<Message.HistoryEntry> history(int size) {
		List<Message.HistoryEntry> history = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			history.add(new Message.HistoryEntry(this.random.nextInt(), anyLong(), anyLong(), anyLong(), string(),
					this.random.nextInt(), nullableString(), nullableString()));
		}
		return history;
	}

	Map<String, String> map() {
		int size = this.random.nextInt(4) == 0 ? 0 : this.random.nextInt(10);
		Map<String, String> map = new HashMap<>();
		for (int i = 0; i < size; i++) {
			map.put(string(), string());
		}
		return map;
	}

	/** Small, large, edge and negative values alike. */
	long anyLong() {
		return switch (this.random.nextInt(6)) {
			case 0 -> 0;
			case 1 -> -1;
			case 2 -> this.random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
			case 3 -> this.random.nextInt(100_000);
			default -> this.random.nextLong();
		};
	}

	byte[] bytes() {
		int length = switch (this.random.nextInt(8)) {
			case 0 -> 0;
			case 1 -> 1;
			case 2 -> this.maxBytes;
			default -> this.random.nextInt(this.maxBytes + 1);
		};
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	byte[] nullableBytes() {
		return (this.random.nextInt(5) == 0) ? null : bytes();
	}

	String nullableString() {
		return (this.random.nextInt(5) == 0) ? null : string();
	}

	/**
	 * Empty strings, ASCII with control characters, the rest of the BMP and supplementary
	 * code points.
	 */
	String string() {
		if (this.random.nextInt(6) == 0) {
			return "";
		}
		int length = 1 + this.random.nextInt(this.maxStringLength);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.appendCodePoint(codePoint());
		}
		return text.toString();
	}

	private int codePoint() {
		return switch (this.random.nextInt(5)) {
			case 0 -> this.random.nextInt(0x80);
			case 1 -> 0x80 + this.random.nextInt(0x800 - 0x80);
			case 2 -> {
				int candidate = 0x800 + this.random.nextInt(0x10000 - 0x800);
				yield (candidate >= 0xD800 && candidate <= 0xDFFF) ? 0xFFFD : candidate;
			}
			case 3 -> 0x10000 + this.random.nextInt(0x110000 - 0x10000);
			default -> 0x20 + this.random.nextInt(0x5F);
		};
	}

	/**
	 * Asserts that two messages are of the same type with equal fields, byte arrays by
	 * content.
	 */
	static void assertSameMessage(Message actual, Message expected) {
		assertThat(actual).as("decoded message").isNotNull();
		assertThat(actual.getClass()).isEqualTo(expected.getClass());
		for (RecordComponent component : expected.getClass().getRecordComponents()) {
			Object expectedValue = value(component, expected);
			Object actualValue = value(component, actual);
			if (expectedValue instanceof byte[] expectedBytes) {
				assertThat((byte[]) actualValue).as(component.getName()).isEqualTo(expectedBytes);
			}
			else {
				assertThat(actualValue).as(component.getName()).isEqualTo(expectedValue);
			}
		}
	}

	private static Object value(RecordComponent component, Message message) {
		try {
			return component.getAccessor().invoke(message);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new AssertionError(ex);
		}
	}

}
