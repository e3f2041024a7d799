package io.samboot.supervisor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP liveness check ({@code sam.health-check.http}) in the loop's decisions: the
 * loop runs on a manual clock, its checks go to a real HTTP server on loopback, and each
 * answer is handed back to the loop as its own thread would.
 */
class SupervisorLoopHttpCheckTests {

	private static final Instant WALL = Instant.parse("2026-12-01T12:00:00Z");

	private static final Duration INTERVAL = Duration.ofSeconds(4);

	private final QueuedEvents queue = new QueuedEvents();

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final FakeExit exit = new FakeExit();

	private final AtomicLong nanos = new AtomicLong(7_000_000_000L);

	private final AtomicInteger status = new AtomicInteger(200);

	private final AtomicInteger requests = new AtomicInteger();

	private HttpServer server;

	private ServerSocket silent;

	private SupervisorLoop loop;

	/** The instance's own check requests answered so far. */
	private int answered;

	@AfterEach
	void stopServers() throws IOException {
		if (this.server != null) {
			this.server.stop(0);
		}
		if (this.silent != null) {
			this.silent.close();
		}
	}

	@Test
	void aWebServerThatAnswersKeepsAnInstanceWhoseChecksPassAlive() throws Exception {
		startedInstance(httpChecked(), serverUrl());

		runAnsweringChecks(INTERVAL.multipliedBy(5));

		assertThat(this.loop.current().ending).isNull();
		assertThat(this.os.kills).isEmpty();
		assertThat(this.requests.get()).as("a check every quarter interval").isBetween(18, 22);
	}

	@Test
	void aWebServerThatFailsEndsAnInstanceWhoseOwnChecksPass() throws Exception {
		startedInstance(httpChecked(), serverUrl());
		runAnsweringChecks(INTERVAL);

		this.status.set(503);
		runAnsweringChecks(INTERVAL.multipliedBy(2));

		SupervisedInstance.Ending ended = this.loop.current().ending;
		assertThat(ended.cause()).isEqualTo(EndCause.HEALTH_CHECK_FAILED);
		assertThat(ended.detail()).contains("GET " + serverUrl() + " answered 503")
			.contains("no passing HTTP check for");
	}

	@Test
	void aWebServerThatNeverAnswersEndsTheInstanceAsTimedOut() throws Exception {
		this.silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		String url = "http://127.0.0.1:" + this.silent.getLocalPort() + "/live";
		startedInstance(httpChecked(), url);

		runAnsweringChecks(INTERVAL.multipliedBy(2));

		SupervisedInstance.Ending ended = this.loop.current().ending;
		assertThat(ended.cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT);
		assertThat(ended.detail()).contains("GET " + url + " had no answer within 200ms");
	}

	@Test
	void withoutTheSettingAUrlIsKeptButNeverAsked() throws Exception {
		SamSettings settings = eventDriven().toBuilder().build();
		this.status.set(503);
		startedInstance(settings, serverUrl());

		runAnsweringChecks(INTERVAL.multipliedBy(3));

		assertThat(this.requests.get()).isZero();
		assertThat(this.loop.current().ending).isNull();
	}

	@Test
	void aUrlOffThisHostIsRefused() throws Exception {
		startedInstance(httpChecked(), null);

		receive(new Message.HttpCheckUrl("http://192.0.2.1:8080/live"));

		Message.Reply reply = (Message.Reply) this.channel.lastTo(1);
		assertThat(reply.error()).isEqualTo(SamError.INVALID_PARAM.name());
		assertThat(reply.message()).contains("only checks its own instance over loopback");
		runAnsweringChecks(INTERVAL.multipliedBy(2));
		assertThat(this.loop.current().ending).as("no URL: only its own checks count").isNull();
	}

	@Test
	void aSupervisorThatWasAwayGivesTheHttpCheckAFreshInterval() throws Exception {
		startedInstance(httpChecked(), serverUrl());
		runAnsweringChecks(INTERVAL);
		this.status.set(503);
		runAnsweringChecks(INTERVAL.dividedBy(2));

		this.nanos.addAndGet(INTERVAL.multipliedBy(3).toNanos());
		this.loop.supervisorWasAway(INTERVAL.multipliedBy(3).toNanos(), now());
		this.status.set(200);
		runAnsweringChecks(INTERVAL.multipliedBy(2));

		assertThat(this.loop.current().ending).isNull();
	}

	// ---- helpers

	private static SamSettings eventDriven() {
		return SamSettings.builder()
			.timeInterval(INTERVAL)
			.healthCheckMode(HealthCheckMode.EVENT)
			.healthCheckTimeout(Duration.ofMillis(200))
			.threadDump(false)
			.build();
	}

	private static SamSettings httpChecked() {
		return eventDriven().toBuilder().httpCheck(true).build();
	}

	private String serverUrl() throws IOException {
		if (this.server == null) {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/live", (exchange) -> {
				this.requests.incrementAndGet();
				exchange.sendResponseHeaders(this.status.get(), -1);
				exchange.close();
			});
			this.server.start();
		}
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/live";
	}

	private void startedInstance(SamSettings settings, String url) {
		this.loop = new SupervisorLoop(this.queue, settings, null, this.launcher, this.channel, this.os, this.exit,
				this.nanos::get, Clock.fixed(WALL, ZoneOffset.UTC));
		this.loop.start(now());
		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(this.launcher.tickets.get(0).secret(),
				FakeInstanceLauncher.pidOf(1), settings.toMap())), now());
		if (url != null) {
			receive(new Message.HttpCheckUrl(url));
			assertThat(this.channel.lastTo(1)).isEqualTo(Message.Reply.ok());
		}
		receive(new Message.Start(true));
	}

	private void receive(Message message) {
		this.loop.handle(new SupervisorEvent.Received(1, message), now());
	}

	/**
	 * Lets fake time pass as the loop would live it, answering each of the instance's own
	 * check requests as passed, and handing each HTTP check's answer back before time
	 * goes on.
	 */
	private void runAnsweringChecks(Duration duration) throws InterruptedException {
		long end = now() + duration.toNanos();
		this.loop.onTime(now());
		while (true) {
			settle();
			if (now() - end >= 0) {
				return;
			}
			long next = this.loop.nextDeadline(now());
			this.nanos.set((next - end < 0) ? next : end);
			this.loop.onTime(now());
		}
	}

	private void settle() throws InterruptedException {
		SupervisedInstance instance = this.loop.current();
		if (instance == null || instance.ending != null) {
			return;
		}
		List<Message.HealthCheckRequest> asked = this.channel.sentTo(1, Message.HealthCheckRequest.class);
		for (Message.HealthCheckRequest request : asked.subList(this.answered, asked.size())) {
			receive(new Message.HealthCheckResult(request.sequence(), Outcome.UP, null, null, 1_000));
		}
		this.answered = asked.size();
		if (instance.httpCheckInFlight) {
			SupervisorEvent answer = this.queue.poll(10, TimeUnit.SECONDS);
			assertThat(answer).isInstanceOf(SupervisorEvent.HttpChecked.class);
			this.loop.handle(answer, now());
		}
	}

	private long now() {
		return this.nanos.get();
	}

}
