package io.samboot.supervisor;

import java.net.URI;
import java.time.Instant;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.SamState;
import io.samboot.protocol.Message.HealthCheckResult;

/**
 * What the supervisor knows of one active instance, from launch to exit. Only the loop
 * thread touches it.
 */
final class SupervisedInstance {

	/**
	 * Where the instance stands in health checking, as the package documentation draws
	 * it. Whether it registered is apart ({@link #registered}), and so is whether it is
	 * going ({@link #ending}): an instance told to go may still stop and start its
	 * checks.
	 */
	enum Phase {

		/** Health checking has not started yet: the startup timeout, if any, applies. */
		NOT_STARTED,
		/** start() arrived; health checking begins once the cluster is quorate. */
		WAITING_FOR_QUORUM,
		/** Health checking is started: the time interval is enforced. */
		STARTED,
		/**
		 * Health checking was started and then stopped (stop() or close()): no time limit
		 * of any kind.
		 */
		STOPPED

	}

	/** What follows once an instance has been told to go. */
	enum Next {

		/** Apply the recovery policy: restart or quit. */
		RECOVER,
		/** Quit whatever the policy (shutdown, mark-failed). */
		QUIT,
		/** Start a new instance whatever the policy (a restart the user asked for). */
		RESTART

	}

	/**
	 * The decision taken about this instance's end; once taken, nothing the instance does
	 * changes it.
	 */
	record Ending(EndCause cause, Next next, String detail) {
	}

	final int id;

	final long pid;

	final Instant startedAt;

	final long launchedNanos;

	/**
	 * Its process as launched: the thread that waits for it, and the JDK's handle where
	 * the JDK reaps it; {@code null} where a test made the instance without one.
	 */
	InstanceLauncher.LaunchedInstance launched;

	/**
	 * It is the hot standby, not (yet) an instance: launched with the next id, promoted
	 * when needed ({@link Standby}).
	 */
	boolean standby;

	/**
	 * Its JVM runs a debugger's agent, so its time interval and startup timeout are not
	 * enforced ({@link InstanceDebugger}): a breakpoint holds every thread.
	 */
	boolean limitsWaived;

	/** Its hello was accepted: its settings are known. */
	boolean registered;

	Phase phase = Phase.NOT_STARTED;

	boolean eventDriven;

	/**
	 * Re-armed by every message but a failed health check: the time interval counts from
	 * here.
	 */
	long lastAliveNanos;

	/** The last failed health-check answer since the last good one, or {@code null}. */
	HealthCheckResult lastFailure;

	long nextRequestNanos;

	/**
	 * Where the HTTP liveness check goes ({@code sam.health-check.http}); {@code null}
	 * while none is known.
	 */
	URI httpCheckUrl;

	/**
	 * When the last passing HTTP check was sent: with the check on, the time interval
	 * counts from here too.
	 */
	long httpAliveNanos;

	/** When the next HTTP check is due, if none is on its way. */
	long nextHttpCheckNanos;

	/** A check was sent and has not come back. */
	boolean httpCheckInFlight;

	/**
	 * The last failed HTTP check since the last passing one, or {@code null}; with
	 * {@link #httpCheckTimedOut} when it had no answer.
	 */
	String httpFailure;

	boolean httpCheckTimedOut;

	/**
	 * While a stop-the-world pause holds the instance: when the extension began, 0 when
	 * none.
	 */
	long pauseGraceSinceNanos;

	/** The health-check deadline extended for a pause; 0 when not extended. */
	long pauseGraceUntilNanos;

	long requestSequence;

	Ending ending;

	/**
	 * When SIGKILL follows the warning or graceful-stop signal; 0 when none is due (or
	 * SIGKILL was sent).
	 */
	long killAtNanos;

	/**
	 * What follows it, when that was decided before its exit: the standby took its place
	 * when its end was decided ({@code null} while the exit decides).
	 */
	Restarts.Outcome successor;

	/**
	 * The standby's promotion that replaced it, as its history entry says it (e.g.
	 * {@code the standby (pid 4242) took over as instance 3 within 0ms}); {@code null}
	 * when none did.
	 */
	String replacedBy;

	/** When it was promoted from standby, until it serves; 0 otherwise. */
	long promotedNanos;

	/** The last signal the supervisor sent it, for the log. */
	PosixSignal lastSignal;

	long lastSignalNanos;

	SupervisedInstance(int id, long pid, Instant startedAt, long launchedNanos) {
		this.id = id;
		this.pid = pid;
		this.startedAt = startedAt;
		this.launchedNanos = launchedNanos;
		this.lastAliveNanos = launchedNanos;
	}

	/** Its hello was accepted: registered, and alive now. */
	void register(long now) {
		this.registered = true;
		this.lastAliveNanos = now;
	}

	/**
	 * stop() or close(): health checking stops if it was started (a start waiting for
	 * quorum goes on waiting).
	 * @return whether it was started
	 */
	boolean stopChecks() {
		if (this.phase != Phase.STARTED) {
			return false;
		}
		this.phase = Phase.STOPPED;
		return true;
	}

	/**
	 * The supervision state the instance is in, as the status reports it while
	 * supervision has not failed.
	 */
	SamState state() {
		if (this.ending == null && this.phase == Phase.WAITING_FOR_QUORUM) {
			return SamState.WAITING_FOR_QUORUM;
		}
		if (this.ending == null && this.phase == Phase.STARTED) {
			return SamState.STARTED;
		}
		return SamState.REGISTERED;
	}

	/** The exit status of a process SIGKILL ended. */
	static final int KILLED = 128 + 9;

	/**
	 * What the instance's exit means: the ending decided before, or, when none was, a
	 * recovery if it was checked (started, or waiting for quorum to start) or was killed
	 * by SIGKILL before it started, and the supervisor enforces checks; else a quit.
	 */
	Ending endingAtExit(boolean enforced, int status) {
		if (this.ending != null) {
			return this.ending;
		}
		if (this.phase == Phase.NOT_STARTED && enforced && status == KILLED) {
			// Not the application's doing (an application cannot send itself SIGKILL by
			// mistake): someone, or the kernel's OOM killer, killed it while it started.
			// That is a failure to recover from, not a configuration error to stop at.
			return new Ending(EndCause.EXITED, Next.RECOVER, "killed by SIGKILL during its start-up");
		}
		boolean recover = (this.phase == Phase.STARTED || this.phase == Phase.WAITING_FOR_QUORUM) && enforced;
		return new Ending(EndCause.EXITED, recover ? Next.RECOVER : Next.QUIT,
				recover ? "ended while health checking was started" : "ended while health checking was stopped");
	}

	@Override
	public String toString() {
		return "instance " + this.id + " (pid " + this.pid + ")";
	}

}
