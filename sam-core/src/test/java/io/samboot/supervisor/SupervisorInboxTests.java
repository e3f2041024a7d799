package io.samboot.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameBytes;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor loop's inbox on a real Unix socket: the thread that takes its events
 * reads the instance's frames itself, in order with the events other threads post, and
 * nothing an instance does or leaves undone on its socket holds that thread.
 */
class SupervisorInboxTests {

	private static final long WAIT = TimeUnit.SECONDS.toNanos(10);

	private static final SupervisorEvent.Connected CONNECTED = new SupervisorEvent.Connected(1,
			new Message.Hello(new byte[32], 42, Map.of()));

	private static final SupervisorEvent EXITED = new SupervisorEvent.InstanceExited(1, 137);

	@TempDir
	Path directory;

	private SupervisorInbox inbox;

	private SocketChannel instance;

	private PeerConnection peer;

	@BeforeEach
	void connect() throws IOException {
		this.inbox = SupervisorInbox
			.open(SamLog.to(new SupervisorConsole(new PrintStream(OutputStream.nullOutputStream()), 1)));
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(this.directory.resolve("s")));
			this.instance = SocketChannel.open(server.getLocalAddress());
			SocketChannel accepted = server.accept();
			this.peer = new PeerConnection(1, accepted, new FrameChannel(accepted, 1024 * 1024), this.inbox::wakeup);
		}
	}

	@AfterEach
	void close() throws IOException {
		this.instance.close();
		this.peer.close();
		this.inbox.close();
	}

	@Test
	void theConnectionComesBeforeWhatTheInstanceSentOnIt() throws IOException {
		send(new Message.Heartbeat());
		this.inbox.admit(this.peer, CONNECTED);

		assertThat(this.inbox.next(WAIT)).isEqualTo(CONNECTED);
		assertThat(this.inbox.next(WAIT)).isEqualTo(received(new Message.Heartbeat()));
	}

	@Test
	void framesInTheSocketComeBeforeAnExitPostedAfterThem() throws IOException {
		admitted();
		send(new Message.Heartbeat());
		send(new Message.Stop());
		this.inbox.post(EXITED);

		assertThat(this.inbox.next(WAIT)).isEqualTo(received(new Message.Heartbeat()));
		assertThat(this.inbox.next(WAIT)).isEqualTo(received(new Message.Stop()));
		assertThat(this.inbox.next(WAIT)).isEqualTo(EXITED);
	}

	@Test
	void aFrameThatArrivesWhileTheLoopReadsComesBeforeAnExitPostedAfterIt() throws IOException {
		admitted();
		// While the loop keeps the store it has just read (after a read that emptied the
		// socket), the instance sends its last frame and its exit is posted.
		this.inbox.dataSink((instanceId, data) -> {
			try {
				send(new Message.Stop());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.inbox.post(EXITED);
			return Message.Reply.ok();
		});
		send(new Message.DataStore(new byte[] { 1 }));

		assertThat(this.inbox.next(WAIT)).isEqualTo(received(new Message.Stop()));
		assertThat(this.inbox.next(WAIT)).isEqualTo(EXITED);
	}

	@Test
	void aFrameWakesTheWaitingThreadItself() throws Exception {
		admitted();
		List<String> readBy = new ArrayList<>();
		this.inbox.dataSink((instanceId, data) -> {
			readBy.add(Thread.currentThread().getName());
			return null;
		});
		CompletableFuture<SupervisorEvent> waiting = CompletableFuture.supplyAsync(() -> {
			Thread.currentThread().setName("waiting-loop");
			return this.inbox.next(TimeUnit.SECONDS.toNanos(60));
		});

		send(new Message.DataStore(new byte[] { 7 }));

		SupervisorEvent event = waiting.get(30, TimeUnit.SECONDS);
		assertThat(event).isInstanceOf(SupervisorEvent.Received.class);
		assertThat(readBy).containsExactly("waiting-loop");
	}

	@Test
	void anInstanceStoppedHalfWayThroughAFrameDoesNotHoldTheLoop() throws IOException {
		admitted();
		byte[] frame = FrameBytes.of(new Message.DataStore(new byte[100_000]));
		this.instance.write(ByteBuffer.wrap(frame, 0, 50_000));
		this.inbox.post(new SupervisorEvent.SignalReceived(PosixSignal.TERM));

		assertThat(this.inbox.next(WAIT)).isEqualTo(new SupervisorEvent.SignalReceived(PosixSignal.TERM));
		assertThat(this.inbox.next(0)).isNull();

		this.instance.write(ByteBuffer.wrap(frame, 50_000, frame.length - 50_000));
		SupervisorEvent event = this.inbox.next(WAIT);
		assertThat(event).isInstanceOf(SupervisorEvent.Received.class);
		assertThat(((Message.DataStore) ((SupervisorEvent.Received) event).message()).data()).hasSize(100_000);
	}

	@Test
	void anInstanceThatKeepsSendingLetsPostedEventsThrough() throws IOException {
		admitted();
		sendHeartbeatsAtOnce(1000);
		this.inbox.post(EXITED);

		int before = 0;
		while (!EXITED.equals(this.inbox.next(WAIT))) {
			before++;
		}
		assertThat(before).isLessThan(1000);
	}

	@Test
	void framesReadAheadOfTheSocketBeyondATurnsShareAreTakenWithoutAnotherWakeUp() throws IOException {
		admitted();
		// Far more than one turn's share, all in the reader's buffer after one read:
		// the socket is empty then, so no selector would report the rest.
		sendHeartbeatsAtOnce(200);

		for (int i = 0; i < 200; i++) {
			assertThat(this.inbox.next(TimeUnit.SECONDS.toNanos(2))).as("frame %d", i)
				.isEqualTo(received(new Message.Heartbeat()));
		}
	}

	@Test
	void framesReadAheadBeforeTheLoopTookTheConnectionAreTakenOnceItDoes() throws IOException {
		// Both in one read, as a handshake's last read may take what follows it.
		this.instance.write(ByteBuffer
			.wrap(concat(FrameBytes.of(new Message.Heartbeat()), FrameBytes.of(new Message.Start(true)))));
		List<SupervisorEvent> early = new ArrayList<>();
		long deadline = System.nanoTime() + WAIT;
		while (early.isEmpty() && System.nanoTime() - deadline < 0) {
			this.peer.readAvailable(null, early::add,
					SamLog.to(new SupervisorConsole(new PrintStream(OutputStream.nullOutputStream()), 1)), 1, false);
		}
		assertThat(early).containsExactly(received(new Message.Heartbeat()));

		admitted();

		assertThat(this.inbox.next(TimeUnit.SECONDS.toNanos(2))).isEqualTo(received(new Message.Start(true)));
	}

	@Test
	void theInstanceClosingItsEndIsADisconnection() throws IOException {
		admitted();
		send(new Message.Heartbeat());
		this.instance.close();

		assertThat(this.inbox.next(WAIT)).isEqualTo(received(new Message.Heartbeat()));
		assertThat(this.inbox.next(WAIT)).isEqualTo(new SupervisorEvent.Disconnected(1));
		assertThat(this.peer.isOpen()).isFalse();
	}

	@Test
	void aMalformedFrameClosesTheConnection() throws IOException {
		admitted();
		this.instance.write(ByteBuffer.allocate(4).putInt(0, 0));

		assertThat(this.inbox.next(WAIT)).isEqualTo(new SupervisorEvent.Disconnected(1));
		assertThat(this.peer.isOpen()).isFalse();
	}

	@Test
	void closingTheConnectionFromAnotherThreadWakesTheLoopWithItsDisconnection() throws Exception {
		admitted();
		CompletableFuture<SupervisorEvent> waiting = CompletableFuture
			.supplyAsync(() -> this.inbox.next(TimeUnit.SECONDS.toNanos(60)));

		this.peer.close();

		assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(new SupervisorEvent.Disconnected(1));
	}

	@Test
	void aConnectionClosedBeforeTheLoopTookItIsConnectedThenDisconnected() {
		this.peer.close();
		this.inbox.admit(this.peer, CONNECTED);

		assertThat(this.inbox.next(WAIT)).isEqualTo(CONNECTED);
		assertThat(this.inbox.next(WAIT)).isEqualTo(new SupervisorEvent.Disconnected(1));
	}

	@Test
	void nothingToTakeIsNullAfterTheWait() {
		assertThat(this.inbox.next(0)).isNull();
		assertThat(this.inbox.next(TimeUnit.MILLISECONDS.toNanos(5))).isNull();
	}

	private void admitted() {
		this.inbox.admit(this.peer, CONNECTED);
		assertThat(this.inbox.next(WAIT)).isEqualTo(CONNECTED);
	}

	/**
	 * One write: as many small ones would fill the socket's buffer with their overhead.
	 */
	private void sendHeartbeatsAtOnce(int count) throws IOException {
		byte[] heartbeat = FrameBytes.of(new Message.Heartbeat());
		ByteBuffer all = ByteBuffer.allocate(count * heartbeat.length);
		while (all.hasRemaining()) {
			all.put(heartbeat);
		}
		this.instance.write(all.flip());
	}

	private void send(Message message) throws IOException {
		new FrameChannel(this.instance, 1024).write(message);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
	}

	private static SupervisorEvent received(Message message) {
		return new SupervisorEvent.Received(1, message);
	}

}
