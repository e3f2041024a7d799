package io.samboot.supervisor;

import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisedInstance.Phase;

/**
 * Every deadline of the supervisor loop, each defined once: one small method says whether
 * it applies and when it falls. The loop asks this object both which deadline is due
 * ({@link #isDue}) and until when it may wait for its next event ({@link #next}); both
 * answers come from the same definitions, so they cannot disagree.
 *
 * <p>
 * A deadline reads the current instance and settings as they are when asked: a heartbeat
 * that re-arms the time interval, a hello that changes it, an ending that replaces it by
 * SIGKILL all move the deadlines without anyone re-arming them. Times are on the loop's
 * nanosecond ticker, which may wrap, so every comparison is on a difference. Used on the
 * loop thread only.
 */
final class Deadlines {

	/**
	 * How long the loop waits when no deadline applies: it has nothing to do but wakes up
	 * anyway.
	 */
	static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

	/**
	 * What {@link #remaining} answers for a deadline that does not apply; no real one is
	 * that far.
	 */
	static final long NONE = Long.MAX_VALUE;

	/** Below this, a late wake is scheduling jitter or the lean JVM's own collection. */
	private static final long NOT_SCHEDULED_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	/** Above this, a late wake is never jitter, however long the interval. */
	private static final long NOT_SCHEDULED_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** The loop's deadlines. */
	enum Deadline {

		/** The back-off delay before the next launch has passed. */
		RESTART,

		/**
		 * SIGKILL follows the warning signal ({@code kill-delay}) or a graceful stop
		 * ({@code shutdown-timeout}).
		 */
		KILL,

		/** Time to ask an event-driven instance for its next health check. */
		HEALTH_CHECK_REQUEST,

		/** Time to send the next HTTP liveness check ({@code sam.health-check.http}). */
		HTTP_CHECK,

		/**
		 * The time interval passed without a sign of life (moved later while a pause is
		 * forgiven).
		 */
		HEALTH_CHECK,

		/**
		 * The instance has not started health checking within
		 * {@code sam.startup-timeout}.
		 */
		STARTUP,

		/**
		 * Something is due for the hot standby: its launch, its readiness, its sign of
		 * life, its SIGKILL ({@link Standby#remaining}).
		 */
		STANDBY,

		/**
		 * SIGKILL follows the warning or graceful stop of an instance the standby has
		 * replaced.
		 */
		REPLACED_KILL

	}

	private final Supplier<SupervisedInstance> current;

	private final Supplier<SamSettings> settings;

	/** The standby's deadline ({@link Deadline#STANDBY}), from a time. */
	private LongUnaryOperator standby = (now) -> NONE;

	/** The replaced instances' earliest SIGKILL ({@link Deadline#REPLACED_KILL}). */
	private LongUnaryOperator replaced = (now) -> NONE;

	/** A restart waiting for its back-off delay, while no instance runs. */
	private boolean restartPending;

	private long restartAtNanos;

	/**
	 * @param current the loop's current instance, {@code null} between two
	 * @param settings the settings in force
	 */
	Deadlines(Supplier<SupervisedInstance> current, Supplier<SamSettings> settings) {
		this.current = current;
		this.settings = settings;
	}

	/**
	 * Adds the hot standby's deadlines: each answers the nanoseconds until it is due, as
	 * {@link #remaining} does.
	 */
	void watchStandby(LongUnaryOperator standby, LongUnaryOperator replaced) {
		this.standby = standby;
		this.replaced = replaced;
	}

	/** Holds the next launch until then. */
	void restartAt(long nanos) {
		this.restartPending = true;
		this.restartAtNanos = nanos;
	}

	/** The held launch is happening. */
	void restarted() {
		this.restartPending = false;
	}

	/**
	 * Until when the loop may wait for an event: the earliest deadline, or
	 * {@link #IDLE_NANOS} from now.
	 */
	long next(long now) {
		SupervisedInstance instance = this.current.get();
		SamSettings settings = this.settings.get();
		long earliest = Math.min(Math.min(restart(instance, now), kill(instance, now)),
				Math.min(Math.min(healthCheckRequest(instance, settings, now), healthCheck(instance, settings, now)),
						startup(instance, settings, now)));
		earliest = Math.min(earliest, Math.min(this.standby.applyAsLong(now), this.replaced.applyAsLong(now)));
		earliest = Math.min(earliest, httpCheck(instance, settings, now));
		earliest = Math.min(earliest, watch(instance, settings));
		return now + ((earliest != NONE) ? earliest : IDLE_NANOS);
	}

	/**
	 * How much later than it asked the loop may wake before it counts as not scheduled
	 * (stopped, frozen, starved): an eighth of the time interval, within 25 ms and 1 s.
	 * The loop sleeps at most a quarter of the interval while it holds an instance to it
	 * ({@link #watch}), so an absence longer than three eighths of the interval makes it
	 * wake at least this late wherever in its sleep the absence began, and an instance
	 * that answers within a quarter of it (as event-driven checks ask) cannot miss its
	 * deadline for an absence shorter than that.
	 */
	static long notScheduledNanos(SamSettings settings) {
		long eighth = settings.timeInterval().toNanos() / 8;
		return (eighth == 0) ? NOT_SCHEDULED_MAX_NANOS
				: Math.max(NOT_SCHEDULED_MIN_NANOS, Math.min(NOT_SCHEDULED_MAX_NANOS, eighth));
	}

	/**
	 * While the instance is held to its time interval, the loop wakes at least every
	 * quarter of it, even with nothing due: an absence of the supervisor then shows as a
	 * late wake ({@link #notScheduledNanos}), not as the instance's missed deadline.
	 */
	private static long watch(SupervisedInstance instance, SamSettings settings) {
		return checksTime(instance, settings) ? settings.healthCheckRequestPeriod().toNanos() : NONE;
	}

	/**
	 * Whether any deadline has passed: one look at all of them, for the passes that find
	 * none.
	 */
	boolean isAnyDue(long now) {
		return next(now) - now <= 0;
	}

	/** Whether this deadline applies and has passed. */
	boolean isDue(Deadline deadline, long now) {
		return remaining(deadline, now) <= 0;
	}

	/** Whether this deadline applies and is still ahead. */
	boolean isAhead(Deadline deadline, long now) {
		long remaining = remaining(deadline, now);
		return remaining > 0 && remaining != NONE;
	}

	/**
	 * The nanoseconds until this deadline falls due, zero or less once it has;
	 * {@link #NONE} when it does not apply now.
	 */
	long remaining(Deadline deadline, long now) {
		SupervisedInstance instance = this.current.get();
		return switch (deadline) {
			case RESTART -> restart(instance, now);
			case KILL -> kill(instance, now);
			case HEALTH_CHECK_REQUEST -> healthCheckRequest(instance, this.settings.get(), now);
			case HTTP_CHECK -> httpCheck(instance, this.settings.get(), now);
			case HEALTH_CHECK -> healthCheck(instance, this.settings.get(), now);
			case STARTUP -> startup(instance, this.settings.get(), now);
			case STANDBY -> this.standby.applyAsLong(now);
			case REPLACED_KILL -> this.replaced.applyAsLong(now);
		};
	}

	// ---- the definitions, one each
	// ---------------------------------------------------------------

	private long restart(SupervisedInstance instance, long now) {
		return (instance == null && this.restartPending) ? this.restartAtNanos - now : NONE;
	}

	/** Only once the instance is going: nothing it does then changes its end. */
	private static long kill(SupervisedInstance instance, long now) {
		return (instance != null && instance.ending != null && instance.killAtNanos != 0) ? instance.killAtNanos - now
				: NONE;
	}

	private static long healthCheckRequest(SupervisedInstance instance, SamSettings settings, long now) {
		return (checksTime(instance, settings) && instance.eventDriven) ? instance.nextRequestNanos - now : NONE;
	}

	/** While checks are timed, one HTTP check on its way at a time. */
	private static long httpCheck(SupervisedInstance instance, SamSettings settings, long now) {
		return (checksTime(instance, settings) && HttpChecks.applies(instance, settings) && !instance.httpCheckInFlight)
				? instance.nextHttpCheckNanos - now : NONE;
	}

	/**
	 * The time interval from the last sign of life (with the HTTP check on, the older of
	 * the instance's own and the last passing HTTP check), or the end of a forgiven pause
	 * if that is later. Not while a debugger's agent waives it: checks are still asked
	 * for, but missing them ends nothing.
	 */
	private static long healthCheck(SupervisedInstance instance, SamSettings settings, long now) {
		if (!checksTime(instance, settings) || instance.limitsWaived) {
			return NONE;
		}
		long deadline = HttpChecks.lastAliveNanos(instance, settings) + settings.timeInterval().toNanos();
		return ((instance.pauseGraceUntilNanos != 0 && instance.pauseGraceUntilNanos - deadline > 0)
				? instance.pauseGraceUntilNanos : deadline) - now;
	}

	/**
	 * From the launch until health checking first starts (waiting for quorum counts as
	 * started).
	 */
	private static long startup(SupervisedInstance instance, SamSettings settings, long now) {
		return (supervised(instance, settings) && instance.phase == Phase.NOT_STARTED
				&& !settings.startupTimeout().isZero() && !instance.limitsWaived)
						? instance.launchedNanos + settings.startupTimeout().toNanos() - now : NONE;
	}

	/**
	 * Whether the time interval is enforced: health checking is started and the interval
	 * is not zero (none).
	 */
	private static boolean checksTime(SupervisedInstance instance, SamSettings settings) {
		return supervised(instance, settings) && instance.phase == Phase.STARTED && !settings.timeInterval().isZero();
	}

	/**
	 * Whether the supervisor holds the instance to limits: it runs, is not going, and SAM
	 * is enabled.
	 */
	private static boolean supervised(SupervisedInstance instance, SamSettings settings) {
		return instance != null && instance.ending == null && settings.enabled();
	}

}
