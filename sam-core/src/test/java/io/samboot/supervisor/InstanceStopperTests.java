package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.SamSettings;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.FakeNativeAccess.Kill;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The decided end of an instance, carried out. */
class InstanceStopperTests {

	private static final long T0 = 2_000_000_000L;

	private final FakeNativeAccess os = new FakeNativeAccess();

	private final RecordingListener listener = new RecordingListener();

	private final CapturedLog log = new CapturedLog();

	private final AtomicLong nanos = new AtomicLong(T0);

	private final InstanceStopper stopper = new InstanceStopper(this.os, this.listener, this.log.log, this.nanos::get);

	private final SupervisedInstance instance = new SupervisedInstance(1, 2001, Instant.EPOCH, 0);

	private final SamSettings settings = SamSettings.builder()
		.timeInterval(Duration.ofSeconds(4))
		.killDelay(Duration.ofSeconds(2))
		.threadDump(false)
		.build();

	@Test
	void aRecoverySendsTheWarningAndArmsSigkillAfterTheKillDelay() {
		this.stopper.recover(this.instance, EndCause.HEALTH_CHECK_TIMEOUT, "no heartbeat for 4s", this.settings, T0);

		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.TERM));
		assertThat(this.instance.ending)
			.isEqualTo(new Ending(EndCause.HEALTH_CHECK_TIMEOUT, Next.RECOVER, "no heartbeat for 4s"));
		assertThat(this.instance.killAtNanos).isEqualTo(T0 + Duration.ofSeconds(2).toNanos());
		assertThat(this.log.lines()).containsExactly("WARN instance 1 (pid 2001) health-check-timeout: no heartbeat"
				+ " for 4s; sent SIGTERM, SIGKILL follows in 2s");
	}

	@Test
	void aRecoveryWithSigkillAsTheWarningKillsAtOnce() {
		this.stopper.recover(this.instance, EndCause.QUORUM_LOST, "the cluster lost quorum",
				this.settings.withWarnSignal(PosixSignal.KILL), T0);

		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.KILL));
		assertThat(this.instance.killAtNanos).isZero();
		assertThat(this.log.lines()).containsExactly(
				"WARN instance 1 (pid 2001) quorum-lost: the cluster lost quorum; sent SIGKILL (no warning signal)");
	}

	@Test
	void aMissedCheckAsksForAThreadDumpBeforeTheWarning() {
		this.stopper.recover(this.instance, EndCause.HEALTH_CHECK_FAILED, "database (down)",
				this.settings.toBuilder().threadDump(true).build(), T0);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.QUIT, PosixSignal.TERM);
		assertThat(this.instance.ending.detail()).isEqualTo("database (down); thread dump taken");
	}

	@Test
	void onlyAMissedCheckAsksForAThreadDump() {
		this.stopper.recover(this.instance, EndCause.STARTUP_TIMEOUT, "not ready",
				this.settings.toBuilder().threadDump(true).build(), T0);

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM);
	}

	@Test
	void theListenersHearTheDecisionBeforeAnySignalGoes() {
		List<String> order = new ArrayList<>();
		InstanceStopper ordered = new InstanceStopper(killing((pid, signal) -> order.add("kill " + signal)),
				new SupervisorListener() {
					@Override
					public void endingDecided(int instanceId, EndCause cause, String detail) {
						order.add("decided " + cause);
					}
				}, this.log.log, this.nanos::get);

		ordered.recover(this.instance, EndCause.HEALTH_CHECK_TIMEOUT, "silent", this.settings, T0);

		assertThat(order).containsExactly("decided HEALTH_CHECK_TIMEOUT", "kill TERM");
	}

	@Test
	void aGracefulStopSendsTheSignalAndArmsSigkillAfterTheTimeout() {
		Ending ending = new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, "SIGHUP received");

		this.stopper.stop(this.instance, ending, PosixSignal.TERM, Duration.ofSeconds(30), T0);

		assertThat(this.instance.ending).isEqualTo(ending);
		assertThat(this.listener.heard).containsExactly("ending 1 RESTART_REQUESTED");
		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.TERM));
		assertThat(this.instance.killAtNanos).isEqualTo(T0 + Duration.ofSeconds(30).toNanos());
	}

	@Test
	void aShutdownStopsGracefullyAndSaysNoRestartFollows() {
		this.stopper.shutDown(this.instance, PosixSignal.INT, this.settings, T0);

		assertThat(this.instance.ending)
			.isEqualTo(new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGINT to the supervisor"));
		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.TERM));
		assertThat(this.instance.killAtNanos).isEqualTo(T0 + this.settings.shutdownTimeout().toNanos());
		assertThat(this.log.lines()).containsExactly("INFO SIGINT received: stopping instance 1 (pid 2001) (SIGTERM,"
				+ " then SIGKILL after " + DurationText.of(this.settings.shutdownTimeout()) + "); no restart");
	}

	@Test
	void aShutdownWithSamDisabledPassesTheSignalOn() {
		this.stopper.shutDown(this.instance, PosixSignal.INT, this.settings.toBuilder().enabled(false).build(), T0);

		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.INT));
	}

	@Test
	void aShutdownOfAnInstanceAlreadyGoingKeepsItsCauseAndTimersButLetsNoneFollow() {
		this.stopper.recover(this.instance, EndCause.HEALTH_CHECK_TIMEOUT, "silent", this.settings, T0);
		long killAt = this.instance.killAtNanos;

		this.stopper.shutDown(this.instance, PosixSignal.TERM, this.settings, T0 + 1);

		assertThat(this.instance.ending).isEqualTo(new Ending(EndCause.HEALTH_CHECK_TIMEOUT, Next.QUIT, "silent"));
		assertThat(this.instance.killAtNanos).isEqualTo(killAt);
		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.TERM));
		assertThat(this.log.lines()).last()
			.isEqualTo("INFO SIGTERM received while instance 1 (pid 2001) is ending (health-check-timeout): no restart"
					+ " will follow");
	}

	@Test
	void aRestartStopsGracefullyAndAnotherFollows() {
		this.stopper.restart(this.instance, "SIGHUP received", this.settings, T0);

		assertThat(this.instance.ending)
			.isEqualTo(new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, "SIGHUP received"));
		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.TERM));
		assertThat(this.instance.killAtNanos).isEqualTo(T0 + this.settings.shutdownTimeout().toNanos());
		assertThat(this.log.lines()).containsExactly("INFO SIGHUP received: restarting instance 1 (pid 2001) gracefully"
				+ " (SIGTERM, then SIGKILL after " + DurationText.of(this.settings.shutdownTimeout()) + ")");
	}

	@Test
	void aRestartOfAnInstanceAlreadyGoingChangesNothing() {
		this.stopper.recover(this.instance, EndCause.QUORUM_LOST, "the cluster lost quorum", this.settings, T0);

		this.stopper.restart(this.instance, "the application asked for a restart", this.settings, T0 + 1);

		assertThat(this.instance.ending.cause()).isEqualTo(EndCause.QUORUM_LOST);
		assertThat(this.os.kills).hasSize(1);
		assertThat(this.log.lines()).last()
			.isEqualTo("INFO the application asked for a restart, but instance 1 (pid 2001) is already ending"
					+ " (quorum-lost)");
	}

	@Test
	void aKillIsAtOnceAndNothingFollowsIt() {
		this.instance.killAtNanos = T0;

		this.stopper.kill(this.instance, new Ending(EndCause.MARKED_FAILED, Next.QUIT, "markFailed() called"));

		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.KILL));
		assertThat(this.instance.killAtNanos).isZero();
		assertThat(this.listener.heard).containsExactly("ending 1 MARKED_FAILED");
	}

	@Test
	void anOverdueSigkillSaysHowLongAfterTheLastSignalItCame() {
		this.stopper.stop(this.instance, new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIGTERM to the supervisor"),
				PosixSignal.TERM, Duration.ofSeconds(10), T0);

		this.stopper.killOverdue(this.instance, T0 + Duration.ofSeconds(10).toNanos());

		assertThat(this.os.kills).extracting(Kill::signal).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
		assertThat(this.instance.killAtNanos).isZero();
		assertThat(this.log.lines())
			.containsExactly("WARN instance 1 (pid 2001) is still running 10000ms after SIGTERM: sending SIGKILL");
	}

	@Test
	void aSignalSentWithoutADecisionDecidesNothing() {
		this.stopper.send(this.instance, PosixSignal.HUP);

		assertThat(this.os.kills).containsExactly(new Kill(2001, PosixSignal.HUP));
		assertThat(this.instance.ending).isNull();
		assertThat(this.instance.lastSignal).isEqualTo(PosixSignal.HUP);
		assertThat(this.instance.lastSignalNanos).isEqualTo(T0);
	}

	@Test
	void aSignalThatCannotBeSentIsLogged() {
		NativeAccess failing = killing((pid, signal) -> {
			throw new IllegalStateException("kill(" + pid + ", " + signal.signalName() + "): no such process");
		});

		new InstanceStopper(failing, this.listener, this.log.log, this.nanos::get).send(this.instance, PosixSignal.HUP);

		assertThat(this.log.lines()).containsExactly(
				"ERROR could not send SIGHUP to instance 1 (pid 2001): kill(2001, SIGHUP): no such process");
	}

	/** Native access whose kill does this. */
	private static NativeAccess killing(BiConsumer<Long, PosixSignal> kill) {
		return new FakeNativeAccess() {
			@Override
			public boolean kill(long pid, PosixSignal signal) {
				kill.accept(pid, signal);
				return true;
			}
		};
	}

}
