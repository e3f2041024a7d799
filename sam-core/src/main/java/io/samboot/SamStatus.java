package io.samboot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the supervisor knows, as seen from the active instance (the fields of
 * {@code GET /actuator/sam}).
 *
 * @param state the supervision state
 * @param instanceId the id of the active instance (1 for the first)
 * @param restartCount how many times the supervisor has started a new instance after the
 * first
 * @param recoveryPolicy what happens on failure
 * @param pollPeriod the health-check time interval ({@link Duration#ZERO} for none)
 * @param lastUpdated when the last health check passed or the last heartbeat arrived, or
 * {@code null}
 * @param warnSignal the warning signal, e.g. {@code SIGTERM}
 * @param pid the active instance's process id
 * @param supervisorPid the supervisor's process id
 * @param quorate whether corosync reports quorum, or {@code null} when quorum is not used
 * @param dataSize the size of the stored data in bytes
 * @param history the ended instances, oldest first (at most the most recent
 * {@value #HISTORY_LIMIT})
 * @param nextRestartDelay the delay a restart after a failure would wait now
 * ({@code sam.restart.*})
 * @param restartsInWindow restarts after failures within {@code sam.restart.window}
 */
public record SamStatus(SamState state, int instanceId, int restartCount, RecoveryPolicy recoveryPolicy,
		Duration pollPeriod, Instant lastUpdated, String warnSignal, long pid, long supervisorPid, Boolean quorate,
		int dataSize, List<InstanceRecord> history, Duration nextRestartDelay, int restartsInWindow,
		StandbyStatus standby, int promotions) {

	/**
	 * How many ended instances the supervisor remembers, so a crash loop cannot grow its
	 * memory.
	 */
	public static final int HISTORY_LIMIT = 64;

	public SamStatus {
		history = List.copyOf(history);
		nextRestartDelay = (nextRestartDelay != null) ? nextRestartDelay : Duration.ZERO;
	}

	/** A status without a hot standby. */
	public SamStatus(SamState state, int instanceId, int restartCount, RecoveryPolicy recoveryPolicy,
			Duration pollPeriod, Instant lastUpdated, String warnSignal, long pid, long supervisorPid, Boolean quorate,
			int dataSize, List<InstanceRecord> history, Duration nextRestartDelay, int restartsInWindow) {
		this(state, instanceId, restartCount, recoveryPolicy, pollPeriod, lastUpdated, warnSignal, pid, supervisorPid,
				quorate, dataSize, history, nextRestartDelay, restartsInWindow, null, 0);
	}

	/** A status without restart-policy figures (no delay, nothing counted). */
	public SamStatus(SamState state, int instanceId, int restartCount, RecoveryPolicy recoveryPolicy,
			Duration pollPeriod, Instant lastUpdated, String warnSignal, long pid, long supervisorPid, Boolean quorate,
			int dataSize, List<InstanceRecord> history) {
		this(state, instanceId, restartCount, recoveryPolicy, pollPeriod, lastUpdated, warnSignal, pid, supervisorPid,
				quorate, dataSize, history, Duration.ZERO, 0);
	}

	/**
	 * The hot standby ({@code sam.standby.enabled}), when one runs or the last one
	 * failed.
	 *
	 * @param state {@code starting}, {@code ready}, {@code promoting}, or {@code none}
	 * while the next waits after a failure
	 * @param pid its PID, -1 when none runs
	 * @param since when it entered that state
	 * @param failures standbys that ended or were replaced before they were promoted
	 */
	public record StandbyStatus(String state, long pid, Instant since, int failures) {
	}

}
