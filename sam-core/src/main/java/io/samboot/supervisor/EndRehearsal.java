package io.samboot.supervisor;

import java.time.Clock;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.supervisor.SupervisedInstance.Ending;
import io.samboot.supervisor.SupervisedInstance.Phase;

/**
 * Runs the loop's decision about an instance's end before the first real end, on objects
 * of its own, so that a supervisor's crashes, the first among them, are decided by
 * resolved and compiled code.
 *
 * <p>
 * A supervisor sees few ends, so the code that decides one (the ending, the restart
 * policy and back-off, the history's record, the "ended" line) never ran often enough for
 * the JIT compiler: at every crash it ran interpreted, 0.2-0.4 ms of the loop's time
 * between the exit and the line, and at the first one the interpreter also resolved each
 * class, method and field it named and initialised each class it met, 0.1-0.3 ms more.
 * What is resolved, initialised and compiled stays so, whichever objects the code ran on.
 * A scratch instance, a restart policy and a history of their own, no listeners, and a
 * log that makes each line in the console's format but writes none leave the supervisor's
 * state, its log and its observers as they were. What cannot run without acting (closing
 * the instance's connection, the listeners' own work, the write, the launch) is left
 * alone.
 *
 * <p>
 * The first run is the loop's own ({@link #rehearse}): it initialises the classes, so
 * that no class initialisation is left to a thread the loop might then wait for. The runs
 * that earn the compiler's attention follow on a short-lived thread at the lowest
 * priority ({@link #repeatBeside}), off the loop and out of the instance's way.
 */
final class EndRehearsal {

	/**
	 * Runs of the decision beside the loop: several times the calls after which the lean
	 * JVM's compiler takes a method (20, counted every 8th call;
	 * {@link SupervisorReexec#LEAN_OPTIONS}), since HotSpot raises its thresholds while
	 * its queue is long, as it still is when the first instance has just started. A JVM
	 * with the default thresholds (a supervisor that did not re-execute itself) gets the
	 * code resolved, not compiled.
	 */
	static final int RUNS = 400;

	private static final SamLog.Sink NOWHERE = (level, logger, message, error) -> {
	};

	private static final SamLog log = SamLog.get(EndRehearsal.class);

	private EndRehearsal() {
	}

	/**
	 * Rehearses, once and on the calling thread, the end of an instance like
	 * {@code live}, which goes on running untouched, under these settings.
	 */
	static void rehearse(SupervisedInstance live, SamSettings settings, Clock clock, long now) {
		run(live, settings, clock, now, silentLog());
	}

	/**
	 * Rehearses it {@link #RUNS} times on a thread of its own at the lowest priority;
	 * after {@link #rehearse}, so that the classes are initialised already.
	 */
	static void repeatBeside(SupervisedInstance live, SamSettings settings, Clock clock, long now, NativeAccess os) {
		SupervisedInstance model = new SupervisedInstance(live.id, live.pid, live.startedAt, live.launchedNanos);
		model.launched = live.launched;
		Thread thread = new Thread(() -> {
			BackgroundThreads.lowerCallingThread(os);
			SamLog silent = silentLog();
			for (int run = 0; run < RUNS; run++) {
				run(model, settings, clock, now, silent);
			}
			log.debug("rehearsed an instance's end " + RUNS + " times");
		}, "sam-rehearsal");
		thread.setDaemon(true);
		thread.start();
	}

	private static SamLog silentLog() {
		SamLog.Sink sink = SamLog.sink();
		return SamLog.to((sink instanceof SupervisorConsole console) ? console.dryRun() : NOWHERE);
	}

	private static void run(SupervisedInstance live, SamSettings settings, Clock clock, long now, SamLog silent) {
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
