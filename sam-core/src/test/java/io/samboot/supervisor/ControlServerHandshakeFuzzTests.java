package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.InstanceHandshake;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's side of the handshake under any bytes a peer can send: a real
 * {@link ControlServer} on a real Unix socket gets the fuzz input from one connection (as
 * its first bytes, or after a real challenge where the hello with its proof belongs),
 * then the expected instance's challenge and hello on the next. For every input the
 * hostile connection is refused, logged and closed without ever reaching the supervisor
 * loop, gets at most the answer to a challenge and never the secret, no thread is left
 * behind, and the instance that follows is still admitted.
 *
 * <p>
 * The secret changes with every input, as it does with every instance, so the fuzzer
 * cannot learn it from one input to the next. Seeds: real frames (see
 * {@code io.samboot.protocol.RealFrames}).
 */
@Isolated("counts the control server's connection threads")
class ControlServerHandshakeFuzzTests {

	private static final long PID = ProcessHandle.current().pid();

	private static final long WAIT_MILLIS = 5_000;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static InboxThread loop;

	private static BlockingQueue<SupervisorEvent> events;

	private static final BlockingQueue<String> log = new LinkedBlockingQueue<>();

	private static ControlServer server;

	@BeforeAll
	static void openServer() throws IOException {
		// The console's lines as they reach its stream, each up to its end.
		OutputStream console = new OutputStream() {

			private final ByteArrayOutputStream line = new ByteArrayOutputStream();

			@Override
			public synchronized void write(int b) {
				if (b == '\n') {
					log.add(this.line.toString(StandardCharsets.UTF_8).stripTrailing());
					this.line.reset();
				}
				else {
					this.line.write(b);
				}
			}

		};
		PrintStream lines = new PrintStream(console, true, StandardCharsets.UTF_8);
		SamLog samLog = SamLog.to(new SupervisorConsole(lines, PID));
		loop = InboxThread.start(samLog);
		events = loop.events();
		server = ControlServer.open(loop.inbox(), samLog);
	}

	@AfterAll
	static void closeServer() throws InterruptedException {
		server.close();
		loop.close();
	}

	@FuzzTest
	void garbageThenALegitimateHello(byte[] input) throws Exception {
		byte[] secret = expectInstance();

		try (SocketChannel hostile = connect()) {
			try {
				hostile.write(ByteBuffer.wrap(input));
				hostile.shutdownOutput();
			}
			catch (IOException refusedEarly) {
				// The server may close the connection before all of it is written.
			}
			assertOneRefusal();
			assertClosedByServer(hostile, secret);
		}
		assertThat(events).as("events from a refused connection").isEmpty();

		assertTheInstanceIsAdmitted(secret, input);
	}

	/**
	 * The step after the supervisor proved itself: a peer that sent a real challenge for
	 * the expected instance, and got the supervisor's real answer, sends the input where
	 * the hello with its own proof belongs. It cannot prove a secret it does not hold:
	 * refused, and the instance that follows is admitted.
	 */
	@FuzzTest
	void garbageInsteadOfTheHelloAfterARealChallenge(byte[] input) throws Exception {
		byte[] secret = expectInstance();

		try (SocketChannel hostile = connect()) {
			FrameChannel frames = new FrameChannel(hostile, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, 1, HandshakeProofs.nonce()));
			Message answer = frames.read();
			assertThat(answer).isInstanceOf(Message.ChallengeAnswer.class);
			assertThat(((Message.ChallengeAnswer) answer).proof()).isNotEqualTo(secret);
			try {
				hostile.write(ByteBuffer.wrap(input));
				hostile.shutdownOutput();
			}
			catch (IOException refusedEarly) {
				// The server may close the connection before all of it is written.
			}
			assertOneRefusal();
			assertClosedByServer(hostile, secret);
		}
		assertThat(events).as("events from a refused connection").isEmpty();

		assertTheInstanceIsAdmitted(secret, input);
	}

	/** A new secret for instance 1, as for every instance, so no input can learn it. */
	private static byte[] expectInstance() {
		events.clear();
		log.clear();
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		server.expect(1, secret);
		server.expectPid(1, PID);
		return secret;
	}

	private static void assertOneRefusal() throws InterruptedException {
		String refusal = log.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
		assertThat(refusal).as("log line for the hostile connection")
			.isNotNull()
			.contains("refused a connection on the control channel: ")
			.contains("supervision goes on");
	}

	private static void assertTheInstanceIsAdmitted(byte[] secret, byte[] input) throws Exception {
		try (SocketChannel instance = connect()) {
			InstanceHandshake.sayHello(new FrameChannel(instance, FrameChannel.HANDSHAKE_FRAME_LIMIT), 1, secret, PID,
					SamSettings.defaults().toMap());
			SupervisorEvent connected = events.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
			assertThat(connected).as("the instance's hello after input %s, log %s", Arrays.toString(input), log)
				.isInstanceOf(SupervisorEvent.Connected.class);
			assertThat(((SupervisorEvent.Connected) connected).instanceId()).isEqualTo(1);
			server.disconnect(1);
			assertThat(events.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(new SupervisorEvent.Disconnected(1));
		}
		assertThat(log).as("log lines besides the one refusal").isEmpty();
		awaitNoConnectionThreads();
	}

	private static SocketChannel connect() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(server.socketPath()));
		return channel;
	}

	/**
	 * The server closes a refused connection: reading ends (or is reset), and what it
	 * sent an unauthenticated peer is at most one answer to a challenge, which holds a
	 * proof and never the secret.
	 */
	private static void assertClosedByServer(SocketChannel channel, byte[] secret) throws Exception {
		channel.configureBlocking(false);
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
		while (true) {
			int read;
			try {
				read = channel.read(buffer);
			}
			catch (IOException reset) {
				read = -1;
			}
			if (read < 0) {
				break;
			}
			assertThat(System.nanoTime() - deadline).as("the server keeps a refused connection open").isNegative();
			Thread.sleep(1);
		}
		byte[] sent = Arrays.copyOf(buffer.array(), buffer.position());
		assertThat(indexOf(sent, secret)).as("the secret in what the server sent").isNegative();
		if (sent.length > 0) {
			ByteBuffer frame = ByteBuffer.wrap(sent);
			int length = frame.getInt();
			assertThat(length).as("one frame").isEqualTo(sent.length - 4);
			assertThat(MessageCodec.decode(Arrays.copyOfRange(sent, 4, sent.length)))
				.as("what the server sent an unauthenticated peer")
				.isInstanceOf(Message.ChallengeAnswer.class);
		}
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		for (int at = 0; at + needle.length <= haystack.length; at++) {
			if (Arrays.equals(haystack, at, at + needle.length, needle, 0, needle.length)) {
				return at;
			}
		}
		return -1;
	}

	/** Handshake and writer threads of ended connections end too. */
	private static void awaitNoConnectionThreads() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
		while (true) {
			long left = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter(thread -> thread.getName().startsWith("sam-connection-")
						|| thread.getName().startsWith("sam-writer-"))
				.count();
			if (left == 0) {
				return;
			}
			assertThat(System.nanoTime() - deadline).as("%d connection threads still running", left).isNegative();
			Thread.sleep(1);
		}
	}

}
