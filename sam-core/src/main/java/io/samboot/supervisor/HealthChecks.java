package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import io.samboot.EndCause;
import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.supervisor.SupervisedInstance.Phase;

/**
 * What the supervisor learns of an instance's health: the signs of life that re-arm its
 * time interval, its check results, the requests an event-driven instance answers, and
 * what a missed deadline means. When the deadline falls is for {@link Deadlines} to say,
 * whether to recover for the loop to decide. Used on the loop thread only.
 */
final class HealthChecks {

	private final ControlChannel channel;

	private final SupervisorDataStore dataStore;

	private final PauseGrace pauseGrace;

	private final SupervisorListener listeners;

	private final SamLog log;

	private final Clock clock;

	private final LongSupplier nanoTime;

	/**
	 * When the instance last proved healthy (a heartbeat, a passed check, the start of
	 * checking).
	 */
	private Instant lastUpdated;

	HealthChecks(ControlChannel channel, SupervisorDataStore dataStore, PauseGrace pauseGrace,
			SupervisorListener listeners, SamLog log, Clock clock, LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.channel = channel;
		this.dataStore = dataStore;
		this.pauseGrace = pauseGrace;
		this.listeners = listeners;
		this.log = log;
		this.clock = clock;
	}

	/**
	 * Health checking starts now: a whole interval ahead, no failure carried over, the
	 * first request due. The instance hears so: its start is answered, or, if it waited
	 * for quorum, told to go on.
	 */
	void started(SupervisedInstance instance, boolean waitedForQuorum, SamSettings settings, long now) {
		instance.lastFailure = null;
		instance.lastAliveNanos = now;
		instance.nextRequestNanos = now;
		this.lastUpdated = this.clock.instant();
		this.channel.send(instance.id, waitedForQuorum ? new Message.QuorumStart() : Message.Reply.ok());
		this.listeners.healthCheckingStarted(instance.id);
		this.listeners.stateChanged(instance.id, SamState.STARTED);
		// The first look at a JVM's counters costs milliseconds (on a loaded machine,
		// close to a second): after the answer, not at a missed deadline, and the
		// interval
		// counts from after it, not from before it.
		this.pauseGrace.look(instance);
		long looked = this.nanoTime.getAsLong();
		if (looked - instance.lastAliveNanos > 0) {
			instance.lastAliveNanos = looked;
			instance.nextRequestNanos = looked;
		}
		if (settings.enabled()) {
			this.log.info(instance + " started health checking" + (settings.timeInterval().isZero()
					? " (no time limit: only its death is watched)"
					: instance.eventDriven ? " (the supervisor requests checks)" : " (the application sends them)"));
		}
	}

	/**
	 * Health checking starts once the cluster is quorate: the instance hears so at once,
	 * QuorumStart follows.
	 */
	void waitingForQuorum(SupervisedInstance instance) {
		// Answered now, so the instance's other requests are not held up.
		this.channel.send(instance.id, new Message.Reply(null, Message.Reply.WAITING_FOR_QUORUM));
		this.log.info(instance + " waits for quorum before health checking starts");
		this.listeners.stateChanged(instance.id, SamState.WAITING_FOR_QUORUM);
	}

	/**
	 * stop() or close(): health checking stops if it was started (a start waiting for
	 * quorum goes on waiting), the instance is answered, and the listeners hear of the
	 * stop unless the instance is going anyway.
	 */
	void stop(SupervisedInstance instance) {
		boolean wasStarted = instance.stopChecks();
		this.channel.send(instance.id, Message.Reply.ok());
		if (wasStarted && instance.ending == null) {
			stopped(instance);
		}
	}

	/**
	 * Health checking stopped (stop() or close()) while the instance was not going
	 * anyway.
	 */
	void stopped(SupervisedInstance instance) {
		this.listeners.healthCheckingStopped(instance.id);
		this.listeners.stateChanged(instance.id, SamState.REGISTERED);
	}

	/**
	 * A message from the instance re-arms the time interval if it is a sign of life. With
	 * application-driven checking every message is, as in corosync. With event-driven
	 * checking only a passed check (or an explicit heartbeat) is: an instance whose
	 * checks fail must not stay alive by storing data.
	 */
	void received(SupervisedInstance instance, Message message, long now) {
		boolean alive = (message instanceof HealthCheckResult result) ? result.outcome().healthy()
				: !instance.eventDriven || message instanceof Message.Heartbeat || message instanceof Message.Start;
		if (alive) {
			alive(instance, now);
		}
	}

	/**
	 * Like any message, a data store proves an application-mode instance alive (as in
	 * corosync); those kept on the channel's thread count from when they were kept,
	 * looked at before any deadline.
	 */
	void noteChannelStores(SupervisedInstance instance) {
		long kept = this.dataStore.lastKeptNanos(instance.id, instance.lastAliveNanos);
		if (!instance.eventDriven && kept - instance.lastAliveNanos > 0) {
			alive(instance, kept);
		}
	}

	private void alive(SupervisedInstance instance, long now) {
		instance.lastAliveNanos = now;
		this.pauseGrace.answered(instance, now);
	}

	void heartbeat(SupervisedInstance instance) {
		this.lastUpdated = this.clock.instant();
		if (instance.phase == Phase.STARTED && instance.ending == null) {
			this.listeners.instanceHealthy(instance.id);
		}
	}

	/**
	 * A check's answer: a failure is remembered (and logged once) until a check passes.
	 */
	void result(SupervisedInstance instance, HealthCheckResult result) {
		if (result.outcome().healthy()) {
			if (instance.lastFailure != null && instance.ending == null) {
				this.log.info(instance + " is healthy again");
			}
			instance.lastFailure = null;
			this.lastUpdated = this.clock.instant();
			if (instance.ending == null) {
				this.listeners.instanceHealthy(instance.id);
			}
			return;
		}
		if (instance.lastFailure == null && instance.ending == null) {
			this.log
				.warn(instance + " health check " + result.outcome().name().toLowerCase() + ": " + describe(result));
		}
		instance.lastFailure = result;
	}

	/**
	 * Asks an event-driven instance for its next check, and says when the one after is
	 * due.
	 */
	void request(SupervisedInstance instance, SamSettings settings, long now) {
		instance.requestSequence++;
		this.channel.send(instance.id, new Message.HealthCheckRequest(instance.requestSequence));
		instance.nextRequestNanos = now + settings.healthCheckRequestPeriod().toNanos();
	}

	/**
	 * Why the instance missed its deadline: a failed check, or no answer at all (a
	 * timed-out check counts so).
	 */
	EndCause missedCause(SupervisedInstance instance) {
		HealthCheckResult failure = instance.lastFailure;
		return (failure != null && failure.outcome() != HealthCheckResult.Outcome.TIMEOUT)
				? EndCause.HEALTH_CHECK_FAILED : EndCause.HEALTH_CHECK_TIMEOUT;
	}

	/**
	 * What the instance's record says of its missed deadline: the failed check, or how
	 * long it was silent.
	 */
	String missedDetail(SupervisedInstance instance, long now) {
		if (instance.lastFailure != null) {
			return describe(instance.lastFailure);
		}
		return "no " + (instance.eventDriven ? "answer to a health-check request" : "heartbeat") + " for "
				+ DurationText.of(Duration.ofNanos(now - instance.lastAliveNanos));
	}

	/**
	 * When the instance last proved healthy, for the status; {@code null} before it ever
	 * did.
	 */
	Instant lastUpdated() {
		return this.lastUpdated;
	}

	private static String describe(HealthCheckResult result) {
		String check = (result.check() != null) ? result.check() : "health check";
		return check + ((result.reason() != null) ? " (" + result.reason() + ")" : "");
	}

}
