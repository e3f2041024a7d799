package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link FrameReader} on a real non-blocking pipe, fed a piece at a time as a peer that
 * writes slowly, or stops half-way, would feed it: it never waits, and keeps what it has.
 */
class FrameReaderTests {

	private static final int LIMIT = 2 * 1024 * 1024;

	private Pipe pipe;

	private FrameReader reader;

	@BeforeEach
	void open() throws IOException {
		this.pipe = Pipe.open();
		this.pipe.source().configureBlocking(false);
		this.reader = new FrameReader(this.pipe.source(), LIMIT);
	}

	@AfterEach
	void close() throws IOException {
		this.pipe.sink().close();
		this.pipe.source().close();
	}

	@Test
	void nothingToReadIsNoMessageAndNoEnd() throws IOException {
		assertThat(this.reader.poll()).isNull();
		assertThat(this.reader.ended()).isFalse();
	}

	@Test
	void aFrameFedOneByteAtATimeComesOutWholeOnceItsLastByteIsIn() throws IOException {
		byte[] frame = FrameBytes
			.of(new Message.HealthCheckResult(7, Message.HealthCheckResult.Outcome.UP, "db", "", 1234));
		for (int i = 0; i < frame.length - 1; i++) {
			feed(Arrays.copyOfRange(frame, i, i + 1));
			assertThat(this.reader.poll()).as("after %d of %d bytes", i + 1, frame.length).isNull();
		}
		feed(Arrays.copyOfRange(frame, frame.length - 1, frame.length));

		assertThat(this.reader.poll())
			.isEqualTo(new Message.HealthCheckResult(7, Message.HealthCheckResult.Outcome.UP, "db", "", 1234));
		assertThat(this.reader.poll()).isNull();
	}

	@Test
	void aLargeDataStoreStalledAnywhereComesOutWholeOnceTheRestArrives() throws IOException {
		byte[] data = new byte[300 * 1024];
		Arrays.fill(data, (byte) 9);
		byte[] frame = FrameBytes.of(new Message.DataStore(data));
		// Stalls inside the header, the lead (type and data length) and the data.
		for (int stall : new int[] { 2, 4, 6, 9, 100_000, frame.length - 1 }) {
			close();
			open();
			assertThat(pump(Arrays.copyOf(frame, stall))).as("stalled at %d", stall).isNull();
			assertThat(this.reader.poll()).isNull();

			Message message = pump(Arrays.copyOfRange(frame, stall, frame.length));

			assertThat(message).isInstanceOf(Message.DataStore.class);
			assertThat(((Message.DataStore) message).data()).hasSize(data.length).containsOnly(9);
		}
	}

	@Test
	void framesBackToBackInOneReadComeOutOneByOneInOrder() throws IOException {
		feed(concat(FrameBytes.of(new Message.Heartbeat()), FrameBytes.of(new Message.Stop()),
				FrameBytes.of(new Message.Start(true))));

		assertThat(this.reader.poll()).isEqualTo(new Message.Heartbeat());
		assertThat(this.reader.poll()).isEqualTo(new Message.Stop());
		assertThat(this.reader.poll()).isEqualTo(new Message.Start(true));
		assertThat(this.reader.poll()).isNull();
	}

	@Test
	void framesBackToBackCostOneReadAndTheReaderSaysWhenTheChannelHadNoMore() throws IOException {
		feed(concat(FrameBytes.of(new Message.Heartbeat()), FrameBytes.of(new Message.Stop())));

		assertThat(this.reader.poll()).isEqualTo(new Message.Heartbeat());
		assertThat(this.reader.hasWholeFrame()).isTrue();
		assertThat(this.reader.drained()).as("a whole frame still waits").isFalse();
		// Nothing more reaches the channel's reading end: the second comes from what was
		// read with the first.
		this.pipe.source().close();
		assertThat(this.reader.poll()).isEqualTo(new Message.Stop());
		assertThat(this.reader.hasWholeFrame()).isFalse();
		assertThat(this.reader.drained()).as("the one read came back short").isTrue();
	}

	@Test
	void aReadThatFillsTheBufferIsNotDrained() throws IOException {
		// A frame exactly as long as the buffer (length, type, data length, data), then
		// another.
		byte[] data = new byte[FrameReader.BUFFER_BYTES - 9];
		Arrays.fill(data, (byte) 5);
		feed(concat(FrameBytes.of(new Message.DataStore(data)), FrameBytes.of(new Message.Heartbeat())));

		assertThat(this.reader.poll()).isInstanceOf(Message.DataStore.class);
		assertThat(this.reader.hasWholeFrame()).isFalse();
		assertThat(this.reader.drained()).as("the read filled the buffer: the channel may hold more").isFalse();
		assertThat(this.reader.poll()).isEqualTo(new Message.Heartbeat());
		assertThat(this.reader.drained()).isTrue();
	}

	@Test
	void anEndBetweenFramesIsACleanEndAndStaysOne() throws IOException {
		feed(FrameBytes.of(new Message.Heartbeat()));
		this.pipe.sink().close();

		assertThat(this.reader.poll()).isEqualTo(new Message.Heartbeat());
		assertThat(this.reader.poll()).isNull();
		assertThat(this.reader.ended()).isTrue();
		assertThat(this.reader.poll()).isNull();
	}

	@Test
	void anEndInsideAFrameTheReaderWaitedForIsAnEofException() throws IOException {
		byte[] frame = FrameBytes.of(new Message.DataStore(new byte[1000]));
		feed(Arrays.copyOf(frame, 500));
		assertThat(this.reader.poll()).isNull();
		this.pipe.sink().close();

		assertThatExceptionOfType(EOFException.class).isThrownBy(this.reader::poll);
	}

	@Test
	void aLengthOverTheLimitIsRefusedFromTheHeaderAlone() throws IOException {
		feed(ByteBuffer.allocate(4).putInt(LIMIT + 1).array());

		assertThatExceptionOfType(ProtocolException.class).isThrownBy(this.reader::poll)
			.withMessageContaining("outside 1.." + LIMIT);
	}

	@Test
	void givenDirectMemoryALargeDataStoresDataIsReadIntoIt() throws IOException {
		DirectDataBuffers buffers = new DirectDataBuffers();
		this.reader.directData(buffers);
		byte[] data = new byte[300 * 1024];
		Arrays.fill(data, (byte) 7);
		data[data.length - 1] = 3;

		Message message = pump(FrameBytes.of(new Message.DataStore(data)));

		assertThat(message).isInstanceOf(Message.DataStoreRead.class);
		ByteBuffer read = ((Message.DataStoreRead) message).data();
		assertThat(read.isDirect()).isTrue();
		assertThat(read.position()).isZero();
		assertThat(read.remaining()).isEqualTo(data.length);
		assertThat(bytesOf(read)).isEqualTo(data);
	}

	@Test
	void aSmallerStoreReadIntoTheSameDirectMemoryHoldsOnlyItsOwnData() throws IOException {
		DirectDataBuffers buffers = new DirectDataBuffers();
		this.reader.directData(buffers);
		byte[] first = new byte[300 * 1024];
		Arrays.fill(first, (byte) 1);
		byte[] second = new byte[200 * 1024];
		Arrays.fill(second, (byte) 2);
		ByteBuffer kept = ((Message.DataStoreRead) pump(FrameBytes.of(new Message.DataStore(first)))).data();
		buffers.giveBack(kept);

		ByteBuffer read = ((Message.DataStoreRead) pump(FrameBytes.of(new Message.DataStore(second)))).data();

		assertThat(read).isSameAs(kept);
		assertThat(read.position()).isZero();
		assertThat(read.remaining()).isEqualTo(second.length);
		assertThat(bytesOf(read)).isEqualTo(second);
	}

	@Test
	void givenDirectMemorySmallDataStoresAndOtherLargeFramesStillComeAsArrays() throws IOException {
		this.reader.directData(new DirectDataBuffers());
		byte[] large = new byte[100 * 1024];
		Arrays.fill(large, (byte) 1);

		assertThat(pump(FrameBytes.of(new Message.DataStore(new byte[] { 4, 2 }))))
			.isInstanceOf(Message.DataStore.class);
		Message welcome = pump(FrameBytes.of(new Message.Welcome(2, 99, 1, large)));
		assertThat(welcome).isInstanceOf(Message.Welcome.class);
		assertThat(((Message.Welcome) welcome).data()).isEqualTo(large);
	}

	/**
	 * Writes the bytes through the pipe, which holds far less, polling the reader
	 * whenever the pipe is full and once at the end.
	 * @return the one message that came out, or {@code null}
	 */
	private Message pump(byte[] bytes) throws IOException {
		this.pipe.sink().configureBlocking(false);
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		Message message = null;
		while (true) {
			this.pipe.sink().write(buffer);
			Message read = this.reader.poll();
			if (read != null) {
				assertThat(message).as("one message").isNull();
				assertThat(buffer.hasRemaining()).as("a message only once its last byte is in").isFalse();
				message = read;
			}
			if (!buffer.hasRemaining() && read == null) {
				return message;
			}
		}
	}

	private void feed(byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			this.pipe.sink().write(buffer);
		}
	}

	private static byte[] bytesOf(ByteBuffer read) {
		byte[] copy = new byte[read.remaining()];
		read.duplicate().get(copy);
		return copy;
	}

	private static byte[] concat(byte[]... parts) {
		ByteBuffer whole = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(part -> part.length).sum());
		for (byte[] part : parts) {
			whole.put(part);
		}
		return whole.array();
	}

}
