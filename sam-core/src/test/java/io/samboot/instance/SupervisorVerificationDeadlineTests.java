package io.samboot.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import io.samboot.SamException;
import io.samboot.instance.SupervisorVerification.AnswerDeadline;
import io.samboot.protocol.FrameChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The time the supervisor has to answer the instance's challenge: a peer that never
 * answers is given up on when it is up, and an answer ends the thread that keeps it.
 */
@Timeout(30)
class SupervisorVerificationDeadlineTests {

	@TempDir
	Path directory;

	@Test
	void aPeerThatNeverAnswersIsGivenUpOnWhenTheTimeIsUp() throws IOException {
		Path socket = this.directory.resolve("control.sock");
		try (ServerSocketChannel silent = listen(socket);
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
		}
	}

	@Test
	void anUnansweredDeadlineClosesTheChannelAndEnds() throws Exception {
		Path socket = this.directory.resolve("control.sock");
		try (ServerSocketChannel silent = listen(socket);
				SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
				SocketChannel accepted = silent.accept()) {
			AnswerDeadline deadline = AnswerDeadline.start(channel, Duration.ofMillis(200));
			deadline.join(Duration.ofSeconds(10).toMillis());
			assertThat(deadline.isAlive()).isFalse();
			assertThat(channel.isOpen()).isFalse();
		}
	}

	@Test
	void anAnswerEndsTheDeadlineAtOnceAndLeavesTheChannelOpen() throws Exception {
		Path socket = this.directory.resolve("control.sock");
		try (ServerSocketChannel silent = listen(socket);
				SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
				SocketChannel accepted = silent.accept()) {
			AnswerDeadline deadline = AnswerDeadline.start(channel, Duration.ofSeconds(60));
			deadline.answered();
			deadline.join(Duration.ofSeconds(10).toMillis());
			assertThat(deadline.isAlive()).isFalse();
			assertThat(channel.isOpen()).isTrue();
		}
	}

	private static ServerSocketChannel listen(Path socket) throws IOException {
		return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
	}

}
