package io.samboot.supervisor;

import java.time.Duration;

import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Next;

/**
 * Whether another instance follows one that ended, and when. The ending says first: a
 * restart the user asked for always has one, a quit never, and a recovery follows
 * {@code sam.recovery-policy}. A restart after a failure then waits out the back-off
 * ({@link RestartBackoff}), held in {@link Deadlines} meanwhile, or does not happen at
 * all once {@code sam.restart.max-restarts} is reached: supervision gives up. A shutdown
 * is the loop's to decide, before asking. Used on the loop thread only.
 */
final class Restarts {

	/** What follows an instance's end. */
	enum Outcome {

		/** The next instance is launched now. */
		NOW,
		/**
		 * The next instance is launched once the back-off delay has passed
		 * ({@link Deadlines.Deadline#RESTART}).
		 */
		LATER,
		/** No instance follows: the ending or the recovery policy says quit. */
		NONE,
		/** Too many failures within {@code sam.restart.window}: supervision gives up. */
		GIVE_UP

	}

	private final RestartBackoff backoff = new RestartBackoff();

	private final Deadlines deadlines;

	private final SamLog log;

	Restarts(Deadlines deadlines, SamLog log) {
		this.deadlines = deadlines;
		this.log = log;
	}

	/**
	 * What follows this instance's end; a restart after a failure is counted, and one
	 * that waits is held in {@link Deadlines}.
	 */
	Outcome after(SupervisedInstance instance, Ending ending, SamSettings settings, long now) {
		boolean restart = switch (ending.next()) {
			case RESTART -> true;
			case QUIT -> false;
			case RECOVER -> settings.recoveryPolicy() == RecoveryPolicy.RESTART;
		};
		if (!restart) {
			return Outcome.NONE;
		}
		if (ending.next() != Next.RECOVER) {
			// Asked for (SIGHUP, the application, the endpoint): not a failure, no
			// back-off.
			return Outcome.NOW;
		}
		RestartBackoff.Decision decision = this.backoff.afterFailure(settings, now, now - instance.launchedNanos);
		if (decision.giveUp()) {
			this.log.error(instance + " failed (" + ending.cause().id() + ") after " + decision.restartsInWindow()
					+ " restarts within sam.restart.window (" + DurationText.of(settings.restartWindow())
					+ "), the most sam.restart.max-restarts allows: giving up, state failed");
			return Outcome.GIVE_UP;
		}
		if (!decision.delay().isZero()) {
			this.deadlines.restartAt(now + decision.delay().toNanos());
			this.log.info("restarting in " + DurationText.of(decision.delay()) + " (restart "
					+ decision.restartsInWindow() + " within " + DurationText.of(settings.restartWindow()) + ")");
			return Outcome.LATER;
		}
		return Outcome.NOW;
	}

	/** The delay a failure now would get, for the status. */
	Duration nextDelay(SamSettings settings) {
		return this.backoff.nextDelay(settings);
	}

	/** Restarts after a failure within the window that ends now, for the status. */
	int restartsInWindow(SamSettings settings, long now) {
		return this.backoff.restartsInWindow(settings, now);
	}

}
