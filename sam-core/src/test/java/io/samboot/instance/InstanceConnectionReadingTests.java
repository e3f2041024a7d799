package io.samboot.instance;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckListener;
import io.samboot.SamSettings;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import io.samboot.supervisor.EmbeddedControlServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who reads the control channel while a check runs, on a real socket with the real
 * control server: a quick check is run and answered by the reader that received it, which
 * never hands reading over; a slow check hands it over once it outlasts the hand-off
 * time, and at once when a command is sent meanwhile, so that neither a notice nor a
 * command's answer waits for the check.
 */
class InstanceConnectionReadingTests {

	private static final int INSTANCE_ID = 1;

	private static final long WAIT_SECONDS = 10;

	private final AtomicReference<HealthCheckCallback> callback = new AtomicReference<>(CheckResult::up);

	private final Set<Thread> checkThreads = ConcurrentHashMap.newKeySet();

	private final AtomicInteger handOffs = new AtomicInteger();

	private final LinkedBlockingQueue<Message.Notice> notices = new LinkedBlockingQueue<>();

	private EmbeddedControlServer server;

	private HealthCheckRunner runner;

	private InstanceConnection connection;

	@AfterEach
	void close() {
		if (this.runner != null) {
			this.runner.shutdown();
		}
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void quickChecksAreRunAndAnsweredByTheReaderThatReceivedThemWithoutHandingReadingOver() throws Exception {
		connect(Duration.ofMillis(100));
		for (long sequence = 1; sequence <= 20; sequence++) {
			assertThat(roundTrip(sequence).outcome()).isEqualTo(Outcome.UP);
		}
		assertThat(this.checkThreads).hasSize(1);
		assertThat(this.checkThreads.iterator().next().getName()).isEqualTo("sam-channel");
		assertThat(this.handOffs).hasValue(0);
	}

	@Test
	void aNoticeSentDuringASlowCheckIsReadOnceTheCheckOutlastsTheHandOffTime() throws Exception {
		connect(Duration.ofMillis(100));
		CountDownLatch release = slowCheckRunning(1);

		this.server.send(INSTANCE_ID, new Message.Notice("test", "cause", "while the check runs"));
		Message.Notice notice = this.notices.poll(WAIT_SECONDS, TimeUnit.SECONDS);

		assertThat(notice).as("the notice, read while the check still runs").isNotNull();
		assertThat(notice.detail()).isEqualTo("while the check runs");
		assertThat(release.getCount()).isOne();
		assertThat(this.handOffs).hasValue(1);
		release.countDown();
		assertThat(answer(1).outcome()).isEqualTo(Outcome.UP);
		// The roles have changed hands; checks still run and are answered.
		this.callback.set(CheckResult::up);
		assertThat(roundTrip(2).outcome()).isEqualTo(Outcome.UP);
	}

	@Test
	void aCommandSentDuringASlowCheckGetsItsAnswerWithoutWaitingForTheCheck() throws Exception {
		// A hand-off time longer than the test: only the command can hand reading over.
		connect(Duration.ofSeconds(60));
		CountDownLatch release = slowCheckRunning(1);

		CompletableFuture<Message> stored = CompletableFuture
			.supplyAsync(() -> this.connection.request(new Message.DataStore(new byte[] { 1, 2, 3 })));
		Message command = next();
		assertThat(command).isInstanceOf(Message.DataStore.class);
		this.server.send(INSTANCE_ID, Message.Reply.ok());

		assertThat(stored.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Message.Reply.ok());
		assertThat(release.getCount()).isOne();
		release.countDown();
		assertThat(answer(1).outcome()).isEqualTo(Outcome.UP);
		this.callback.set(CheckResult::up);
		assertThat(roundTrip(2).outcome()).isEqualTo(Outcome.UP);
	}

	/**
	 * Asks for a check that blocks until the returned latch is released, and waits until
	 * it runs.
	 */
	private CountDownLatch slowCheckRunning(long sequence) throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		this.callback.set(() -> {
			entered.countDown();
			release.await();
			return CheckResult.up();
		});
		this.server.send(INSTANCE_ID, new Message.HealthCheckRequest(sequence));
		assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
		return release;
	}

	private Message.HealthCheckResult roundTrip(long sequence) throws Exception {
		this.server.send(INSTANCE_ID, new Message.HealthCheckRequest(sequence));
		return answer(sequence);
	}

	private Message.HealthCheckResult answer(long sequence) throws Exception {
		Message message = next();
		assertThat(message).isInstanceOf(Message.HealthCheckResult.class);
		Message.HealthCheckResult result = (Message.HealthCheckResult) message;
		assertThat(result.sequence()).isEqualTo(sequence);
		return result;
	}

	private Message next() throws Exception {
		Message message = this.server.next(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(message).as("a message from the instance within %ds", WAIT_SECONDS).isNotNull();
		return message;
	}

	private void connect(Duration handOffAfter) throws Exception {
		this.server = EmbeddedControlServer.open();
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.server.expect(INSTANCE_ID, secret);
		this.server.expectPid(INSTANCE_ID, ProcessHandle.current().pid());
		SamSettings settings = SamSettings.builder().build();
		AtomicReference<InstanceConnection> connected = new AtomicReference<>();
		this.runner = new HealthCheckRunner(() -> () -> {
			this.checkThreads.add(Thread.currentThread());
			return this.callback.get().check();
		}, Duration.ofSeconds(60), handOffAfter, message -> connected.get().send(message), new HealthCheckListener() {
		});
		InstanceConnection.HealthCheckRequests requests = new InstanceConnection.HealthCheckRequests() {
			@Override
			public boolean begin(Message.HealthCheckRequest request) {
				return InstanceConnectionReadingTests.this.runner.begin(request);
			}

			@Override
			public void run(Message.HealthCheckRequest request, Runnable handOffReading) {
				InstanceConnectionReadingTests.this.runner.run(request, () -> {
					InstanceConnectionReadingTests.this.handOffs.incrementAndGet();
					handOffReading.run();
				});
			}
		};
		Map<String, String> environment = Map.of(Handoff.SOCKET, this.server.socketPath(), Handoff.SECRET,
				Handoff.toHex(secret), Handoff.INSTANCE_ID, Integer.toString(INSTANCE_ID));
		CompletableFuture<InstanceConnection.Connected> connecting = CompletableFuture
			.supplyAsync(() -> InstanceConnection.connect(environment, settings.toMap(), 1 << 20, requests, () -> {
			}));
		assertThat(next()).isInstanceOf(Message.Hello.class);
		this.server.frameLimit(settings.dataStoreMaxSize());
		this.server.send(INSTANCE_ID, new Message.Welcome(INSTANCE_ID, ProcessHandle.current().pid(), 0, null));
		this.connection = connecting.get(WAIT_SECONDS, TimeUnit.SECONDS).connection();
		connected.set(this.connection);
		this.connection.onNotice(this.notices::add);
	}

}
