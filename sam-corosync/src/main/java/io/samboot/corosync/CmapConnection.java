package io.samboot.corosync;

import java.util.Map;

/**
 * One connection to corosync's CMAP; every failing call throws {@link CorosyncException}.
 */
interface CmapConnection extends AutoCloseable {

	/** {@code cmap_set_string}. */
	void setString(String key, String value);

	/** {@code cmap_set_uint64}; {@code value} is read as unsigned. */
	void setUint64(String key, long value);

	/** {@code cmap_delete}; a key that does not exist is not an error. */
	void delete(String key);

	/**
	 * Every key under {@code prefix} with its value ({@code cmap_iter_*} and
	 * {@code cmap_get}): strings as {@link String}, unsigned 64-bit numbers as
	 * {@link Long} (read as unsigned), other types as a description such as
	 * {@code (i32) 5}.
	 */
	Map<String, Object> list(String prefix);

	/** {@code cmap_finalize}; never throws, may be called more than once. */
	@Override
	void close();

}
