package io.samboot.supervisor;

import java.util.Map;

/**
 * What becomes of the processes an instance started and left behind. The loop calls it on
 * its own thread, after an instance ended (the children of the ended instance have been
 * re-parented to the supervisor by then, since it is a child subreaper or PID 1) and
 * before the supervisor exits; {@link LeftoverKiller} kills them, {@link #NONE} (where
 * orphans do not come to the supervisor) leaves them.
 */
interface Leftovers {

	/** Leaves every process alone. */
	Leftovers NONE = new Leftovers() {
	};

	/**
	 * An instance ended: stop what it left, keeping the instances still running and what
	 * is theirs.
	 * @param instanceId the instance that ended
	 * @param running the instances still running, PID to instance id (a standby, an
	 * instance the standby replaced, the next instance if it was launched already)
	 */
	default void instanceEnded(int instanceId, Map<Long, Integer> running) {
	}

	/**
	 * The supervisor exits: stop every process below it but the running instances
	 * themselves (they end with the supervisor: their parent-death signal, or their
	 * channel closing), whose descendants would otherwise be re-parented to PID 1.
	 */
	default void supervisorExiting(Map<Long, Integer> running) {
	}

}
