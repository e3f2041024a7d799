package io.samboot.supervisor;

import java.util.function.Consumer;

/**
 * The cluster's quorum as the supervisor loop needs it (corosync's quorum service in
 * practice). With {@code sam.quorum.enabled}, {@code start()} waits while the cluster is
 * inquorate and losing quorum while started triggers the recovery action.
 */
public interface QuorumSource extends AutoCloseable {

	/**
	 * Connects and starts tracking. Calls {@code changes} with the current state first
	 * and then with every change, from a thread of its own. A lost connection to the
	 * cluster is reported as not quorate, and the source keeps trying to reconnect.
	 */
	void start(Consumer<Boolean> changes);

	/** Stops tracking and disconnects. */
	@Override
	void close();

}
