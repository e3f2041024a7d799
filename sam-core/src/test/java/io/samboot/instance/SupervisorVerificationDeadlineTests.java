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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The time the supervisor has to answer the instance's challenge: a peer that never
 * answers is given up on when it is up, and an answer ends the thread that keeps it. The
 * peer here accepts and never says anything.
 */
@Timeout(30)
class SupervisorVerificationDeadlineTests {

	@TempDir
	Path directory;

	private Path socket;

	private ServerSocketChannel silent;

	private SocketChannel channel;

	private SocketChannel accepted;

	@BeforeEach
	void connectToASilentPeer() throws IOException {
		this.socket = this.directory.resolve("control.sock");
		this.silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
			.bind(UnixDomainSocketAddress.of(this.socket));
		this.channel = SocketChannel.open(UnixDomainSocketAddress.of(this.socket));
		this.accepted = this.silent.accept();
	}

	@AfterEach
	void close() throws IOException {
		this.accepted.close();
		this.channel.close();
		this.silent.close();
	}

	@Test
	void aPeerThatNeverAnswersIsGivenUpOnWhenTheTimeIsUp() {
		FrameChannel frames = new FrameChannel(this.channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
		long start = System.nanoTime();

		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> SupervisorVerification.challenge(this.channel, frames, this.socket.toString(), 1,
					new byte[32], Duration.ofMillis(300)))
			.withMessageContaining("no answer within");

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anUnansweredDeadlineClosesTheChannelAndEnds() throws InterruptedException {
		AnswerDeadline deadline = AnswerDeadline.start(this.channel, Duration.ofMillis(200));
		deadline.join(Duration.ofSeconds(10).toMillis());
		assertThat(deadline.isAlive()).isFalse();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anAnswerEndsTheDeadlineAtOnceAndLeavesTheChannelOpen() throws InterruptedException {
		AnswerDeadline deadline = AnswerDeadline.start(this.channel, Duration.ofSeconds(60));
		deadline.answered();
		deadline.join(Duration.ofSeconds(10).toMillis());
		assertThat(deadline.isAlive()).isFalse();
		assertThat(this.channel.isOpen()).isTrue();
	}

}
