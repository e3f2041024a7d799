package io.samboot.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;

/**
 * The hot standby ({@code sam.standby.enabled}): one more instance, launched with the
 * next instance's id once the active instance is ready, which starts everything it can
 * before it would serve and then waits, parked, to be promoted. Until then it is no
 * instance of SAM's: it is not counted, gets no health checks and cannot store data; it
 * only says it is alive. A standby that ends or stops saying so is replaced, after a
 * delay that doubles with each failure in a row ({@link #FIRST_DELAY} to
 * {@link #MAX_DELAY}) and starts over once one is ready. Used on the loop thread only.
 */
final class Standby {

	/** The delay before the first replacement of a standby that failed. */
	static final Duration FIRST_DELAY = Duration.ofSeconds(1);

	/** The longest delay between two standbys that fail in a row. */
	static final Duration MAX_DELAY = Duration.ofMinutes(1);

	/**
	 * The shortest limit between two signs of life of a parked standby, whatever the time
	 * interval: it says it is alive every quarter of the interval, from a JVM that may
	 * just be collecting garbage.
	 */
	static final Duration MIN_SILENCE = Duration.ofSeconds(2);

	/**
	 * How long the supervisor waits to look again when memory was short for a standby.
	 */
	static final Duration MEMORY_RETRY = Duration.ofMinutes(1);

	/** Where a standby stands, as {@code /actuator/sam} shows it. */
	enum State {

		/** Launched, not yet parked. */
		STARTING("starting"),
		/** Parked: promoted the moment the active instance needs replacing. */
		READY("ready"),
		/** The active instance needs replacing: promoted as soon as it is parked. */
		PROMOTING("promoting");

		private final String id;

		State(String id) {
			this.id = id;
		}

		String id() {
			return this.id;
		}

	}

	private final Launches launches;

	private final InstanceStopper stopper;

	private final SamLog log;

	private SupervisedInstance process;

	private State state;

	private Instant since;

	/** The settings of its hello, applied when it is promoted. */
	private Map<String, String> settings;

	/** When the next standby may be launched (after a failure), 0 when at once. */
	private long notBeforeNanos;

	private Duration nextDelay = FIRST_DELAY;

	private int failures;

	private boolean explained;

	private boolean shortageLogged;

	private final MemoryHeadroom memory;

	private final Clock clock;

	/**
	 * @param clock the wall clock, for the time a state began as the status shows it
	 */
	Standby(Launches launches, InstanceStopper stopper, SamLog log, Clock clock) {
		this(launches, stopper, log, clock, new MemoryHeadroom());
	}

	Standby(Launches launches, InstanceStopper stopper, SamLog log, Clock clock, MemoryHeadroom memory) {
		this.launches = launches;
		this.stopper = stopper;
		this.log = log;
		this.clock = clock;
		this.memory = memory;
	}

	/** Whether this instance id is the standby's. */
	boolean is(int instanceId) {
		return this.process != null && this.process.id == instanceId;
	}

	/** The standby process, in whatever state, or {@code null} when none runs. */
	SupervisedInstance process() {
		return this.process;
	}

	/** Whether a standby process runs (in whatever state). */
	boolean exists() {
		return this.process != null;
	}

	boolean isReady() {
		return this.state == State.READY;
	}

	/**
	 * How long the next standby waits after the active instance became ready: its first
	 * requests (and the compiler warming its code) should not share the CPUs with a
	 * starting JVM.
	 */
	static final Duration SETTLE = Duration.ofSeconds(2);

	/**
	 * The active instance is ready: the next standby (if one is wanted and none runs) is
	 * launched {@link #SETTLE} from now, or later if a failure's delay says so.
	 */
	void activeReady(long now) {
		if (this.process == null) {
			long settled = now + SETTLE.toNanos();
			if (this.notBeforeNanos == 0 || settled - this.notBeforeNanos > 0) {
				this.notBeforeNanos = (settled != 0) ? settled : 1;
			}
		}
	}

	/**
	 * Launches a standby if the settings want one and none runs, and any delay after a
	 * failure has passed.
	 */
	void launchIfWanted(SamSettings settings, long activePid, long now) {
		if (this.process != null || !wanted(settings) || (this.notBeforeNanos != 0 && this.notBeforeNanos - now > 0)) {
			return;
		}
		String shortage = this.memory.shortage(activePid);
		if (shortage != null) {
			this.notBeforeNanos = now + MEMORY_RETRY.toNanos();
			if (!this.shortageLogged) {
				this.shortageLogged = true;
				this.log.warn("no standby for now: " + shortage + "; a second instance needs as much. The supervisor"
						+ " looks again every " + DurationText.of(MEMORY_RETRY) + " (give it more memory, or turn"
						+ " sam.standby.enabled off)");
			}
			return;
		}
		this.shortageLogged = false;
		this.notBeforeNanos = 0;
		this.process = this.launches.nextStandby(now);
		if (this.process == null) {
			failed(now);
			return;
		}
		moveTo(State.STARTING);
		this.log.info("launched the standby (pid " + this.process.pid + "), to become instance " + this.process.id
				+ " when needed");
	}

	/**
	 * Says once, when the settings ask for a standby that could never be promoted, why
	 * none is started.
	 */
	void explainIfNeverPromoted(SamSettings settings) {
		if (settings.standby() && !wanted(settings) && !this.explained) {
			this.explained = true;
			this.log.warn("sam.standby.enabled is ignored: " + (settings.enabled()
					? "with sam.recovery-policy=quit a failed instance is never replaced, so there is nothing to"
							+ " promote a standby to"
					: "sam.enabled=false supervises nothing"));
		}
	}

	/** Whether these settings ask for a standby that could ever be promoted. */
	static boolean wanted(SamSettings settings) {
		return settings.standby() && settings.enabled() && settings.recoveryPolicy() == RecoveryPolicy.RESTART;
	}

	/** Its hello: what it will register with once promoted. */
	void hello(Map<String, String> helloSettings, long now) {
		this.settings = helloSettings;
		this.process.lastAliveNanos = now;
	}

	/** A sign of life. */
	void alive(long now) {
		if (this.process != null) {
			this.process.lastAliveNanos = now;
		}
	}

	/**
	 * It is parked.
	 * @return whether it is to be promoted now (the active instance is waiting for it)
	 */
	boolean parked(long now) {
		this.process.lastAliveNanos = now;
		boolean promoteNow = this.state == State.PROMOTING;
		this.log.info("the standby (pid " + this.process.pid + ") is ready, "
				+ Duration.ofNanos(now - this.process.launchedNanos).toMillis() + "ms after its launch");
		moveTo(State.READY);
		this.nextDelay = FIRST_DELAY;
		return promoteNow;
	}

	/** The active instance needs replacing and the standby is not parked yet. */
	void promoteWhenReady() {
		this.log.info("the standby (pid " + this.process.pid + ") is not ready yet: it is promoted as soon as it is");
		moveTo(State.PROMOTING);
	}

	/** Whether it was to be promoted (the active instance waits for it). */
	boolean isPromoting() {
		return this.state == State.PROMOTING;
	}

	/**
	 * Hands the parked standby over for promotion; from now on it is an instance.
	 * @return the instance it becomes
	 */
	SupervisedInstance promote() {
		SupervisedInstance promoted = this.process;
		this.process = null;
		this.state = null;
		return promoted;
	}

	/** The settings of its hello. */
	Map<String, String> settings() {
		return (this.settings != null) ? this.settings : Map.of();
	}

	/**
	 * It ended before it was promoted: noted, and the next one waits.
	 * @return whether the active instance was waiting for it
	 */
	boolean exited(int status, long now) {
		boolean wasPromoting = this.state == State.PROMOTING;
		if (this.process.ending != null && this.process.ending.cause() == EndCause.SHUTDOWN) {
			this.log.info("the standby (pid " + this.process.pid + ") ended with status " + status);
			this.process = null;
			this.state = null;
			return wasPromoting;
		}
		this.log.warn("the standby (pid " + this.process.pid + ") ended with status " + status + " before it was"
				+ " promoted" + ((this.process.ending != null) ? " (" + this.process.ending.detail() + ")" : ""));
		this.process = null;
		this.state = null;
		failed(now);
		return wasPromoting;
	}

	private void failed(long now) {
		this.failures++;
		this.notBeforeNanos = now + this.nextDelay.toNanos();
		if (this.notBeforeNanos == 0) {
			this.notBeforeNanos = 1;
		}
		this.log.info("the next standby is launched in " + DurationText.of(this.nextDelay) + " at the earliest");
		Duration doubled = this.nextDelay.multipliedBy(2);
		this.nextDelay = (doubled.compareTo(MAX_DELAY) > 0) ? MAX_DELAY : doubled;
	}

	/**
	 * When it has to have said it is alive by, or has to be ready by, or when the next
	 * one may be launched; {@link Deadlines#NONE} when nothing is due.
	 */
	long remaining(SamSettings settings, boolean launchWanted, long now) {
		if (this.process == null) {
			return (launchWanted && wanted(settings)) ? ((this.notBeforeNanos != 0) ? this.notBeforeNanos - now : 0)
					: Deadlines.NONE;
		}
		if (this.process.ending != null) {
			return (this.process.killAtNanos != 0) ? this.process.killAtNanos - now : Deadlines.NONE;
		}
		if (this.state == State.STARTING || this.state == State.PROMOTING) {
			return settings.startupTimeout().isZero() ? Deadlines.NONE
					: this.process.launchedNanos + settings.startupTimeout().toNanos() - now;
		}
		return this.process.lastAliveNanos + silenceLimit(settings).toNanos() - now;
	}

	private static Duration silenceLimit(SamSettings settings) {
		Duration interval = settings.timeInterval().isZero() ? MIN_SILENCE.multipliedBy(5) : settings.timeInterval();
		return (interval.compareTo(MIN_SILENCE) < 0) ? MIN_SILENCE : interval;
	}

	/**
	 * Acts on what {@link #remaining} said is due: launches the next standby, or kills
	 * one that is too slow or silent (its exit then counts as a failure).
	 */
	void onTime(SamSettings settings, boolean launchWanted, long activePid, long now) {
		if (this.process == null) {
			if (launchWanted) {
				launchIfWanted(settings, activePid, now);
			}
			return;
		}
		if (this.process.ending != null) {
			this.stopper.killOverdue(this.process, now);
			return;
		}
		String why = (this.state == State.READY)
				? "it said nothing for " + DurationText.of(silenceLimit(settings)) + " while parked"
				: "it was not ready within sam.startup-timeout (" + DurationText.of(settings.startupTimeout()) + ")";
		this.log.warn("the standby (pid " + this.process.pid + ") is replaced: " + why);
		this.stopper.kill(this.process, new Ending(EndCause.STARTUP_TIMEOUT, Next.QUIT, "standby: " + why));
	}

	/**
	 * Stops the standby for good (the supervisor is stopping, or standbys are no longer
	 * wanted): SIGTERM, and SIGKILL after the shutdown timeout.
	 */
	void stop(SamSettings settings, String why, long now) {
		if (this.process == null || this.process.ending != null) {
			return;
		}
		this.log.info("stopping the standby (pid " + this.process.pid + "): " + why);
		this.stopper.stop(this.process, new Ending(EndCause.SHUTDOWN, Next.QUIT, why), PosixSignal.TERM,
				settings.shutdownTimeout(), now);
	}

	/**
	 * What the status says of the standby: {@code null} when the settings want none;
	 * {@code none} while none runs (the active instance is not ready yet, or the next
	 * waits after a failure).
	 */
	StandbyView view(SamSettings settings) {
		if (this.process != null && this.state != null) {
			return new StandbyView(this.state.id(), this.process.pid, this.since, this.failures);
		}
		return wanted(settings) ? new StandbyView("none", -1, this.since, this.failures) : null;
	}

	private void moveTo(State next) {
		this.state = next;
		this.since = this.clock.instant();
	}

	/** The standby as the status reports it. */
	record StandbyView(String state, long pid, Instant since, int failures) {
	}

}
