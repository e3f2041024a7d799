package io.samboot.supervisor;

import java.time.Duration;
import java.util.Optional;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.protocol.Message.HealthCheckResult;

/**
 * Spares an instance that misses its health-check deadline inside a stop-the-world pause
 * (a long garbage collection), up to {@code sam.health-check.pause-grace} in all: it
 * moves the instance's deadline ({@link SupervisedInstance#pauseGraceUntilNanos}, which
 * {@link Deadlines} reads) while the {@link PauseProbe} sees the pause. Used on the loop
 * thread only.
 */
final class PauseGrace {

	/**
	 * The shortest extension, so an instance whose pause just ended has time to answer.
	 */
	private static final long MIN_EXTENSION_NANOS = Duration.ofMillis(10).toNanos();

	private final SamLog log;

	private PauseProbe probe = PauseProbe.NONE;

	PauseGrace(SamLog log) {
		this.log = log;
	}

	/** Where pauses are seen; {@link PauseProbe#NONE} (no grace ever) until set. */
	void probe(PauseProbe probe) {
		this.probe = probe;
	}

	/**
	 * Looks at the instance's JVM without deciding anything. The first look at a JVM's
	 * counters costs milliseconds, and safepoints are seen between two looks: the loop
	 * looks when checks start and on every pass, not first at a missed deadline.
	 */
	void look(SupervisedInstance instance) {
		this.probe.currentPause(instance.pid);
	}

	/**
	 * At a missed deadline: whether the instance is inside a pause and may have more
	 * time. Each extension is one request period, so an instance whose pause ended has
	 * that long to answer. A failed check is not a pause: only missing answers are
	 * forgiven.
	 * @return {@code true} with the deadline moved, {@code false} when the deadline
	 * stands
	 */
	boolean extend(SupervisedInstance instance, SamSettings settings, long now) {
		Duration grace = settings.pauseGrace();
		HealthCheckResult failure = instance.lastFailure;
		if (grace.isZero() || (failure != null && failure.outcome() != HealthCheckResult.Outcome.TIMEOUT)) {
			return false;
		}
		Optional<Duration> pause = this.probe.currentPause(instance.pid);
		if (pause.isEmpty()) {
			return false;
		}
		if (instance.pauseGraceSinceNanos == 0) {
			instance.pauseGraceSinceNanos = now;
			this.log.info(instance + " missed its health-check deadline inside a stop-the-world pause ("
					+ pause.get().toMillis() + "ms so far): extending the deadline while it lasts, up to"
					+ " sam.health-check.pause-grace (" + DurationText.of(grace) + ")");
		}
		if (now - instance.pauseGraceSinceNanos >= grace.toNanos()) {
			this.log.warn(
					instance + " is still paused after sam.health-check.pause-grace (" + DurationText.of(grace) + ")");
			return false;
		}
		instance.pauseGraceUntilNanos = now
				+ Math.max(settings.healthCheckRequestPeriod().toNanos(), MIN_EXTENSION_NANOS);
		return true;
	}

	/** The instance showed a sign of life: an extension, if any, is over. */
	void answered(SupervisedInstance instance, long now) {
		if (instance.pauseGraceSinceNanos != 0) {
			this.log.info(instance + " answered again after a pause; its deadline was extended for "
					+ Duration.ofNanos(now - instance.pauseGraceSinceNanos).toMillis() + "ms");
			instance.pauseGraceSinceNanos = 0;
			instance.pauseGraceUntilNanos = 0;
		}
	}

}
