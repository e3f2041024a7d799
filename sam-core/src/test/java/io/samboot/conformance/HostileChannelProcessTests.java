package io.samboot.conformance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers that are not the instance, on the real control socket of a real supervisor: each
 * is refused and logged, and the supervised instance goes on undisturbed. The secret and
 * socket path are read the way a same-user attacker could: from the instance's /proc
 * environ.
 */
@Execution(ExecutionMode.SAME_THREAD)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("process")
class HostileChannelProcessTests {

	private static final Duration STEP = Duration.ofSeconds(20);

	private SupervisedApp app;

	private long instance;

	private Path socket;

	private byte[] secret;

	@BeforeAll
	void startSupervisedApplication() throws Exception {
		this.app = SupervisedApp.start(Jdk.current(), SamFixture.class,
				List.of("-Dsam.control.handshake-timeout-ms=500"), "heartbeat", "400");
		this.instance = this.app.instancePid(1, STEP);
		this.app.awaitLine("MARK iid=1 pid=" + this.instance + " started", STEP);
		Map<String, String> environ = environ(this.instance);
		this.socket = Path.of(environ.get(Handoff.SOCKET));
		this.secret = Handoff.fromHex(environ.get(Handoff.SECRET));
	}

	@AfterAll
	void stop() {
		this.app.close();
	}

	@Test
	void theSocketLivesInADirectoryOnlyTheUserCanEnter() throws IOException {
		assertThat(Files.getPosixFilePermissions(this.socket.getParent()))
			.containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
	}

	@Test
	void aChallengeForAnInstanceNotExpectedGetsNoProof() throws Exception {
		try (SocketChannel channel = connect()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			// Instance 1 is connected and no other is expected: the supervisor proves
			// nothing to this peer (wrong proofs are refused in ControlHandshakeTests).
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, 2, HandshakeProofs.nonce()));
			assertThat(frames.read()).as("an answer for an instance not expected").isNull();
		}
		expectRefusalAndUndisturbedSupervision("instance 2 is not expected");
	}

	@Test
	void theSecretInAVersion1HelloIsRefusedUnread() throws Exception {
		// The version 1 hello: type 0x01, the secret in clear, the pid, no settings.
		byte[] body = ByteBuffer.allocate(1 + 4 + this.secret.length + 8 + 4)
			.put((byte) 0x01)
			.putInt(this.secret.length)
			.put(this.secret)
			.putLong(this.instance)
			.putInt(0)
			.array();
		sendFrame(body);
		expectRefusalAndUndisturbedSupervision("malformed first frame: unknown message type 0x1");
	}

	@Test
	void aSecondHelloWithTheRightSecretIsRefused() throws Exception {
		try (SocketChannel channel = connect()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			HandshakeProofs proofs = challenge(frames);
			frames.write(new Message.Hello(proofs.byInstance(this.secret), this.instance, Map.of()));
			assertThat(frames.read()).as("an answer to a second hello").isNull();
		}
		expectRefusalAndUndisturbedSupervision("not a command hello (a second connection)");
	}

	@Test
	void theSecretAloneOpensNoCommandConnectionAndTheAnswerProvesNothingAboutIt() throws Exception {
		try (SocketChannel channel = connect()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			byte[] nonce = HandshakeProofs.nonce();
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, 1, nonce));
			Message.ChallengeAnswer answer = (Message.ChallengeAnswer) frames.read();
			HandshakeProofs proofs = new HandshakeProofs(1, nonce, answer.nonce());
			// It proves the key of the instance's control connection, not the secret: no
			// proof of the secret to relay.
			assertThat(answer.proof()).isNotEqualTo(proofs.bySupervisor(this.secret));
			frames.write(new Message.CommandHello(proofs.byInstanceForCommands(this.secret)));
			assertThat(frames.read()).as("an answer to a command hello proving the secret alone").isNull();
		}
		expectRefusalAndUndisturbedSupervision("wrong key for a command connection of instance 1");
	}

	/**
	 * Challenges the supervisor for instance 1 (connected: it answers as to a command
	 * connection).
	 * @return the connection's nonces
	 */
	private HandshakeProofs challenge(FrameChannel frames) throws IOException {
		byte[] nonce = HandshakeProofs.nonce();
		frames.write(new Message.Challenge(HandshakeProofs.VERSION, 1, nonce));
		Message answer = frames.read();
		assertThat(answer).isInstanceOf(Message.ChallengeAnswer.class);
		return new HandshakeProofs(1, nonce, ((Message.ChallengeAnswer) answer).nonce());
	}

	@Test
	void garbageIsRefused() throws Exception {
		byte[] garbage = new byte[64];
		new Random(7).nextBytes(garbage);
		garbage[0] = 0;
		garbage[1] = 0;
		garbage[2] = 0;
		garbage[3] = 60;
		send(garbage);
		expectRefusalAndUndisturbedSupervision("malformed first frame");
	}

	@Test
	void anOversizedLengthIsRefusedWithoutAllocating() throws Exception {
		send(ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 1).array());
		expectRefusalAndUndisturbedSupervision("frame length 2147483647 outside");
	}

	@Test
	void aTruncatedFrameIsRefused() throws Exception {
		send(ByteBuffer.allocate(14).putInt(100).put("0123456789".getBytes(StandardCharsets.US_ASCII)).array());
		expectRefusalAndUndisturbedSupervision("truncated first frame");
	}

	@Test
	void aPeerThatSaysNothingIsDisconnected() throws Exception {
		try (SocketChannel channel = connect()) {
			channel.write(ByteBuffer.wrap(new byte[] { 0, 0 }));
			expectRefusalAndUndisturbedSupervision("no hello within 500ms");
		}
	}

	@Test
	void aFloodOfConnectionsIsCappedAndSupervisionGoesOn() throws Exception {
		List<SocketChannel> channels = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				channels.add(connect());
			}
			expectRefusalAndUndisturbedSupervision("connections are waiting to authenticate");
		}
		finally {
			for (SocketChannel channel : channels) {
				channel.close();
			}
		}
	}

	private void expectRefusalAndUndisturbedSupervision(String reason) {
		this.app.awaitLine(
				line -> line.contains("refused a connection on the control channel: ") && line.contains(reason), reason,
				STEP);
		expectUndisturbedSupervision();
	}

	private void expectUndisturbedSupervision() {
		// For two whole time intervals the first instance stays alive and healthy: its
		// heartbeats still count.
		await("instance 1 undisturbed").during(Duration.ofMillis(800))
			.atMost(Duration.ofSeconds(5))
			.until(() -> SupervisedApp.alive(this.instance)
					&& this.app.output().find(line -> line.contains("health-check-timeout")).isEmpty()
					&& this.app.output().find(line -> line.contains("launched instance 2")).isEmpty());
	}

	private SocketChannel connect() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(this.socket));
		return channel;
	}

	private void sendFrame(byte[] body) throws IOException {
		send(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
	}

	private void send(byte[] bytes) throws IOException {
		try (SocketChannel channel = connect()) {
			channel.write(ByteBuffer.wrap(bytes));
		}
	}

	private static Map<String, String> environ(long pid) throws IOException {
		String[] entries = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
				StandardCharsets.UTF_8)
			.split("\0");
		Map<String, String> environment = new HashMap<>();
		for (String entry : entries) {
			int equals = entry.indexOf('=');
			if (equals > 0) {
				environment.put(entry.substring(0, equals), entry.substring(equals + 1));
			}
		}
		return environment;
	}

}
