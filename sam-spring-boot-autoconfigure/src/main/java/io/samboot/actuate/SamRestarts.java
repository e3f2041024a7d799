package io.samboot.actuate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.SamClient;
import io.samboot.SamStatus;

/**
 * The restarts the supervisor made, counted by the cause that ended the instance before
 * each one: the monotonic source of the {@code sam.restarts} counter.
 *
 * <p>
 * The supervisor's history holds at most the last {@value SamStatus#HISTORY_LIMIT} ended
 * instances. Counts only grow: an ended instance is counted once, by its instance id, and
 * restarts that had already left the history when this instance first looked count as
 * {@link #UNKNOWN}, so the counts add up to {@link SamClient#restartCount()}.
 */
final class SamRestarts {

	/** The {@code cause} tag of restarts older than the history. */
	static final String UNKNOWN = "unknown";

	/**
	 * The causes that end an instance and lead to a new one; {@code shutdown} and
	 * {@code marked-failed} end supervision instead.
	 */
	static final List<EndCause> CAUSES = List.of(EndCause.EXITED, EndCause.HEALTH_CHECK_TIMEOUT,
			EndCause.HEALTH_CHECK_FAILED, EndCause.QUORUM_LOST, EndCause.STARTUP_TIMEOUT, EndCause.RESTART_REQUESTED);

	private final Supplier<SamStatus> status;

	private final Map<EndCause, Long> counts = new EnumMap<>(EndCause.class);

	private long unknown;

	private int lastCounted;

	private boolean looked;

	SamRestarts(Supplier<SamStatus> status) {
		this.status = status;
	}

	/** Restarts after an instance that ended with this cause. */
	synchronized double count(EndCause cause) {
		refresh();
		return this.counts.getOrDefault(cause, 0L);
	}

	/** Restarts the history no longer held when this instance first looked. */
	synchronized double unknown() {
		refresh();
		return this.unknown;
	}

	private void refresh() {
		SamStatus status;
		try {
			status = this.status.get();
		}
		catch (RuntimeException ex) {
			// Not initialized yet, or closed: the counts stay as they are.
			return;
		}
		List<InstanceRecord> history = status.history();
		if (!this.looked) {
			this.looked = true;
			this.unknown = Math.max(0, status.restartCount() - history.size());
		}
		for (InstanceRecord record : history) {
			if (record.instanceId() > this.lastCounted) {
				this.lastCounted = record.instanceId();
				if (record.cause() != null) {
					this.counts.merge(record.cause(), 1L, Long::sum);
				}
			}
		}
	}

}
