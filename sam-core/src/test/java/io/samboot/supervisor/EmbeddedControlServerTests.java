package io.samboot.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import io.samboot.SamSettings;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.InstanceHandshake;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The public seam for a caller that plays the loop: the real control server on a real
 * Unix socket, what the instance does taken from its event queue.
 */
class EmbeddedControlServerTests {

	private static final long PID = ProcessHandle.current().pid();

	private static final long WAIT_SECONDS = 10;

	private final byte[] secret = new byte[32];

	private EmbeddedControlServer server;

	private SocketChannel instance;

	private FrameChannel frames;

	@BeforeEach
	void open() throws IOException {
		new SecureRandom().nextBytes(this.secret);
		this.server = EmbeddedControlServer.open();
		this.server.expect(1, this.secret);
		this.server.expectPid(1, PID);
		this.instance = SocketChannel.open(StandardProtocolFamily.UNIX);
		this.instance.connect(UnixDomainSocketAddress.of(this.server.socketPath()));
		this.frames = new FrameChannel(this.instance, 8 * 1024 * 1024);
	}

	@AfterEach
	void close() throws IOException {
		this.instance.close();
		this.server.close();
	}

	@Test
	void theExpectedInstancesHelloComesFirst() throws Exception {
		InstanceHandshake.sayHello(this.frames, 1, this.secret, PID, SamSettings.defaults().toMap());

		Message first = this.server.next(WAIT_SECONDS, TimeUnit.SECONDS);

		assertThat(first).isInstanceOf(Message.Hello.class);
		assertThat(((Message.Hello) first).pid()).isEqualTo(PID);
		assertThat(((Message.Hello) first).settings()).isEqualTo(SamSettings.defaults().toMap());
	}

	@Test
	void theInstancesMessagesFollowInOrder() throws Exception {
		sayHello();

		this.frames.write(new Message.Heartbeat());
		this.frames.write(new Message.Start(true));

		assertThat(this.server.next(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Message.Heartbeat());
		assertThat(this.server.next(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Message.Start(true));
	}

	@Test
	void whatIsSentReachesTheInstance() throws Exception {
		sayHello();

		this.server.send(1, new Message.HealthCheckRequest(7));

		assertThat(this.frames.read()).isEqualTo(new Message.HealthCheckRequest(7));
	}

	@Test
	void nothingWithinTheTimeoutIsNull() throws Exception {
		sayHello();

		assertThat(this.server.next(10, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void anInstanceThatClosesItsChannelEndsTheConversation() throws Exception {
		sayHello();

		this.instance.close();

		assertThatExceptionOfType(ClosedChannelException.class)
			.isThrownBy(() -> this.server.next(WAIT_SECONDS, TimeUnit.SECONDS));
	}

	@Test
	void closingRemovesThePrivateDirectory() throws Exception {
		// Admitted first: a server closed while a connection's thread is still starting
		// its handshake makes that thread fail on the stopped timer (as it always has),
		// which this test is not about.
		sayHello();
		Path directory = Path.of(this.server.socketPath()).getParent();

		this.server.close();

		assertThat(directory).doesNotExist();
	}

	private void sayHello() throws Exception {
		InstanceHandshake.sayHello(this.frames, 1, this.secret, PID, SamSettings.defaults().toMap());
		assertThat(this.server.next(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(Message.Hello.class);
	}

}
