package io.samboot.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance 1 is launched before the lean supervisor JVM takes over and connects the
 * moment the socket appears: the expectation set before accepting is there when its
 * challenge is read (it was set after accepting had begun, and a CI run met an instance
 * refused as "not expected").
 */
class ControlServerFirstInstanceTests {

	private static final SamLog LOG = SamLog.get(ControlServer.class);

	private SupervisorInbox inbox;

	private ControlServer server;

	private SocketChannel instance;

	@AfterEach
	void close() throws IOException {
		if (this.instance != null) {
			this.instance.close();
		}
		if (this.server != null) {
			this.server.close();
		}
		if (this.inbox != null) {
			this.inbox.close();
		}
	}

	@Test
	void aChallengeSentBeforeAnythingIsAcceptedIsAnsweredForTheInstanceExpectedBeforeAccepting() throws Exception {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		byte[] nonce = HandshakeProofs.nonce();
		AtomicReference<FrameChannel> frames = new AtomicReference<>();
		this.inbox = SupervisorInbox.open(LOG);
		this.server = ControlServer.openIn(ControlDirectory.create(LOG), this.inbox, LOG, (opened) -> {
			try {
				// Connected and challenged while nothing accepts yet: the kernel holds
				// both.
				this.instance = SocketChannel.open(StandardProtocolFamily.UNIX);
				this.instance.connect(UnixDomainSocketAddress.of(opened.socketPath()));
				frames.set(new FrameChannel(this.instance, FrameChannel.HANDSHAKE_FRAME_LIMIT));
				frames.get().write(new Message.Challenge(HandshakeProofs.VERSION, 1, nonce));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			opened.expect(1, secret);
			opened.expectPid(1, ProcessHandle.current().pid());
		});

		Message answer = frames.get().read();

		assertThat(answer).isInstanceOf(Message.ChallengeAnswer.class);
		HandshakeProofs proofs = new HandshakeProofs(1, nonce, ((Message.ChallengeAnswer) answer).nonce());
		assertThat(HandshakeProofs.same(proofs.bySupervisor(secret), ((Message.ChallengeAnswer) answer).proof()))
			.isTrue();
	}

}
