package io.samboot.nativeaccess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NativeAccess#sendDatagram(String, byte[])} against real datagram sockets this
 * test binds ({@link DatagramSink}), a socket file and an abstract name, and its
 * failures.
 */
class UnixDatagramTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@TempDir
	Path directory;

	@Test
	void sendsToASocketFileInOrder() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		try (DatagramSink sink = DatagramSink.bindPath(this.directory)) {
			for (String message : List.of("READY=1", "STATUS=two", "WATCHDOG=1")) {
				NativeAccess.get().sendDatagram(sink.address(), bytes(message));
			}
			await().atMost(WAIT).until(() -> sink.messages().size() == 3);
			assertThat(sink.messages()).containsExactly("READY=1", "STATUS=two", "WATCHDOG=1");
		}
	}

	@Test
	void sendsToAnAbstractName() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		try (DatagramSink sink = DatagramSink.bindAbstract()) {
			assertThat(sink.address()).startsWith("@");
			NativeAccess.get().sendDatagram(sink.address(), bytes("READY=1\nSTATUS=multi-line\n"));
			await().atMost(WAIT).until(() -> sink.messages().size() == 1);
			assertThat(sink.messages()).containsExactly("READY=1\nSTATUS=multi-line\n");
		}
	}

	@Test
	void sendsALargeDatagramWhole() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		try (DatagramSink sink = DatagramSink.bindAbstract()) {
			String large = "STATUS=" + "x".repeat(8000);
			NativeAccess.get().sendDatagram(sink.address(), bytes(large));
			await().atMost(WAIT).until(() -> sink.messages().size() == 1);
			assertThat(sink.messages().get(0)).isEqualTo(large);
		}
	}

	@Test
	void aMissingSocketFileFailsWithErrnoAndAdvice() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		String missing = this.directory.resolve("nobody.sock").toString();
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> NativeAccess.get().sendDatagram(missing, bytes("READY=1")))
			.satisfies(ex -> assertThat(ex.getErrno()).isEqualTo(2))
			.withMessageContaining("sendto(socket=" + missing + ", 7 bytes)")
			.withMessageContaining("No such file or directory")
			.withMessageContaining("nothing listens on that socket");
	}

	@Test
	void anAbstractNameNobodyBoundIsRefused() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> NativeAccess.get().sendDatagram("@sam-test-nobody-" + System.nanoTime(), bytes("X=1")))
			.satisfies(ex -> assertThat(ex.getErrno()).isEqualTo(111))
			.withMessageContaining("Connection refused");
	}

	@Test
	void aPathTooLongForSockaddrUnIsRefusedBeforeAnyCall() {
		assumeTrue(DatagramSink.isSupported(), "needs Linux and JNA");
		String tooLong = "/tmp/" + "d".repeat(103);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> NativeAccess.get().sendDatagram(tooLong, bytes("X=1")))
			.withMessageContaining("108 bytes, more than the 107");
	}

	@Test
	void withoutJnaItSaysJnaIsNeeded() {
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> new FallbackNativeAccess().sendDatagram("/run/systemd/notify", bytes("READY=1")))
			.withMessageContaining("sendto(socket=/run/systemd/notify, 7 bytes)")
			.withMessageContaining("net.java.dev.jna:jna");
	}

	@Test
	void onMacOsItSaysDatagramsAreLinuxOnly() {
		FakeLibc libc = new FakeLibc();
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> new MacNativeAccess(libc).sendDatagram("@x", bytes("X=1")))
			.withMessageContaining("sendto(socket=@x, 3 bytes)")
			.withMessageContaining("only on Linux");
		assertThat(libc.calls).isEmpty();
	}

	@Test
	void encodesASocketFileWithItsTerminatingNul() {
		byte[] address = UnixSocketAddress.encode("/run/x", ByteOrder.LITTLE_ENDIAN);
		assertThat(address).containsExactly(1, 0, '/', 'r', 'u', 'n', '/', 'x', 0);
		assertThat(ByteBuffer.wrap(UnixSocketAddress.encode("/a", ByteOrder.BIG_ENDIAN)).getShort())
			.isEqualTo((short) 1);
	}

	@Test
	void encodesAnAbstractNameWithALeadingNulAndNoTrailingOne() {
		byte[] address = UnixSocketAddress.encode("@sd", ByteOrder.LITTLE_ENDIAN);
		assertThat(address).containsExactly(1, 0, 0, 's', 'd');
	}

	@Test
	void acceptsTheLongestAddressesSunPathHolds() {
		assertThat(UnixSocketAddress.encode("/" + "p".repeat(106), ByteOrder.LITTLE_ENDIAN)).hasSize(2 + 108);
		assertThat(UnixSocketAddress.encode("@" + "a".repeat(107), ByteOrder.LITTLE_ENDIAN)).hasSize(2 + 108);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> UnixSocketAddress.encode("@" + "a".repeat(108), ByteOrder.LITTLE_ENDIAN))
			.withMessageContaining("abstract name has 108 bytes");
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> UnixSocketAddress.encode("@", ByteOrder.LITTLE_ENDIAN))
			.withMessageContaining("empty");
	}

	@Test
	void fallbackCannotReapNorAdopt() {
		FallbackNativeAccess fallback = new FallbackNativeAccess();
		assertThat(fallback.setChildSubreaper()).isFalse();
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> fallback.waitpidNoHang(42))
			.withMessageContaining("net.java.dev.jna:jna");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> fallback.waitpidNoHang(-1));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
