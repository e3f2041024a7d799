package io.samboot.instance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.samboot.SamException;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The instance's side of the handshake under any answer an impostor can give: a listener
 * that is not the supervisor (it does not hold the secret) reads the instance's challenge
 * and answers with the fuzz input. For every input the instance refuses with a
 * {@link SamException} and sends nothing after its challenge: no hello, no proof, no
 * settings, never the secret. Seeds: real frames (see
 * {@code io.samboot.protocol.RealFrames}).
 */
class SupervisorVerificationFuzzTests {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static Path directory;

	private static Path socket;

	private static ServerSocketChannel impostor;

	@BeforeAll
	static void listen() throws IOException {
		directory = Files.createTempDirectory("sam-impostor");
		socket = directory.resolve("control.sock");
		impostor = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
	}

	@AfterAll
	static void close() throws IOException {
		impostor.close();
		Files.deleteIfExists(socket);
		Files.deleteIfExists(directory);
	}

	@FuzzTest
	void impostorAnswers(byte[] input) throws Exception {
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> answer(input));

		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> InstanceConnection.connect(Map.of(Handoff.SOCKET, socket.toString(), Handoff.SECRET,
					Handoff.toHex(secret), Handoff.INSTANCE_ID, "1"), Map.of(), 1024 * 1024, (request) -> {
					}, () -> {
						throw new AssertionError("a connection was made");
					}))
			.withMessageContaining(socket.toString());

		byte[] bytes = received.get(10, TimeUnit.SECONDS);
		assertThat(indexOf(bytes, secret)).as("the secret in what the instance sent").isNegative();
		ByteBuffer frame = ByteBuffer.wrap(bytes);
		int length = frame.getInt();
		assertThat(length).as("one frame, the challenge, and nothing after it").isEqualTo(bytes.length - 4);
		Message challenge = MessageCodec.decode(Arrays.copyOfRange(bytes, 4, bytes.length));
		assertThat(challenge).isInstanceOf(Message.Challenge.class);
		assertThat(((Message.Challenge) challenge).version()).isEqualTo(HandshakeProofs.VERSION);
	}

	/**
	 * Accepts the instance, reads its challenge, answers with the input, then gathers all
	 * it sends until it closes.
	 */
	private static byte[] answer(byte[] input) {
		try (SocketChannel instance = impostor.accept()) {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			FrameChannel frames = new FrameChannel(instance, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			Message challenge = frames.read();
			all.writeBytes(frameOf(challenge));
			try {
				instance.write(ByteBuffer.wrap(input));
				instance.shutdownOutput();
			}
			catch (IOException closedEarly) {
				// The instance may refuse before all of it is written.
			}
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			while (true) {
				int read;
				try {
					read = instance.read(buffer.clear());
				}
				catch (IOException reset) {
					read = -1;
				}
				if (read < 0) {
					return all.toByteArray();
				}
				all.write(buffer.array(), 0, read);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] frameOf(Message message) {
		byte[] body = MessageCodec.encode(message);
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		for (int at = 0; at + needle.length <= haystack.length; at++) {
			if (Arrays.equals(haystack, at, at + needle.length, needle, 0, needle.length)) {
				return at;
			}
		}
		return -1;
	}

}
