package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.EndCause;
import io.samboot.HealthCheckMode;
import io.samboot.PosixSignal;
import io.samboot.SamSettings;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A missed deadline inside a stop-the-world pause is extended, up to the pause grace. */
class SupervisorLoopPauseTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private final QueuedEvents queue = new QueuedEvents();

	private final FakeInstanceLauncher launcher = new FakeInstanceLauncher();

	private final FakeControlChannel channel = new FakeControlChannel();

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

	private final AtomicBoolean paused = new AtomicBoolean();

	private final SamSettings settings = SamSettings.builder()
		.timeInterval(INTERVAL)
		.threadDump(false)
		.healthCheckMode(HealthCheckMode.APPLICATION)
		.pauseGrace(Duration.ofSeconds(5))
		.build();

	private final SupervisorLoop loop = new SupervisorLoop(this.queue, this.settings, null, this.launcher, this.channel,
			this.os, new FakeExit(), this.nanos::get,
			Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC));

	SupervisorLoopPauseTests() {
		this.loop.pauseProbe(pid -> this.paused.get() ? Optional.of(Duration.ofMillis(700)) : Optional.empty());
		this.loop.start(now());
		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(this.launcher.tickets.get(0).secret(),
				FakeInstanceLauncher.pidOf(1), this.settings.toMap())), now());
		this.loop.handle(new SupervisorEvent.Received(1, new Message.Start(false)), now());
	}

	@Test
	void aPauseExtendsTheDeadlineAndAnAnswerAfterItKeepsTheInstance() {
		this.paused.set(true);
		elapse(Duration.ofSeconds(4));
		assertThat(this.os.kills).isEmpty();
		this.paused.set(false);
		this.loop.handle(new SupervisorEvent.Received(1, new Message.Heartbeat()), now());
		elapse(INTERVAL.minusMillis(1));
		assertThat(this.os.kills).isEmpty();
	}

	@Test
	void noAnswerSoonAfterThePauseEndsIsATimeout() {
		this.paused.set(true);
		elapse(Duration.ofSeconds(2));
		this.paused.set(false);
		elapse(INTERVAL.dividedBy(4).plusMillis(1));
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void thePauseGraceBoundsTheExtension() {
		this.paused.set(true);
		elapse(INTERVAL.plus(Duration.ofSeconds(5)).minusMillis(300));
		assertThat(this.os.kills).isEmpty();
		elapse(Duration.ofMillis(600));
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal).containsExactly(PosixSignal.TERM);
		elapse(Duration.ofSeconds(2));
		this.launcher.instance(1).exit().complete(137);
		this.loop.handle(this.queue.poll(), now());
		assertThat(this.loop.status(now()).history()).singleElement()
			.satisfies(record -> assertThat(record.cause()).isEqualTo(EndCause.HEALTH_CHECK_TIMEOUT));
	}

	@Test
	void withoutPauseGraceAPausedInstanceIsNotSpared() {
		this.paused.set(true);
		SamSettings noGrace = this.settings.toBuilder().pauseGrace(Duration.ZERO).build();
		this.loop.handle(new SupervisorEvent.Received(1, new Message.Stop()), now());
		this.loop.handle(new SupervisorEvent.Connected(1, new Message.Hello(new byte[0], 0, noGrace.toMap())), now());
		this.loop.handle(new SupervisorEvent.Received(1, new Message.Start(false)), now());
		elapse(INTERVAL.plusMillis(1));
		assertThat(this.os.kills).extracting(FakeNativeAccess.Kill::signal).containsExactly(PosixSignal.TERM);
	}

	private long now() {
		return this.nanos.get();
	}

	private void elapse(Duration duration) {
		LoopTime.elapse(this.loop, this.nanos, duration);
	}

}
