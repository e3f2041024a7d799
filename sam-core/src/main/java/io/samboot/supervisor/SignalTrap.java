package io.samboot.supervisor;

import java.util.function.Consumer;

import io.samboot.PosixSignal;
import io.samboot.log.SamLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes SIGTERM, SIGINT and SIGHUP away from the JVM's default handling (run the shutdown
 * hooks and exit) and turns them into events for the supervisor loop, which stops or
 * restarts the instance first and exits only after it.
 */
final class SignalTrap {

	private SignalTrap() {
	}

	static void install(Consumer<PosixSignal> sink) {
		for (PosixSignal signal : new PosixSignal[] { PosixSignal.TERM, PosixSignal.INT, PosixSignal.HUP }) {
			try {
				SignalHandler previous = Signal.handle(new Signal(signal.name()), received -> sink.accept(signal));
				if (previous == SignalHandler.SIG_IGN) {
					// Inherited as ignored (nohup ignores SIGHUP, a background shell job
					// SIGINT): the JVM keeps it so.
					SamLog.get(SignalTrap.class)
						.warn("SIG" + signal.name() + " was ignored when this process started (nohup ignores"
								+ " SIGHUP, a shell's background job SIGINT) and stays ignored: "
								+ ((signal == PosixSignal.HUP)
										? "use the endpoint's restart action for a graceful restart"
										: "stop the supervisor with SIGTERM"));
				}
			}
			catch (IllegalArgumentException ex) {
				// The JVM reserves the signal (e.g. -Xrs): it keeps its default meaning.
				SamLog.get(SignalTrap.class)
					.warn("cannot handle SIG" + signal.name() + " (" + ex.getMessage()
							+ "); it keeps the JVM's default behaviour");
			}
		}
	}

}
