package io.samboot.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;

/**
 * Carries out the end the loop decided for an instance: records the decision (the
 * listeners hear of it before any signal goes), sends the signals, and arms the SIGKILL
 * that follows a warning or a graceful stop ({@link Deadlines.Deadline#KILL}); the one
 * writer of {@link SupervisedInstance#ending}. A signal that cannot be sent is logged:
 * the process's exit, or the SIGKILL after it, still decides. Used on the loop thread
 * only.
 */
final class InstanceStopper {

	/** Where a dump goes to a file; {@code null}: always SIGQUIT. */
	private ThreadDumps threadDumps;

	private final NativeAccess os;

	private final SupervisorListener listeners;

	private final SamLog log;

	private final LongSupplier nanoTime;

	InstanceStopper(NativeAccess os, SupervisorListener listeners, SamLog log, LongSupplier nanoTime) {
		this.os = os;
		this.listeners = listeners;
		this.log = log;
		this.nanoTime = nanoTime;
	}

	/**
	 * Writes thread dumps to files instead of the application's output, where the
	 * settings say; call before the loop runs.
	 */
	void threadDumps(ThreadDumps threadDumps) {
		this.threadDumps = threadDumps;
	}

	/**
	 * Recovers the instance: from here on it is going, whatever it does while it goes. A
	 * missed check first asks for a thread dump if the settings say so; then the warning
	 * signal, and SIGKILL after {@code kill-delay}, or SIGKILL at once when the warning
	 * signal is SIGKILL.
	 */
	void recover(SupervisedInstance instance, EndCause cause, String why, SamSettings settings, long now) {
		String detail = why;
		boolean missedCheck = cause == EndCause.HEALTH_CHECK_TIMEOUT || cause == EndCause.HEALTH_CHECK_FAILED;
		if (missedCheck && settings.threadDump()) {
			Path file = (this.threadDumps != null) ? this.threadDumps.request(instance, settings) : null;
			if (file != null) {
				this.log.info(instance + ": thread dump requested; it is written to " + file);
				detail = why + "; thread dump in " + file;
			}
			else {
				// SIGQUIT makes HotSpot print every thread's stack into the instance's
				// own output, before it goes.
				send(instance, PosixSignal.QUIT, now);
				this.log.info(instance + ": thread dump requested (SIGQUIT); it is in the application's output");
				detail = why + "; thread dump taken";
			}
		}
		decide(instance, new Ending(cause, Next.RECOVER, detail));
		PosixSignal warning = settings.warnSignal();
		// Signal first, log after: the log line costs milliseconds the instance should
		// already have.
		if (warning == PosixSignal.KILL) {
			send(instance, PosixSignal.KILL, this.nanoTime.getAsLong());
			this.log.warn(instance + " " + cause.id() + ": " + detail + "; sent SIGKILL (no warning signal)");
			return;
		}
		Duration killDelay = settings.killDelay();
		send(instance, warning, now);
		instance.killAtNanos = now + killDelay.toNanos();
		this.log.warn(instance + " " + cause.id() + ": " + detail + "; sent " + warning.signalName()
				+ ", SIGKILL follows in " + DurationText.of(killDelay));
	}

	/**
	 * Stops the instance gracefully: this signal (SIGTERM, as a rule) now, SIGKILL after
	 * the timeout.
	 */
	void stop(SupervisedInstance instance, Ending ending, PosixSignal signal, Duration timeout, long now) {
		decide(instance, ending);
		send(instance, signal, this.nanoTime.getAsLong());
		instance.killAtNanos = now + timeout.toNanos();
	}

	/**
	 * Stops the instance for good, for the supervisor's own SIGTERM or SIGINT: SIGTERM
	 * now (with SAM disabled, the signal received, passed on), SIGKILL after
	 * {@code sam.shutdown-timeout}. An instance already going keeps its cause and timers;
	 * it only gets no successor.
	 */
	void shutDown(SupervisedInstance instance, PosixSignal received, SamSettings settings, long now) {
		if (instance.ending != null) {
			// Already going (a recovery, a restart): keep its cause and timers, but quit
			// afterwards.
			this.log.info("SIG" + received.name() + " received while " + instance + " is ending ("
					+ instance.ending.cause().id() + "): no restart will follow");
			instance.ending = new Ending(instance.ending.cause(), Next.QUIT, instance.ending.detail());
			return;
		}
		Duration timeout = settings.shutdownTimeout();
		this.log.info("SIG" + received.name() + " received: stopping " + instance + " (SIGTERM, then SIGKILL after "
				+ DurationText.of(timeout) + "); no restart");
		stop(instance, new Ending(EndCause.SHUTDOWN, Next.QUIT, "SIG" + received.name() + " to the supervisor"),
				settings.enabled() ? PosixSignal.TERM : received, timeout, now);
	}

	/**
	 * Restarts the instance gracefully, for this reason: SIGTERM now, SIGKILL after
	 * {@code sam.shutdown-timeout}, and another instance follows whatever the policy. An
	 * instance already going is left to the end decided for it.
	 */
	void restart(SupervisedInstance instance, String why, SamSettings settings, long now) {
		if (instance.ending != null) {
			this.log.info(why + ", but " + instance + " is already ending (" + instance.ending.cause().id() + ")");
			return;
		}
		Duration timeout = settings.shutdownTimeout();
		this.log.info(why + ": restarting " + instance + " gracefully (SIGTERM, then SIGKILL after "
				+ DurationText.of(timeout) + ")");
		stop(instance, new Ending(EndCause.RESTART_REQUESTED, Next.RESTART, why), PosixSignal.TERM, timeout, now);
	}

	/** Kills the instance at once, for this reason. */
	void kill(SupervisedInstance instance, Ending ending) {
		decide(instance, ending);
		send(instance, PosixSignal.KILL, this.nanoTime.getAsLong());
	}

	/** The SIGKILL that followed a warning or a graceful stop is due. */
	void killOverdue(SupervisedInstance instance, long now) {
		this.log.warn(instance + " is still running " + Duration.ofNanos(now - instance.lastSignalNanos).toMillis()
				+ "ms after " + instance.lastSignal.signalName() + ": sending SIGKILL");
		send(instance, PosixSignal.KILL, now);
	}

	/**
	 * Sends a signal and decides nothing: a signal passed through, or a second stop
	 * signal's SIGKILL.
	 */
	void send(SupervisedInstance instance, PosixSignal signal) {
		send(instance, signal, this.nanoTime.getAsLong());
	}

	private void decide(SupervisedInstance instance, Ending ending) {
		instance.ending = ending;
		if (!instance.standby) {
			// A standby is nobody's instance yet: its end is the loop's business alone.
			this.listeners.endingDecided(instance.id, ending.cause(), ending.detail());
		}
	}

	private void send(SupervisedInstance instance, PosixSignal signal, long now) {
		instance.lastSignal = signal;
		instance.lastSignalNanos = now;
		if (signal == PosixSignal.KILL) {
			// Nothing follows SIGKILL: no other is due.
			instance.killAtNanos = 0;
		}
		try {
			this.os.kill(instance.pid, signal);
		}
		catch (RuntimeException ex) {
			this.log.error("could not send " + signal.signalName() + " to " + instance + ": " + ex.getMessage());
		}
	}

}
