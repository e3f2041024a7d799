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
import java.util.Map;

import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake's steps one by one, on a real Unix socket: the instance's end writes, the
 * supervisor's end is what the handshake reads and, when it refuses, closes. That only
 * one instance is connected at a time is the server's rule, tested with the server.
 */
class ControlHandshakeTests {

	private static final byte[] SECRET = { 1, 2, 3, 4 };

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
	void theHelloOfAPeerRunningAsThisUserIsRead() throws IOException {
		new FrameChannel(this.instance, FrameChannel.HANDSHAKE_FRAME_LIMIT).write(hello(SECRET, 7));

		Message.Hello hello = this.handshake.readHello(this.accepted, handshakeFrames());

		assertThat(hello.secret()).containsExactly(SECRET);
		assertThat(hello.pid()).isEqualTo(7);
		assertThat(log()).isEmpty();
	}

	@Test
	void aFirstFrameThatIsNotAHelloIsRefused() throws IOException {
		new FrameChannel(this.instance, FrameChannel.HANDSHAKE_FRAME_LIMIT).write(new Message.Heartbeat());

		assertThat(this.handshake.readHello(this.accepted, handshakeFrames())).isNull();

		assertRefused("first frame was Heartbeat, not a hello");
	}

	@Test
	void aPeerThatClosesBeforeSayingHelloIsRefused() throws IOException {
		this.instance.close();

		assertThat(this.handshake.readHello(this.accepted, handshakeFrames())).isNull();

		assertRefused("closed before saying hello");
	}

	@Test
	void aFirstFrameLargerThanTheHandshakeLimitIsRefused() throws IOException {
		this.instance.write(ByteBuffer.allocate(4).putInt(0, FrameChannel.HANDSHAKE_FRAME_LIMIT + 1));

		assertThat(this.handshake.readHello(this.accepted, handshakeFrames())).isNull();

		assertThat(log()).contains("refused a connection on the control channel: malformed first frame: ");
		assertThat(this.accepted.isOpen()).isFalse();
	}

	@Test
	void withoutAnExpectedInstanceEveryHelloHasTheWrongSecret() {
		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7))).isFalse();

		assertRefused("wrong secret (pid claimed 7)");
	}

	@Test
	void theExpectedInstancesHelloIsClaimedWithItsPid() {
		this.handshake.expect(1, SECRET);
		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7))).isTrue();
		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 7))).isEqualTo(new ExpectedInstance(1, SECRET, 7));
		assertThat(log()).isEmpty();
	}

	@Test
	void aSecretAdmitsOneConnectionOnly() {
		this.handshake.expect(1, SECRET);
		this.handshake.claim(this.accepted, hello(SECRET, 7));

		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 7))).isNull();

		assertRefused("wrong secret (pid claimed 7)");
	}

	@Test
	void aPidLearnedAfterTheSecretWasUsedUpDoesNotBringItBack() {
		this.handshake.expect(1, SECRET);
		this.handshake.claim(this.accepted, hello(SECRET, 7));

		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7))).isFalse();
	}

	@Test
	void aPidLearnedBetweenTheCheckAndTheClaimIsCheckedByTheClaim() {
		this.handshake.expect(1, SECRET);
		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 8))).isTrue();

		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 8))).isNull();
		assertRefused("pid 8 is not instance 1 (pid 7)");
	}

	@Test
	void thePidOfAnotherInstanceIsIgnored() {
		this.handshake.expect(2, SECRET);

		this.handshake.expectPid(1, 7);

		assertThat(this.handshake.claim(this.accepted, hello(SECRET, 8))).isEqualTo(new ExpectedInstance(2, SECRET));
	}

	@Test
	void theNextInstanceReplacesTheOneExpectedBefore() {
		this.handshake.expect(1, SECRET);

		this.handshake.expect(2, new byte[] { 5, 6, 7, 8 });

		assertThat(this.handshake.isExpected(this.accepted, hello(SECRET, 7))).isFalse();
	}

	@Test
	void aRefusalIsLoggedAndClosesTheConnection() {
		this.handshake.refuse(this.accepted, "a reason");

		assertRefused("a reason");
	}

	private FrameChannel handshakeFrames() {
		return new FrameChannel(this.accepted, FrameChannel.HANDSHAKE_FRAME_LIMIT);
	}

	private static Message.Hello hello(byte[] secret, long pid) {
		return new Message.Hello(secret, pid, Map.of());
	}

	private void assertRefused(String reason) {
		assertThat(log()).contains("refused a connection on the control channel: " + reason + "; supervision goes on");
		assertThat(this.accepted.isOpen()).isFalse();
	}

	private String log() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}
