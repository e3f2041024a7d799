package io.samboot.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import io.samboot.instance.InstanceConnection;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The command connection on a real socket, with the real control server and inbox and a
 * thread that plays the loop: the instance's data stores go over it and are answered on
 * it, with no event for the loop; it takes nothing but data stores, needs the secret the
 * instance was admitted with, is one per instance, and closes with the control
 * connection, whose end alone is the instance's.
 */
class CommandConnectionTests {

	private static final int INSTANCE_ID = 1;

	private static final long WAIT_SECONDS = 10;

	private final byte[] secret = new byte[32];

	private final List<byte[]> kept = new CopyOnWriteArrayList<>();

	private final LinkedBlockingQueue<SupervisorEvent> events = new LinkedBlockingQueue<>();

	/** What the sink answers; {@code null} leaves a store to the loop. */
	private volatile Message.Reply sinkAnswer = Message.Reply.ok();

	/** Held by the sink before it answers, while the test wants it slow. */
	private volatile CountDownLatch sinkGate = new CountDownLatch(0);

	private SupervisorInbox inbox;

	private ControlServer server;

	private Thread loop;

	private volatile boolean looping = true;

	/** How long the loop waits in one call. */
	private volatile long loopWaitNanos = TimeUnit.MILLISECONDS.toNanos(50);

	private InstanceConnection connection;

	/** A control connection made by hand, or {@code null}. */
	private SocketChannel control;

	@BeforeEach
	void open() throws IOException {
		new SecureRandom().nextBytes(this.secret);
		SamLog log = SamLog.get(ControlServer.class);
		this.inbox = SupervisorInbox.open(log);
		this.server = ControlServer.open(this.inbox, log);
		this.loop = new Thread(this::playTheLoop, "test-loop");
		this.loop.setDaemon(true);
		this.loop.start();
	}

	@AfterEach
	void close() throws InterruptedException, IOException {
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.control != null) {
			this.control.close();
		}
		this.looping = false;
		this.inbox.post(new SupervisorEvent.Disconnected(0));
		this.loop.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
		this.server.close();
		this.inbox.close();
	}

	@Test
	void aDataStoreGoesOverTheCommandConnectionAndIsAnsweredThereWithNoEventForTheLoop() throws Exception {
		keepDataStores();
		connect();

		assertThat(this.connection.request(new Message.DataStore(new byte[] { 1, 2, 3 })))
			.isEqualTo(Message.Reply.ok());
		assertThat(this.connection.request(new Message.DataStore(new byte[100_000]))).isEqualTo(Message.Reply.ok());

		assertThat(this.server.hasCommandConnection(INSTANCE_ID)).isTrue();
		assertThat(this.kept).hasSize(2);
		assertThat(this.kept.get(0)).containsExactly(1, 2, 3);
		assertThat(this.kept.get(1)).hasSize(100_000);
		assertThat(this.events).isEmpty();
	}

	@Test
	void withoutADataSinkStoresGoOverTheControlConnectionAndReachTheLoop() throws Exception {
		connect();
		CompletableFuture<Message> stored = CompletableFuture
			.supplyAsync(() -> this.connection.request(new Message.DataStore(new byte[] { 4 })));

		SupervisorEvent event = this.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(event).isInstanceOf(SupervisorEvent.Received.class);
		assertThat(((SupervisorEvent.Received) event).message()).isInstanceOf(Message.DataStore.class);
		this.server.send(INSTANCE_ID, Message.Reply.ok());

		assertThat(stored.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Message.Reply.ok());
		assertThat(this.server.hasCommandConnection(INSTANCE_ID)).isFalse();
	}

	@Test
	void anEventPostedAfterABurstOfStoresReachesALoopThatWaitsLong() throws Exception {
		keepDataStores();
		connect();
		for (int i = 0; i < 200; i++) {
			assertThat(this.connection.request(new Message.DataStore(new byte[] { (byte) i })))
				.isEqualTo(Message.Reply.ok());
		}
		this.loopWaitNanos = TimeUnit.SECONDS.toNanos(60);
		this.inbox.wakeup();

		this.inbox.post(new SupervisorEvent.Disconnected(99));

		SupervisorEvent posted = this.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(posted).isEqualTo(new SupervisorEvent.Disconnected(99));
		assertThat(this.kept).hasSize(200);
	}

	@Test
	void aStoreTheSinkDoesNotKeepIsRefusedOnTheCommandConnection() throws Exception {
		keepDataStores();
		connect();
		this.sinkAnswer = null;

		Message answer = this.connection.request(new Message.DataStore(new byte[] { 5 }));

		assertThat(answer).isInstanceOf(Message.Reply.class);
		assertThat(((Message.Reply) answer).error()).isEqualTo(SamError.BAD_HANDLE.name());
		assertThat(this.events).isEmpty();
	}

	@Test
	void aStoreNotAnsweredInTimeFailsAndTheNextFollowsItOnTheSameConnectionSkippingItsLateAnswer() throws Exception {
		keepDataStores();
		connect();
		assertThat(this.connection.request(new Message.DataStore(new byte[] { 1 }))).isEqualTo(Message.Reply.ok());
		CountDownLatch gate = new CountDownLatch(1);
		this.sinkGate = gate;

		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> this.connection.request(new Message.DataStore(new byte[] { 2 }), Duration.ofMillis(200)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(SamError.TIMEOUT));
		this.sinkGate = new CountDownLatch(0);
		gate.countDown();

		assertThat(this.connection.request(new Message.DataStore(new byte[] { 3 }))).isEqualTo(Message.Reply.ok());
		// Kept in the order they were made: the late store first, the next after it.
		assertThat(this.kept).hasSize(3);
		assertThat(this.kept.get(1)).containsExactly(2);
		assertThat(this.kept.get(2)).containsExactly(3);
		assertThat(this.events).isEmpty();
	}

	@Test
	void aCommandConnectionTakesNothingButDataStoresAndItsEndIsNotTheInstances() throws Exception {
		keepDataStores();
		byte[] commandKey = connectByHand();
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = commandHello(channel, commandKey);
			assertThat(frames.read()).isEqualTo(Message.Reply.ok());

			frames.write(new Message.MarkFailed());

			assertThat(frames.read()).as("the command connection, closed by the supervisor").isNull();
		}
		await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !this.server.hasCommandConnection(INSTANCE_ID));
		// Nothing reached the loop: not the mark, not a disconnection.
		assertThat(this.events).isEmpty();
		// The control connection is still there, and a new command connection opens.
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = commandHello(channel, commandKey);
			assertThat(frames.read()).isEqualTo(Message.Reply.ok());
			frames.write(new Message.DataStore(new byte[] { 7 }));
			assertThat(frames.read()).isEqualTo(Message.Reply.ok());
		}
		assertThat(this.kept).hasSize(1);
	}

	@Test
	void theSecretAloneOpensNoCommandConnectionAndTheAnswerProvesNothingAboutIt() throws Exception {
		keepDataStores();
		connect();
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			byte[] nonce = HandshakeProofs.nonce();
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, INSTANCE_ID, nonce));
			Message.ChallengeAnswer answer = (Message.ChallengeAnswer) frames.read();
			HandshakeProofs proofs = new HandshakeProofs(INSTANCE_ID, nonce, answer.nonce());
			assertThat(answer.proof()).as("a proof of the secret, to relay")
				.isNotEqualTo(proofs.bySupervisor(this.secret));
			frames.write(new Message.CommandHello(proofs.byInstanceForCommands(this.secret)));

			assertThat(frames.read()).isNull();
		}
		assertThat(this.server.hasCommandConnection(INSTANCE_ID)).isFalse();
		assertThat(this.events).isEmpty();
		// The instance's own stores still open one.
		assertThat(this.connection.request(new Message.DataStore(new byte[] { 1 }))).isEqualTo(Message.Reply.ok());
		assertThat(this.server.hasCommandConnection(INSTANCE_ID)).isTrue();
	}

	@Test
	void aHelloOnASecondConnectionIsRefusedEvenWithTheRightProof() throws Exception {
		keepDataStores();
		connect();
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			HandshakeProofs proofs = challenge(frames);
			frames.write(new Message.Hello(proofs.byInstance(this.secret), ProcessHandle.current().pid(),
					SamSettings.defaults().toMap()));

			assertThat(frames.read()).isNull();
		}
		assertThat(this.events).isEmpty();
	}

	@Test
	void aSecondCommandConnectionIsRefusedBeforeAnyProof() throws Exception {
		keepDataStores();
		connect();
		assertThat(this.connection.request(new Message.DataStore(new byte[] { 1 }))).isEqualTo(Message.Reply.ok());
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
			frames.write(new Message.Challenge(HandshakeProofs.VERSION, INSTANCE_ID, HandshakeProofs.nonce()));

			assertThat(frames.read()).as("an answer to a second command connection").isNull();
		}
		assertThat(this.connection.request(new Message.DataStore(new byte[] { 2 }))).isEqualTo(Message.Reply.ok());
	}

	@Test
	void theCommandConnectionClosesWithTheControlConnection() throws Exception {
		keepDataStores();
		byte[] commandKey = connectByHand();
		try (SocketChannel channel = connectSocket()) {
			FrameChannel frames = commandHello(channel, commandKey);
			assertThat(frames.read()).isEqualTo(Message.Reply.ok());

			this.server.disconnect(INSTANCE_ID);

			assertThat(frames.read()).as("the command connection, closed with the control connection").isNull();
		}
	}

	/**
	 * Opens a command connection by hand with the control connection's command key,
	 * checking the supervisor proves the same key.
	 */
	private FrameChannel commandHello(SocketChannel channel, byte[] commandKey) throws IOException {
		FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
		HandshakeProofs proofs = challenge(frames);
		frames.write(new Message.CommandHello(proofs.byInstanceForCommands(commandKey)));
		return frames;
	}

	/**
	 * Sends a challenge for the instance.
	 * @return the connection's nonces
	 */
	private HandshakeProofs challenge(FrameChannel frames) throws IOException {
		byte[] nonce = HandshakeProofs.nonce();
		frames.write(new Message.Challenge(HandshakeProofs.VERSION, INSTANCE_ID, nonce));
		Message.ChallengeAnswer answer = (Message.ChallengeAnswer) frames.read();
		return new HandshakeProofs(INSTANCE_ID, nonce, answer.nonce());
	}

	/**
	 * Connects the instance by hand, as {@code InstanceConnection} would, on a control
	 * connection this test keeps open.
	 * @return that connection's command key
	 */
	private byte[] connectByHand() throws Exception {
		this.server.expect(INSTANCE_ID, this.secret);
		this.control = connectSocket();
		FrameChannel frames = new FrameChannel(this.control, FrameChannel.HANDSHAKE_FRAME_LIMIT);
		HandshakeProofs proofs = challenge(frames);
		frames.write(new Message.Hello(proofs.byInstance(this.secret), ProcessHandle.current().pid(),
				SamSettings.defaults().toMap()));
		assertThat(this.events.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SupervisorEvent.Connected.class);
		return proofs.commandKey(this.secret);
	}

	private SocketChannel connectSocket() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(this.server.socketPath()));
		return channel;
	}

	private void keepDataStores() {
		this.server.dataSink((instanceId, bytes) -> {
			try {
				this.sinkGate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Message.Reply answer = this.sinkAnswer;
			if (answer != null && answer.isOk()) {
				this.kept.add(StoredBytes.arrayOf(bytes));
			}
			return answer;
		});
	}

	/** Connects an instance; the loop answers its hello with a welcome. */
	private void connect() throws Exception {
		this.server.expect(INSTANCE_ID, this.secret);
		this.server.expectPid(INSTANCE_ID, ProcessHandle.current().pid());
		SamSettings settings = SamSettings.defaults();
		Map<String, String> environment = Map.of(Handoff.SOCKET, this.server.socketPath(), Handoff.SECRET,
				Handoff.toHex(this.secret), Handoff.INSTANCE_ID, Integer.toString(INSTANCE_ID));
		CompletableFuture<InstanceConnection.Connected> connecting = CompletableFuture
			.supplyAsync(() -> InstanceConnection.connect(environment, settings.toMap(), 1 << 20, (request) -> {
			}, () -> {
			}));
		SupervisorEvent hello = this.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(hello).isInstanceOf(SupervisorEvent.Connected.class);
		this.server.frameLimit(settings.dataStoreMaxSize());
		this.server.send(INSTANCE_ID, new Message.Welcome(INSTANCE_ID, ProcessHandle.current().pid(), 0, null));
		this.connection = connecting.get(WAIT_SECONDS, TimeUnit.SECONDS).connection();
	}

	/** Takes the inbox's events on a thread of its own, which reads the sockets. */
	private void playTheLoop() {
		while (this.looping) {
			SupervisorEvent event = this.inbox.next(this.loopWaitNanos);
			if (event != null) {
				this.events.add(event);
			}
		}
	}

}
