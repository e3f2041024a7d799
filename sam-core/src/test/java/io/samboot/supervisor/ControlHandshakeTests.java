package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The handshake's steps one by one, on a real Unix socket: the instance's end writes, the
 * supervisor's end is what the handshake reads, answers and, when it refuses, closes.
 * That only one instance is connected at a time is the server's rule, tested with the
 * server.
 */
class ControlHandshakeTests {

	private static final byte[] SECRET = { 1, 2, 3, 4 };

	/** The nonces of the connection the hellos below are made for: instance 1's. */
	private static final HandshakeProofs PROOFS = new HandshakeProofs(1, HandshakeProofs.nonce(),
			HandshakeProofs.nonce());

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	@TempDir
	Path temp;

	private ServerSocketChannel server;

	private SocketChannel instance;

	private SocketChannel accepted;

	private ControlHandshake handshake;

	@BeforeEach
	void connect() throws IOException {
		UnixDomainSocketAddress address = UnixDomainSocketAddress.of(this.temp.resolve("control.sock"));
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
		this.instance = SocketChannel.open(address);
		this.accepted = this.server.accept();
		this.handshake = new ControlHandshake(DirectoryOwner.of(this.temp),
				SamLog.to(new SupervisorConsole(new PrintStream(this.output, true, StandardCharsets.UTF_8), 1)));
	}

	@AfterEach
	void close() throws IOException {
		this.handshake.close();
		this.instance.close();
		this.accepted.close();
		this.server.close();
	}

	@Test
	void theDeadlineTimerKeepsNoThreadOnceNoHandshakeIsPending() {
		ScheduledFuture<?> deadline = this.handshake.deadline(this.accepted);
		assertThat(this.handshake.timerThreads()).isEqualTo(1);

		deadline.cancel(false);

		await("the timer's thread ended").atMost(Duration.ofSeconds(30))
			.until(() -> this.handshake.timerThreads() == 0);
		assertThat(this.accepted.isOpen()).isTrue();
	}

	@Test
	void theChallengeOfAPeerRunningAsThisUserIsRead() throws IOException {
		byte[] nonce = HandshakeProofs.nonce();
		instanceFrames().write(new Message.Challenge(HandshakeProofs.VERSION, 1, nonce));

		Message.Challenge challenge = this.handshake.readChallenge(this.accepted, handshakeFrames());

		assertThat(challenge.instanceId()).isEqualTo(1);
		assertThat(challenge.nonce()).containsExactly(nonce);
		assertThat(log()).isEmpty();
	}

	@Test
	void aFirstFrameThatIsNotAChallengeIsRefused() throws IOException {
		instanceFrames().write(new Message.Heartbeat());

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertRefused("first frame was Heartbeat, not a hello (a challenge)");
	}

	@Test
	void aHelloWithoutAChallengeIsRefused() throws IOException {
		instanceFrames().write(hello(SECRET, 7));

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertRefused("first frame was Hello, not a hello (a challenge)");
	}

	@Test
	void aChallengeOfAnotherHandshakeVersionIsRefused() throws IOException {
		instanceFrames().write(new Message.Challenge(1, 1, HandshakeProofs.nonce()));

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertRefused("handshake version 1, this supervisor speaks 2 (an instance of another SAM version?)");
	}

	@Test
	void aChallengeWithAShortNonceIsRefused() throws IOException {
		instanceFrames().write(new Message.Challenge(HandshakeProofs.VERSION, 1, new byte[1]));

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertRefused("a nonce of 1 bytes, not 32");
	}

	@Test
	void aPeerThatClosesBeforeSayingHelloIsRefused() throws IOException {
		this.instance.close();

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertRefused("closed before saying hello");
	}

	@Test
	void aFirstFrameLargerThanTheHandshakeLimitIsRefused() throws IOException {
		this.instance.write(ByteBuffer.allocate(4).putInt(0, FrameChannel.HANDSHAKE_FRAME_LIMIT + 1));

		assertThat(this.handshake.readChallenge(this.accepted, handshakeFrames())).isNull();

		assertThat(log()).contains("refused a connection on the control channel: malformed first frame: ");
		assertThat(this.accepted.isOpen()).isFalse();
	}

	@Test
	void theExpectedInstanceIsAnsweredWithAProofOfItsSecretNotTheSecret() throws IOException {
		this.handshake.expect(1, SECRET);
		byte[] nonce = HandshakeProofs.nonce();

		HandshakeProofs proofs = this.handshake.answer(this.accepted, handshakeFrames(),
				new Message.Challenge(HandshakeProofs.VERSION, 1, nonce));

		Message.ChallengeAnswer answer = (Message.ChallengeAnswer) instanceFrames().read();
		assertThat(proofs.instanceNonce()).containsExactly(nonce);
		assertThat(answer.nonce()).containsExactly(proofs.supervisorNonce()).hasSize(HandshakeProofs.LENGTH);
		assertThat(answer.proof()).containsExactly(new HandshakeProofs(1, nonce, answer.nonce()).bySupervisor(SECRET));
		assertThat(log()).isEmpty();
	}

	@Test
	void aChallengeForAnInstanceThatIsNotExpectedGetsNoAnswer() throws IOException {
		this.handshake.expect(1, SECRET);

		assertThat(this.handshake.answer(this.accepted, handshakeFrames(),
				new Message.Challenge(HandshakeProofs.VERSION, 3, HandshakeProofs.nonce())))
			.isNull();

		assertRefused("instance 3 is not expected");
		assertThat(instanceFrames().read()).as("nothing sent").isNull();
	}

	@Test
	void aFrameAfterTheChallengeThatIsNotAHelloIsRefused() throws IOException {
		instanceFrames().write(new Message.Heartbeat());

		assertThat(this.handshake.readHello(this.accepted, handshakeFrames())).isNull();

		assertRefused("the frame after the challenge was Heartbeat, not a hello");
	}

	@Test
	void withoutAnExpectedInstanceEveryHelloHasTheWrongSecret() {
		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7), PROOFS)).isFalse();

		assertRefused("wrong secret, its proof does not match (pid claimed 7)");
	}

	@Test
	void theExpectedInstancesHelloIsClaimedWithItsPid() {
		this.handshake.expect(1, SECRET);
		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7), PROOFS)).isTrue();
		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 7), PROOFS))
			.isEqualTo(new ExpectedInstance(1, SECRET, 7));
		assertThat(log()).isEmpty();
	}

	@Test
	void aSecretAdmitsOneConnectionOnly() {
		this.handshake.expect(1, SECRET);
		this.handshake.claim(this.accepted, hello(SECRET, 7), PROOFS);

		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 7), PROOFS)).isNull();

		assertRefused("wrong secret, its proof does not match (pid claimed 7)");
	}

	@Test
	void aPidLearnedAfterTheSecretWasUsedUpDoesNotBringItBack() {
		this.handshake.expect(1, SECRET);
		this.handshake.claim(this.accepted, hello(SECRET, 7), PROOFS);

		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7), PROOFS)).isFalse();
	}

	@Test
	void aPidLearnedBetweenTheCheckAndTheClaimIsCheckedByTheClaim() {
		this.handshake.expect(1, SECRET);
		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 8), PROOFS)).isTrue();

		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 8), PROOFS)).isNull();
		assertRefused("pid 8 is not instance 1 (pid 7)");
	}

	@Test
	void thePidOfAnotherInstanceIsIgnored() {
		HandshakeProofs second = new HandshakeProofs(2, HandshakeProofs.nonce(), HandshakeProofs.nonce());
		this.handshake.expect(2, SECRET);

		this.handshake.expectPid(1, 7);

		assertThat(
				this.handshake.claim(this.accepted, new Message.Hello(second.byInstance(SECRET), 8, Map.of()), second))
			.isEqualTo(new ExpectedInstance(2, SECRET));
	}

	@Test
	void theNextInstanceReplacesTheOneExpectedBefore() {
		this.handshake.expect(1, SECRET);

		this.handshake.expect(2, new byte[] { 5, 6, 7, 8 });

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7), PROOFS)).isFalse();
	}

	@Test
	void aRefusalIsLoggedAndClosesTheConnection() {
		this.handshake.refuse(this.accepted, "a reason");

		assertRefused("a reason");
	}

	private FrameChannel handshakeFrames() {
		return new FrameChannel(this.accepted, FrameChannel.HANDSHAKE_FRAME_LIMIT);
	}

	private FrameChannel instanceFrames() {
		return new FrameChannel(this.instance, FrameChannel.HANDSHAKE_FRAME_LIMIT);
	}

	/**
	 * The hello of an instance holding {@code secret}, on the connection of
	 * {@link #PROOFS}.
	 */
	private static Message.Hello hello(byte[] secret, long pid) {
		return new Message.Hello(PROOFS.byInstance(secret), pid, Map.of());
	}

	private void assertRefused(String reason) {
		assertThat(log()).contains("refused a connection on the control channel: " + reason + "; supervision goes on");
		assertThat(this.accepted.isOpen()).isFalse();
	}

	private String log() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}
