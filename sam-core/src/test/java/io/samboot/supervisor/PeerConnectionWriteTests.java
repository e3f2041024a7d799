package io.samboot.supervisor;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.protocol.DirectDataBuffers;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.InstanceHandshake;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor's writes on a real Unix socket, through the {@link PeerConnection} of an
 * instance that a real {@link ControlServer} admitted, reached as the loop reaches it:
 * the loop writes frames itself, a peer that stops reading cannot block it (what the
 * socket does not take goes to the writer thread, in order), and data stores are kept and
 * answered through the data sink by the thread that takes the loop's events, as it reads
 * them.
 */
@org.junit.jupiter.api.parallel.Isolated("counts the control server's writer threads")
class PeerConnectionWriteTests {

	private static final long PID = ProcessHandle.current().pid();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private InboxThread loop;

	private BlockingQueue<SupervisorEvent> events;

	private ControlServer server;

	private SocketChannel instance;

	private FrameChannel frames;

	@BeforeEach
	void connect() throws Exception {
		// The writer thread of a test before this one ends soon after its server closed,
		// not at once.
		await().atMost(WAIT).until(() -> writerThreads() == 0);
		SamLog log = SamLog.to(new SupervisorConsole(new PrintStream(OutputStream.nullOutputStream()), PID));
		this.loop = InboxThread.start(log);
		this.events = this.loop.events();
		this.server = ControlServer.open(this.loop.inbox(), log);
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.server.expect(1, secret);
		this.server.expectPid(1, PID);
		this.instance = SocketChannel.open(StandardProtocolFamily.UNIX);
		this.instance.connect(UnixDomainSocketAddress.of(this.server.socketPath()));
		this.frames = new FrameChannel(this.instance, 8 * 1024 * 1024);
		InstanceHandshake.sayHello(this.frames, 1, secret, PID, SamSettings.defaults().toMap());
		assertThat(next()).isInstanceOf(SupervisorEvent.Connected.class);
		// A socket send buffer for 320 KiB frames: far less than the 4 MiB the tests
		// below send at once.
		this.server.frameLimit(256 * 1024);
	}

	@AfterEach
	void close() throws Exception {
		this.instance.close();
		this.server.close();
		this.loop.close();
	}

	@Test
	void aSmallFrameIsWrittenByTheCallerWithoutTheWriterThread() throws Exception {
		this.server.send(1, new Message.HealthCheckRequest(1));

		assertThat(this.frames.read()).isEqualTo(new Message.HealthCheckRequest(1));
		assertThat(this.server.hasPendingWrites(1)).isFalse();
		assertThat(writerThreads()).isZero();
	}

	@Test
	void aPeerThatDoesNotReadNeverBlocksTheSenderAndLaterGetsEveryFrameInOrder() throws Exception {
		int count = 64;
		byte[][] data = new byte[count][];
		for (int i = 0; i < count; i++) {
			data[i] = new byte[64 * 1024];
			Arrays.fill(data[i], (byte) i);
		}

		// 4 MiB to a peer that reads nothing: far more than a socket buffer holds.
		CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < count; i++) {
				this.server.send(1, new Message.Welcome(1, PID, i, data[i]));
			}
			this.server.send(1, new Message.HealthCheckRequest(99));
		});
		sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);

		assertThat(this.server.hasPendingWrites(1)).as("frames left for the writer thread").isTrue();
		for (int i = 0; i < count; i++) {
			Message.Welcome welcome = (Message.Welcome) this.frames.read();
			assertThat(welcome.restartCount()).isEqualTo(i);
			assertThat(welcome.data()).isEqualTo(data[i]);
		}
		assertThat(this.frames.read()).isEqualTo(new Message.HealthCheckRequest(99));
		await().atMost(WAIT).until(() -> !this.server.hasPendingWrites(1));
		this.server.send(1, new Message.HealthCheckRequest(100));
		assertThat(this.frames.read()).isEqualTo(new Message.HealthCheckRequest(100));
	}

	@Test
	void theWriterThreadEndsWithTheConnection() throws Exception {
		for (int i = 0; i < 32; i++) {
			this.server.send(1, new Message.Welcome(1, PID, i, new byte[64 * 1024]));
		}
		assertThat(writerThreads()).isEqualTo(1);

		this.server.disconnect(1);

		assertThat(next()).isEqualTo(new SupervisorEvent.Disconnected(1));
		await().atMost(WAIT).until(() -> writerThreads() == 0);
	}

	@Test
	void aDataStoreIsKeptAndAnsweredByTheLoopThreadThroughTheSink() throws Exception {
		List<byte[]> kept = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		this.server.dataSink((instanceId, bytes) -> {
			kept.add(StoredBytes.arrayOf(bytes));
			threads.add(Thread.currentThread().getName());
			return Message.Reply.ok();
		});
		byte[] data = new byte[300 * 1024];
		Arrays.fill(data, (byte) 5);

		this.frames.write(new Message.DataStore(data));

		assertThat(this.frames.read()).isEqualTo(Message.Reply.ok());
		assertThat(this.events).as("the loop is not woken").isEmpty();
		assertThat(kept).hasSize(1);
		assertThat(kept.get(0)).isEqualTo(data);
		assertThat(threads).containsExactly(InboxThread.NAME);
	}

	@Test
	void aLargeDataStoreIsReadIntoTheDirectMemoryTheSinkLends() throws Exception {
		DirectDataBuffers buffers = new DirectDataBuffers();
		List<ByteBuffer> kept = new CopyOnWriteArrayList<>();
		this.server.dataSink(new ControlChannel.DataSink() {

			@Override
			public Message.Reply store(int instanceId, ByteBuffer data) {
				kept.add(data);
				return Message.Reply.ok();
			}

			@Override
			public DirectDataBuffers buffers() {
				return buffers;
			}

		});
		byte[] data = new byte[300 * 1024];
		Arrays.fill(data, (byte) 6);

		this.frames.write(new Message.DataStore(data));

		assertThat(this.frames.read()).isEqualTo(Message.Reply.ok());
		assertThat(kept).hasSize(1);
		assertThat(kept.get(0).isDirect()).isTrue();
		assertThat(StoredBytes.arrayOf(kept.get(0))).isEqualTo(data);
	}

	@Test
	void aDataStoreTheSinkLeavesGoesToTheLoop() throws Exception {
		this.server.dataSink((instanceId, bytes) -> null);

		this.frames.write(new Message.DataStore(new byte[] { 1, 2 }));

		SupervisorEvent event = next();
		assertThat(event).isInstanceOf(SupervisorEvent.Received.class);
		assertThat(((Message.DataStore) ((SupervisorEvent.Received) event).message()).data()).containsExactly(1, 2);
	}

	private SupervisorEvent next() throws InterruptedException {
		SupervisorEvent event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("an event within %s", WAIT).isNotNull();
		return event;
	}

	private static long writerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(thread -> thread.getName().startsWith("sam-writer-"))
			.count();
	}

}
