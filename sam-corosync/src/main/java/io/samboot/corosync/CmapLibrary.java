package io.samboot.corosync;

/** corosync's {@code libcmap}: connections to the daemon's configuration map. */
interface CmapLibrary {

	/**
	 * {@code cmap_initialize}: connects to the daemon. Calls on a connection must come
	 * from one large-stack thread at a time (see {@link NativeThreads}).
	 * @throws CorosyncException with the {@code cs_error_t}
	 */
	CmapConnection connect();

	/** The library's name as loaded, e.g. {@code libcmap.so.4}. */
	String name();

}
