package io.samboot.corosync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CmapLibrary} in memory: one map that survives connections (or not, to play a
 * restarted daemon), every call recorded, and failures to order.
 */
final class FakeCmap implements CmapLibrary {

	final Map<String, Object> map = new TreeMap<>();

	final List<String> calls = new ArrayList<>();

	/**
	 * The next connect() attempts fail with this {@code cs_error_t} (0: they succeed).
	 */
	volatile int refuseConnections;

	/**
	 * The next call on a connection fails with this {@code cs_error_t} (0: it succeeds);
	 * then resets.
	 */
	volatile int failNextCall;

	/** connect() throws this instead of answering (a broken library). */
	volatile RuntimeException brokenWith;

	/** connect() waits for this latch first (a daemon that does not answer). */
	volatile java.util.concurrent.CountDownLatch hang;

	int connections;

	int closed;

	@Override
	public CmapConnection connect() {
		java.util.concurrent.CountDownLatch latch = this.hang;
		if (latch != null) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return connectNow();
	}

	private synchronized CmapConnection connectNow() {
		if (this.brokenWith != null) {
			throw this.brokenWith;
		}
		this.calls.add("cmap_initialize");
		if (this.refuseConnections != 0) {
			throw new CorosyncException("cmap_initialize()", this.refuseConnections);
		}
		this.connections++;
		return new Connection();
	}

	@Override
	public String name() {
		return "fake libcmap";
	}

	/** A restarted daemon: an empty map, and every existing connection broken. */
	synchronized void restart() {
		this.map.clear();
		this.failNextCall = CsError.CS_ERR_LIBRARY.code();
	}

	synchronized List<String> calls() {
		return new ArrayList<>(this.calls);
	}

	synchronized Map<String, Object> entries() {
		return new LinkedHashMap<>(this.map);
	}

	private final class Connection implements CmapConnection {

		private void call(String call) {
			synchronized (FakeCmap.this) {
				FakeCmap.this.calls.add(call);
				int failure = FakeCmap.this.failNextCall;
				if (failure != 0) {
					FakeCmap.this.failNextCall = 0;
					throw new CorosyncException(call, failure);
				}
			}
		}

		@Override
		public void setString(String key, String value) {
			call("cmap_set_string " + key + "=" + value);
			synchronized (FakeCmap.this) {
				FakeCmap.this.map.put(key, value);
			}
		}

		@Override
		public void setUint64(String key, long value) {
			call("cmap_set_uint64 " + key + "=" + (key.endsWith("last_updated") ? "<ns>" : Long.toString(value)));
			synchronized (FakeCmap.this) {
				FakeCmap.this.map.put(key, value);
			}
		}

		@Override
		public void delete(String key) {
			call("cmap_delete " + key);
			synchronized (FakeCmap.this) {
				FakeCmap.this.map.remove(key);
			}
		}

		@Override
		public Map<String, Object> list(String prefix) {
			call("cmap_iter " + prefix);
			synchronized (FakeCmap.this) {
				Map<String, Object> found = new LinkedHashMap<>();
				FakeCmap.this.map.forEach((key, value) -> {
					if (key.startsWith(prefix)) {
						found.put(key, value);
					}
				});
				return found;
			}
		}

		@Override
		public void close() {
			synchronized (FakeCmap.this) {
				FakeCmap.this.calls.add("cmap_finalize");
				FakeCmap.this.closed++;
			}
		}

	}

}
