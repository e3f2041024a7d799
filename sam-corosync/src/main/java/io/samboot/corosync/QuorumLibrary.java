package io.samboot.corosync;

import java.util.function.IntConsumer;

/** corosync's {@code libquorum}: connections to the daemon's quorum service. */
interface QuorumLibrary {

	/**
	 * {@code quorum_initialize}: connects to the daemon. Every connection's calls must be
	 * made on the same thread, one with a large stack (see {@link NativeThreads}).
	 * @param notifications hears {@code quorate} (0 or 1) from each notification, during
	 * {@link QuorumConnection#dispatchAll()}
	 * @throws CorosyncException with the {@code cs_error_t} (e.g. {@code CS_ERR_LIBRARY}
	 * when no daemon answers, {@code CS_ERR_TRY_AGAIN} while it starts)
	 */
	QuorumConnection connect(IntConsumer notifications);

	/** The library's name as loaded, e.g. {@code libquorum.so.5}. */
	String name();

}
