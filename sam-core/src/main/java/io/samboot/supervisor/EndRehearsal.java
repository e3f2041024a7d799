package io.samboot.supervisor;

import java.time.Clock;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Phase;

/**
 * Runs the loop's decision about an instance's end once before the first real end, on
 * objects of its own, so that a supervisor's first crash finds that code resolved.
 *
 * <p>
 * The first time code runs in a JVM, the interpreter resolves each class, method and
 * field it names and initialises each class it meets: at a supervisor's first crash that
 * was 0.1-0.2 ms of the loop's time between the exit and the "ended" line (the ending,
 * the restart policy and back-off, the history's record and the line), on top of the
 * 0.2-0.4 ms the same code takes interpreted at every crash. What is resolved and
 * initialised stays so, whichever objects the code ran on. A scratch instance, a restart
 * policy and a history of their own, no listeners, and a log that makes the line in the
 * console's format but writes none leave the supervisor's state, its log and its
 * observers as they were. What cannot run without acting (closing the instance's
 * connection, the listeners' own work, the write, the launch) is left alone.
 *
 * <p>
 * Once, on the loop. Running it often enough for the JIT compiler to take it (hundreds of
 * times) would hold the loop 10-30 ms, about the absence it reports as not being
 * scheduled; run that often on a thread beside the loop, it compiled, but 6 of 64 crashes
 * of the sample app then took 5-7 ms, against none of 32 without it (side by side).
 */
final class EndRehearsal {

	private static final SamLog.Sink NOWHERE = (level, logger, message, error) -> {
	};

	private EndRehearsal() {
	}

	/**
	 * Rehearses, on the calling thread, the end of an instance like {@code live}, which
	 * goes on running untouched, under these settings.
	 */
	static void rehearse(SupervisedInstance live, SamSettings settings, Clock clock, long now) {
		SamLog.Sink sink = SamLog.sink();
		rehearse(live, settings, clock, now, (sink instanceof SupervisorConsole console) ? console.dryRun() : NOWHERE);
	}

	/**
	 * As {@link #rehearse(SupervisedInstance, SamSettings, Clock, long)}, its lines to
	 * {@code lines}.
	 */
	static void rehearse(SupervisedInstance live, SamSettings settings, Clock clock, long now, SamLog.Sink lines) {
		SamLog silent = SamLog.to(lines);
		// The question asked first at a closed connection; a live process answers that it
		// runs, and nothing is taken.
		ExitAtClose.knownAlready(live.launched);
		SupervisedInstance scratch = new SupervisedInstance(live.id, live.pid, live.startedAt, live.launchedNanos);
		scratch.phase = Phase.STARTED;
		Ending ending = scratch.endingAtExit(settings.enabled(), SupervisedInstance.KILLED);
		new Restarts(new Deadlines(() -> scratch, () -> settings), silent).after(scratch, ending, settings, now);
		new InstanceHistory(new SupervisorListeners(silent), silent, clock).ended(scratch, ending,
				SupervisedInstance.KILLED);
	}

}
