package io.samboot.supervisor;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.samboot.InstanceRecord;
import io.samboot.PosixSignal;
import io.samboot.SamStatus;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisedInstance.Ending;

/**
 * The record of every ended instance, the most recent {@value SamStatus#HISTORY_LIMIT},
 * oldest first; each end is told to the listeners and the log as it is recorded. Used on
 * the loop thread only.
 */
final class InstanceHistory {

	private final Deque<InstanceRecord> records = new ArrayDeque<>();

	private final SupervisorListener listeners;

	private final SamLog log;

	private final Clock clock;

	InstanceHistory(SupervisorListener listeners, SamLog log, Clock clock) {
		this.listeners = listeners;
		this.log = log;
		this.clock = clock;
	}

	/**
	 * Records an instance that ended now with this exit status, naming the signal the
	 * status stands for (128 + N for signal N, as a shell reports it).
	 */
	InstanceRecord ended(SupervisedInstance instance, Ending ending, int status) {
		String signal = (status > 128 && PosixSignal.ofNumber(status - 128).isPresent())
				? PosixSignal.ofNumber(status - 128).get().signalName() : null;
		String detail = (instance.replacedBy != null)
				? ((ending.detail() != null) ? ending.detail() + "; " : "") + instance.replacedBy : ending.detail();
		InstanceRecord record = new InstanceRecord(instance.id, instance.pid, instance.startedAt, this.clock.instant(),
				ending.cause(), status, signal, detail);
		if (this.records.size() == SamStatus.HISTORY_LIMIT) {
			this.records.removeFirst();
		}
		this.records.addLast(record);
		// The line first: it reports the decision, which is taken. The observers' work
		// (waking the orphan reaper, systemd's status) took 0.05-0.18 ms before it at a
		// crash; they still hear of the end before the next instance's launch.
		this.log.info(instance + " ended: " + ((signal != null) ? "killed by " + signal : "exit status " + status)
				+ ", cause " + ending.cause().id());
		this.listeners.instanceEnded(record);
		return record;
	}

	/**
	 * The exit status of the instance that ended last, 0 before any did: the supervisor's
	 * own when it exits.
	 */
	int lastExitStatus() {
		InstanceRecord last = this.records.peekLast();
		return (last != null) ? last.exitStatus() : 0;
	}

	/** The records, oldest first. */
	List<InstanceRecord> list() {
		return List.copyOf(this.records);
	}

}
