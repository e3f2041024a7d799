package io.samboot.session;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;

/**
 * The bytes the application stored ({@code sam_data_store}), as the handle keeps them:
 * copied in and out, so no caller's array is ever shared, and read without a lock. A
 * store replaces the array and never changes it in place, so a reader copies whole what
 * it got from one volatile read.
 */
final class StoredData {

	/** Never changed in place; {@code null} when nothing is stored. */
	private volatile byte[] bytes;

	/**
	 * The copy a store keeps: {@code null} for nothing (null or empty).
	 * @throws SamException TOO_BIG above {@code sam.data-store.max-size}
	 */
	static byte[] copyForStore(byte[] bytes, SamSettings settings) {
		if (!settings.dataStoreFits(bytes)) {
			throw new SamException(SamError.TOO_BIG,
					bytes.length + " bytes exceed sam.data-store.max-size (" + settings.dataStoreMaxSize() + " bytes)");
		}
		return (bytes == null || bytes.length == 0) ? null : bytes.clone();
	}

	/**
	 * Replaces the stored bytes by this array, kept without copying it: a copy made for
	 * the store, or the supervisor's data from its welcome; {@code null} for nothing.
	 */
	void replace(byte[] copy) {
		this.bytes = copy;
	}

	/**
	 * The stored array itself, {@code null} for nothing: for the supervisor this process
	 * becomes, which takes it over.
	 */
	byte[] stored() {
		return this.bytes;
	}

	/** A copy of the stored bytes; empty when nothing is stored. */
	byte[] restore() {
		byte[] stored = this.bytes;
		return (stored != null) ? stored.clone() : new byte[0];
	}

	/**
	 * Copies the stored bytes into the caller's buffer ({@code sam_data_restore}).
	 * @return the number of bytes copied
	 * @throws SamException INVALID_PARAM if the buffer is smaller than what is stored
	 */
	int restoreInto(byte[] buffer) {
		byte[] stored = this.bytes;
		if (stored == null) {
			return 0;
		}
		if (buffer.length < stored.length) {
			throw new SamException(SamError.INVALID_PARAM,
					"buffer of " + buffer.length + " bytes is smaller than the " + stored.length + " bytes stored");
		}
		System.arraycopy(stored, 0, buffer, 0, stored.length);
		return stored.length;
	}

	/** The number of bytes stored. */
	int size() {
		byte[] stored = this.bytes;
		return (stored != null) ? stored.length : 0;
	}

}
