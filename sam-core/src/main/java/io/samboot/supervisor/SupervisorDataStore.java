package io.samboot.supervisor;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.protocol.DirectDataBuffers;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;

/**
 * The data an instance stores for the next one (corosync's {@code sam_data_store}), as
 * the supervisor keeps it. The registered instance's stores are kept as their frames are
 * read (the {@link ControlChannel.DataSink}, on the loop's thread while it waits in the
 * {@link SupervisorInbox}), and answered at once, without an event for the loop; the loop
 * keeps those the channel left to it. Large stores arrive in direct memory the channel
 * borrowed from {@link #buffers()}: kept as they are, and given back when the next store
 * replaces them, so that a megabyte stored costs neither a new array nor a collection.
 * What is kept is replaced, never changed in place while kept; it is handed out as a copy
 * (an array of its own, or the array it came in), and replacing and handing out are
 * synchronized, so that a channel reading on a thread of its own (as an embedding may)
 * cannot reuse a buffer that is being copied.
 */
final class SupervisorDataStore implements ControlChannel.DataSink {

	private final LongSupplier nanoTime;

	private final DirectDataBuffers buffers = new DirectDataBuffers();

	/**
	 * The settings whose size limit applies; the channel checks every store against them.
	 */
	private volatile SamSettings settings;

	/**
	 * What is kept, between position 0 and its limit; {@code null} for nothing. Replaced
	 * under this object's lock, never changed while kept.
	 */
	private ByteBuffer data;

	private volatile int size;

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
		this.settings = settings;
		this.nanoTime = nanoTime;
		replace((data != null) ? ByteBuffer.wrap(data.clone()) : null);
	}

	/** Whether the message is a data store, as sent or as read into direct memory. */
	static boolean isStore(Message message) {
		return message instanceof Message.DataStore || message instanceof Message.DataStoreRead;
	}

	/**
	 * A data store's bytes: the array's wrapped, or the direct memory it was read into;
	 * {@code null} for a store that removes the data.
	 */
	static ByteBuffer bytesOf(Message store) {
		if (store instanceof Message.DataStoreRead read) {
			return read.data();
		}
		byte[] bytes = ((Message.DataStore) store).data();
		return (bytes != null) ? ByteBuffer.wrap(bytes) : null;
	}

	/** Where the channel reads large stores into. */
	@Override
	public DirectDataBuffers buffers() {
		return this.buffers;
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
	public Reply store(int instanceId, ByteBuffer bytes) {
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
	Reply storeReceived(ByteBuffer bytes) {
		Reply tooBig = tooBig(bytes);
		if (tooBig != null) {
			return tooBig;
		}
		replace(bytes);
		return Reply.ok();
	}

	/**
	 * The supervisor's refusal of data above {@code sam.data-store.max-size} (its memory
	 * given back), or {@code null} when it fits.
	 */
	private Reply tooBig(ByteBuffer bytes) {
		SamSettings limits = this.settings;
		if (bytes == null || limits.dataStoreFits(bytes.remaining())) {
			return null;
		}
		int length = bytes.remaining();
		this.buffers.giveBack(bytes);
		return new Reply(SamError.TOO_BIG.name(),
				length + " bytes exceed sam.data-store.max-size (" + limits.dataStoreMaxSize() + ")");
	}

	/**
	 * Gives back the direct memory of a store that is not kept (refused, or from an
	 * instance whose stores are not kept now), to lend it again.
	 */
	@Override
	public void discard(Message store) {
		if (store instanceof Message.DataStoreRead read) {
			this.buffers.giveBack(read.data());
		}
	}

	private void replace(ByteBuffer bytes) {
		ByteBuffer kept = (bytes == null || !bytes.hasRemaining()) ? null : bytes;
		ByteBuffer replaced;
		synchronized (this) {
			replaced = this.data;
			this.data = kept;
			this.size = (kept != null) ? kept.remaining() : 0;
		}
		// Lent again only for another large store of about its size: behind a small
		// store or none, memory the size of the last large one would be held for nothing.
		if (replaced != null && replaced != bytes && kept != null && kept.isDirect()
				&& DirectDataBuffers.fitsWithoutWaste(replaced, kept.remaining())) {
			this.buffers.giveBack(replaced);
		}
		if (kept == null) {
			this.buffers.giveBack(bytes);
		}
	}

	/**
	 * Drops what is stored when it exceeds the registered settings' size limit (lowered
	 * since it was stored), which a frame to the new instance could not carry.
	 * @return the size dropped, or 0 when it fits
	 */
	synchronized int dropIfTooBig() {
		int stored = this.size;
		if (this.settings.dataStoreFits(stored)) {
			return 0;
		}
		replace(null);
		return stored;
	}

	/**
	 * What is stored, for the next instance's welcome, as an array the caller may keep:
	 * the one it came in, or a copy out of direct memory; {@code null} for nothing.
	 */
	synchronized byte[] data() {
		ByteBuffer kept = this.data;
		if (kept == null) {
			return null;
		}
		if (kept.hasArray() && kept.arrayOffset() == 0 && kept.position() == 0 && kept.array().length == kept.limit()) {
			return kept.array();
		}
		byte[] copy = new byte[kept.remaining()];
		kept.get(kept.position(), copy);
		return copy;
	}

	/**
	 * What is stored as {@link #data()} hands it out, if it fits these settings' limit (a
	 * standby's, which reads no more in one frame); {@code null} for nothing or too much.
	 * Looked at and copied under one lock, so no store lands in between.
	 */
	synchronized byte[] dataIfFits(SamSettings limits) {
		return limits.dataStoreFits(this.size) ? data() : null;
	}

	int size() {
		return this.size;
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
