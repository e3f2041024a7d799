package io.samboot.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import io.samboot.SamException;
import io.samboot.protocol.FrameChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A peer that takes the instance's challenge and never answers does not hold the
 * instance's start for longer than the time allowed; the thread that keeps that time ends
 * with it.
 */
class SupervisorVerificationDeadlineTests {

	@TempDir
	Path directory;

	@Test
	@Timeout(30)
	void aPeerThatNeverAnswersIsGivenUpOnWhenTheTimeIsUp() throws IOException {
		Path socket = this.directory.resolve("control.sock");
		try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
			.bind(UnixDomainSocketAddress.of(socket));
				SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
				SocketChannel accepted = silent.accept()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			long start = System.nanoTime();

			assertThatExceptionOfType(SamException.class)
				.isThrownBy(() -> SupervisorVerification.challenge(channel, frames, socket.toString(), 1, new byte[32],
						Duration.ofMillis(300)))
				.withMessageContaining("no answer within");

			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
			assertThat(channel.isOpen()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> !deadlineThreadRuns());
		}
	}

	private static boolean deadlineThreadRuns() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((t) -> t.getName().equals("sam-handshake-deadline"));
	}

}
