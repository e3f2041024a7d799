package io.samboot.supervisor;

import java.util.function.LongSupplier;

import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.protocol.Message.Reply;

/**
 * The data an instance stores for the next one (corosync's {@code sam_data_store}), as
 * the supervisor keeps it. The registered instance's stores are kept as their frames are
 * read (the {@link ControlChannel.DataSink}, on the loop's thread while it waits in the
 * {@link SupervisorInbox}), and answered at once, without an event for the loop; the loop
 * keeps those the channel left to it. The stored array is replaced, never changed, and
 * the fields are volatile, so that a channel reading on a thread of its own (as an
 * embedding may) sees them too.
 */
final class SupervisorDataStore implements ControlChannel.DataSink {

	private final LongSupplier nanoTime;

	/**
	 * The settings whose size limit applies; the channel checks every store against them.
	 */
	private volatile SamSettings settings;

	/** Replaced, never changed in place, so a reader may hand out what it read. */
	private volatile byte[] data;

	/**
	 * The registered instance whose stores the channel may keep as it reads them; 0 for
	 * none.
	 */
	private volatile int keptFrom;

	/**
	 * The last store the channel kept, for liveness (see {@link #lastKeptNanos}).
	 */
	private volatile StoreSeen lastStore;

	/**
	 * @param data what was stored before the first instance registered (copied), or
	 * {@code null}
	 * @param nanoTime the loop's ticker, to say when a store was kept
	 */
	SupervisorDataStore(byte[] data, SamSettings settings, LongSupplier nanoTime) {
		this.data = (data != null) ? data.clone() : null;
		this.settings = settings;
		this.nanoTime = nanoTime;
	}

	/** The registered instance's settings, for the size limit from now on. */
	void settings(SamSettings settings) {
		this.settings = settings;
	}

	/**
	 * From now on the channel keeps this instance's stores as it reads them; 0 for none.
	 */
	void keepFrom(int instanceId) {
		this.keptFrom = instanceId;
	}

	/**
	 * A data store of the registered instance, kept as the channel reads it: the instance
	 * waits for the answer, and nothing else the loop does depends on the bytes until it
	 * next reads them (a welcome, a status). Anything else is left to the loop.
	 */
	@Override
	public Reply store(int instanceId, byte[] bytes) {
		if (instanceId != this.keptFrom) {
			return null;
		}
		Reply tooBig = tooBig(bytes);
		if (tooBig != null) {
			return tooBig;
		}
		replace(bytes);
		// Noted, not an event: the loop handles no event for a store, so the instance's
		// answer waits for nothing else the loop has to do.
		this.lastStore = new StoreSeen(instanceId, this.nanoTime.getAsLong());
		return Reply.ok();
	}

	/**
	 * A data store that reached the loop as a message (the channel left it to the loop).
	 */
	Reply storeReceived(byte[] bytes) {
		Reply tooBig = tooBig(bytes);
		if (tooBig != null) {
			return tooBig;
		}
		replace(bytes);
		return Reply.ok();
	}

	/**
	 * The supervisor's refusal of data above {@code sam.data-store.max-size}, or
	 * {@code null} when it fits.
	 */
	private Reply tooBig(byte[] bytes) {
		SamSettings limits = this.settings;
		if (limits.dataStoreFits(bytes)) {
			return null;
		}
		return new Reply(SamError.TOO_BIG.name(),
				bytes.length + " bytes exceed sam.data-store.max-size (" + limits.dataStoreMaxSize() + ")");
	}

	private void replace(byte[] bytes) {
		this.data = (bytes == null || bytes.length == 0) ? null : bytes;
	}

	/**
	 * Drops what is stored when it exceeds the registered settings' size limit (lowered
	 * since it was stored), which a frame to the new instance could not carry.
	 * @return the size dropped, or 0 when it fits
	 */
	int dropIfTooBig() {
		byte[] stored = this.data;
		if (stored == null || this.settings.dataStoreFits(stored)) {
			return 0;
		}
		this.data = null;
		return stored.length;
	}

	/** What is stored, for the next instance's welcome; {@code null} for nothing. */
	byte[] data() {
		return this.data;
	}

	int size() {
		byte[] stored = this.data;
		return (stored != null) ? stored.length : 0;
	}

	/**
	 * When the channel's thread last kept a store of this instance, or {@code otherwise}
	 * if it kept none: those stores reach the loop without an event, and it looks here
	 * for their sign of life.
	 */
	long lastKeptNanos(int instanceId, long otherwise) {
		StoreSeen store = this.lastStore;
		return (store != null && store.instanceId() == instanceId) ? store.nanos() : otherwise;
	}

	private record StoreSeen(int instanceId, long nanos) {
	}

}
