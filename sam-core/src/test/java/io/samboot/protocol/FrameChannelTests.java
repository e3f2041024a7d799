package io.samboot.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class FrameChannelTests {

	private static final int LIMIT = 64 * 1024;

	@Test
	void anEmptyStreamIsACleanEnd() throws IOException {
		FrameChannel frames = new FrameChannel(new FakeByteChannel(new byte[0]), LIMIT);

		assertThat(frames.read()).isNull();
	}

	@Test
	void anEndOfStreamBetweenFramesIsACleanEnd() throws IOException {
		byte[] stream = concat(FrameBytes.of(new Message.Heartbeat()), FrameBytes.of(new Message.Stop()));
		FrameChannel frames = new FrameChannel(new FakeByteChannel(stream), LIMIT);

		assertThat(frames.read()).isEqualTo(new Message.Heartbeat());
		assertThat(frames.read()).isEqualTo(new Message.Stop());
		assertThat(frames.read()).isNull();
	}

	@ParameterizedTest(name = "{0} of 4 header bytes")
	@ValueSource(ints = { 1, 2, 3 })
	void anEndOfStreamInsideTheHeaderIsAnEofException(int headerBytes) {
		byte[] stream = concat(FrameBytes.of(new Message.Heartbeat()),
				Arrays.copyOf(FrameBytes.of(new Message.Stop()), headerBytes));
		FrameChannel frames = new FrameChannel(new FakeByteChannel(stream), LIMIT);

		assertThatExceptionOfType(EOFException.class).isThrownBy(() -> {
			frames.read();
			frames.read();
		});
	}

	@Test
	void anEndOfStreamInsideTheBodyIsAnEofException() {
		byte[] whole = FrameBytes.of(new Message.DataStore(new byte[100]));
		for (int length = 4; length < whole.length; length++) {
			FrameChannel frames = new FrameChannel(
					new FakeByteChannel(Arrays.copyOf(whole, length), 7, Integer.MAX_VALUE), LIMIT);

			assertThatExceptionOfType(EOFException.class).as("frame cut after %d bytes", length)
				.isThrownBy(frames::read);
		}
	}

	@ParameterizedTest(name = "length {0}")
	@ValueSource(ints = { 0, -1, -2, Integer.MIN_VALUE, LIMIT + 1, Integer.MAX_VALUE })
	void aLengthOutsideOneToTheLimitIsRefusedBeforeReadingOrAllocatingTheBody(int length) {
		byte[] stream = concat(ByteBuffer.allocate(4).putInt(length).array(), new byte[4 * FrameReader.BUFFER_BYTES]);
		try {
			// once unmeasured, so class loading and first-call costs do not count
			new FrameChannel(new FakeByteChannel(stream), LIMIT).read();
		}
		catch (IOException ignored) {
			// judged below
		}
		FakeByteChannel channel = new FakeByteChannel(stream);
		FrameChannel frames = new FrameChannel(channel, LIMIT);
		Throwable thrown = null;
		long before = allocatedBytes();
		try {
			frames.read();
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		long allocated = allocatedBytes() - before;

		assertThat(thrown).isExactlyInstanceOf(ProtocolException.class)
			.hasMessageContaining(Integer.toUnsignedString(length))
			.hasMessageContaining(Integer.toString(LIMIT));
		// One read into the reader's buffer, no more: nothing is read for the body.
		assertThat(channel.consumed()).as("bytes read").isLessThanOrEqualTo(FrameReader.BUFFER_BYTES);
		if (before >= 0) {
			assertThat(allocated).as("bytes allocated").isLessThan(LIMIT);
		}
	}

	@Test
	void aFrameOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() throws IOException {
		byte[] data = new byte[100];
		Arrays.fill(data, (byte) 1);
		byte[] frame = FrameBytes.of(new Message.DataStore(data));
		int bodyLength = frame.length - 4;

		Message read = new FrameChannel(new FakeByteChannel(frame), bodyLength).read();

		assertThat(((Message.DataStore) read).data()).isEqualTo(data);
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> new FrameChannel(new FakeByteChannel(frame), bodyLength - 1).read());
	}

	@Test
	void aChangedFrameLimitTakesEffectForTheNextFrame() throws IOException {
		byte[] big = new byte[4000];
		Arrays.fill(big, (byte) 7);
		byte[] stream = concat(FrameBytes.of(new Message.DataStore(big)),
				FrameBytes.of(new Message.DataStore(new byte[100])));
		FakeByteChannel channel = new FakeByteChannel(stream);
		FrameChannel frames = new FrameChannel(channel, 16);

		frames.frameLimit(8192);
		Message first = frames.read();
		frames.frameLimit(16);

		assertThat(((Message.DataStore) first).data()).isEqualTo(big);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(frames::read).withMessageContaining("16");
	}

	@Test
	void aLowerLimitRefusesAFrameAHigherOneAccepted() throws IOException {
		byte[] frame = FrameBytes.of(new Message.DataStore(new byte[1000]));

		FrameChannel low = new FrameChannel(new FakeByteChannel(frame), LIMIT);
		low.frameLimit(100);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(low::read);

		FrameChannel raised = new FrameChannel(new FakeByteChannel(frame), 100);
		raised.frameLimit(2000);
		assertThat(raised.read()).isInstanceOf(Message.DataStore.class);
	}

	@Test
	void aBodyThatIsNotAMessageIsAProtocolException() {
		byte[] stream = concat(ByteBuffer.allocate(4).putInt(3).array(), new byte[] { 0x7F, 1, 2 });

		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> new FrameChannel(new FakeByteChannel(stream), LIMIT).read());
	}

	@Test
	void readingANonBlockingChannelIsRefusedWithThePollToUseInstead(@TempDir Path directory) throws IOException {
		Path socket = directory.resolve("s");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
					SocketChannel accepted = server.accept()) {
				accepted.configureBlocking(false);
				FrameChannel frames = new FrameChannel(accepted, LIMIT);
				assertThatIllegalStateException().isThrownBy(frames::read).withMessageContaining("reader().poll()");
				assertThat(frames.reader().poll()).as("nothing sent yet").isNull();
			}
		}
	}

	@Test
	void writesAFourByteBigEndianLengthThenTheBody() throws IOException {
		FakeByteChannel channel = FakeByteChannel.forWriting(Integer.MAX_VALUE);
		Message message = new Message.Reply("TOO_BIG", "x");

		new FrameChannel(channel, LIMIT).write(message);

		byte[] body = MessageCodec.encode(message);
		assertThat(channel.written()).isEqualTo(concat(ByteBuffer.allocate(4).putInt(body.length).array(), body));
	}

	@ParameterizedTest(name = "writes of at most {0} bytes, reads of at most {1}")
	@CsvSource({ "2147483647, 2147483647", "1, 1", "3, 5", "7, 4096", "4096, 3" })
	void manyFramesWrittenBackToBackAreReadBackInOrder(int writeChunk, int readChunk) throws IOException {
		FakeMessages generator = new FakeMessages(writeChunk * 31L + readChunk, 4096, 20);
		List<Message> sent = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			sent.add(generator.next(i % FakeMessages.TYPES));
		}
		FakeByteChannel out = FakeByteChannel.forWriting(writeChunk);
		FrameChannel writer = new FrameChannel(out, LIMIT);
		for (Message message : sent) {
			writer.write(message);
		}

		FrameChannel reader = new FrameChannel(new FakeByteChannel(out.written(), readChunk, Integer.MAX_VALUE), LIMIT);
		for (Message expected : sent) {
			FakeMessages.assertSameMessage(reader.read(), expected);
		}
		assertThat(reader.read()).isNull();
	}

	@Test
	void aHelloWithItsSettingsFitsTheHandshakeLimit() throws IOException {
		Message.Hello hello = new Message.Hello(new byte[32], 4242, io.samboot.SamSettings.defaults().toMap());
		FakeByteChannel out = FakeByteChannel.forWriting(Integer.MAX_VALUE);
		new FrameChannel(out, FrameChannel.HANDSHAKE_FRAME_LIMIT).write(hello);

		Message read = new FrameChannel(new FakeByteChannel(out.written()), FrameChannel.HANDSHAKE_FRAME_LIMIT).read();

		FakeMessages.assertSameMessage(read, hello);
	}

	@Test
	void closeClosesTheChannel() throws IOException {
		FakeByteChannel channel = new FakeByteChannel(new byte[0]);
		FrameChannel frames = new FrameChannel(channel, LIMIT);

		assertThat(frames.isOpen()).isTrue();
		frames.close();

		assertThat(frames.isOpen()).isFalse();
		assertThat(channel.isOpen()).isFalse();
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static long allocatedBytes() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
			return threads.getCurrentThreadAllocatedBytes();
		}
		return -1;
	}

}
