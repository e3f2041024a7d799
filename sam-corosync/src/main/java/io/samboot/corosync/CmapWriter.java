package io.samboot.corosync;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.samboot.RecoveryPolicy;
import io.samboot.log.SamLog;

/**
 * Writes one process entry ({@code resources.process.<pid>.*}) into corosync's CMAP from
 * a thread of its own ({@code sam-corosync-cmap}, with a large stack), so that the
 * supervisor loop only records what it wants written and never waits on corosync: CMAP
 * calls block until the daemon answers.
 *
 * <p>
 * Values that change again before they are written are written once, with the latest
 * value; a value equal to the one already written is not written again. The entry is
 * written in {@link ProcessKey} order. When the daemon goes away the writer reconnects
 * (at once, then after 50 ms doubling up to 2 s) and writes the whole entry again, since
 * a restarted corosync has lost it.
 *
 * <p>
 * By construction the {@code recovery} key can only be {@code quit} or {@code restart}:
 * it is written from a {@link RecoveryPolicy}, and {@code reboot}, {@code shutdown} or
 * {@code watchdog} (which would make corosync's watchdog service reset or power off the
 * machine) cannot be expressed.
 */
final class CmapWriter {

	private final CmapLibrary library;

	private final String prefix;

	private final SamLog log;

	private final Backoff backoff;

	// Shared with the loop thread, guarded by this.
	private final Map<ProcessKey, Object> pending = new EnumMap<>(ProcessKey.class);

	private boolean deleteRequested;

	private boolean closeRequested;

	private long submitted;

	private long done;

	private Thread thread;

	// The writer thread's own.
	private final Map<ProcessKey, Object> written = new EnumMap<>(ProcessKey.class);

	private final Map<ProcessKey, Object> wanted = new EnumMap<>(ProcessKey.class);

	private boolean deletePending;

	private CmapConnection connection;

	private boolean retryPending;

	private long nextAttemptNanos;

	private String problem;

	CmapWriter(CmapLibrary library, String prefix, SamLog log, Backoff backoff) {
		this.library = library;
		this.prefix = prefix;
		this.log = log;
		this.backoff = backoff;
	}

	/**
	 * The {@code recovery} value for a policy: {@code quit} or {@code restart}, nothing
	 * else.
	 */
	static String recoveryValue(RecoveryPolicy policy) {
		return switch (policy) {
			case QUIT -> "quit";
			case RESTART -> "restart";
		};
	}

	String prefix() {
		return this.prefix;
	}

	void recovery(RecoveryPolicy policy) {
		submit(ProcessKey.RECOVERY, Objects.requireNonNull(policy, "policy"));
	}

	void pollPeriod(long millis) {
		submit(ProcessKey.POLL_PERIOD, millis);
	}

	void lastUpdated(long monotonicNanos) {
		submit(ProcessKey.LAST_UPDATED, monotonicNanos);
	}

	void state(ProcessState state) {
		submit(ProcessKey.STATE, Objects.requireNonNull(state, "state"));
	}

	/**
	 * Deletes every key under the prefix (also keys others added there), as libsam does
	 * on a clean exit.
	 */
	synchronized void deleteAll() {
		if (this.closeRequested) {
			return;
		}
		this.pending.clear();
		this.deleteRequested = true;
		this.submitted++;
		wake();
	}

	private synchronized void submit(ProcessKey key, Object value) {
		if (this.closeRequested) {
			return;
		}
		this.pending.put(key, value);
		this.submitted++;
		wake();
	}

	/** Waits until everything submitted so far has been tried. */
	synchronized boolean flush(Duration timeout) {
		long target = this.submitted;
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.done < target) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** Writes what is pending, then disconnects; waits at most {@code timeout}. */
	boolean close(Duration timeout) {
		synchronized (this) {
			if (this.thread == null) {
				this.closeRequested = true;
				return this.pending.isEmpty() && !this.deleteRequested;
			}
			this.closeRequested = true;
			this.submitted++;
			wake();
		}
		return flush(timeout);
	}

	private void wake() {
		if (this.thread == null) {
			this.thread = NativeThreads.create("sam-corosync-cmap", this::run);
			this.thread.start();
		}
		notifyAll();
	}

	private void run() {
		while (true) {
			Map<ProcessKey, Object> batch;
			boolean delete;
			boolean close;
			long target;
			synchronized (this) {
				while (this.pending.isEmpty() && !this.deleteRequested && !this.closeRequested && !retryDue()) {
					try {
						if (this.retryPending) {
							TimeUnit.NANOSECONDS.timedWait(this,
									Math.max(1, this.nextAttemptNanos - System.nanoTime()));
						}
						else {
							wait();
						}
					}
					catch (InterruptedException ex) {
						// Only close() ends this thread.
					}
				}
				batch = new EnumMap<>(this.pending);
				this.pending.clear();
				delete = this.deleteRequested;
				this.deleteRequested = false;
				close = this.closeRequested;
				target = this.submitted;
			}
			try {
				apply(batch, delete, close);
			}
			catch (RuntimeException | LinkageError ex) {
				logOnce("could not update corosync's CMAP (" + ex + ")");
			}
			if (close) {
				disconnect();
			}
			synchronized (this) {
				this.done = target;
				notifyAll();
			}
			if (close) {
				return;
			}
		}
	}

	private boolean retryDue() {
		return this.retryPending && System.nanoTime() - this.nextAttemptNanos >= 0;
	}

	private void apply(Map<ProcessKey, Object> batch, boolean delete, boolean closing) {
		if (delete) {
			// Everything in the batch was submitted after the deletion.
			this.wanted.clear();
			this.deletePending = true;
		}
		this.wanted.putAll(batch);
		boolean nothingToDo = this.wanted.equals(this.written) && !this.deletePending;
		if (nothingToDo) {
			this.retryPending = false;
			return;
		}
		for (int attempt = 0; attempt < 2; attempt++) {
			if (this.connection == null) {
				if (!closing && attempt == 0 && this.retryPending && !retryDue()) {
					return;
				}
				if (!connect()) {
					return;
				}
			}
			try {
				writeWanted();
				this.retryPending = false;
				if (this.problem != null) {
					this.log.info("corosync's CMAP is reachable again: " + this.prefix + "* written");
					this.problem = null;
				}
				return;
			}
			catch (CorosyncException ex) {
				if (!ex.disconnected()) {
					logOnce("could not update corosync's CMAP: " + ex.getMessage());
					return;
				}
				logOnce("lost the connection to corosync's CMAP (" + ex.getMessage() + "); reconnecting");
				disconnect();
				this.written.clear();
			}
		}
		scheduleRetry();
	}

	private boolean connect() {
		try {
			this.connection = this.library.connect();
			this.written.clear();
			this.backoff.reset();
			return true;
		}
		catch (RuntimeException | LinkageError ex) {
			logOnce("cannot connect to corosync's CMAP (" + ex.getMessage() + "); " + this.prefix
					+ "* will be written when it can");
			scheduleRetry();
			return false;
		}
	}

	private void scheduleRetry() {
		this.retryPending = true;
		this.nextAttemptNanos = System.nanoTime() + this.backoff.next().toNanos();
	}

	/** Writes what differs, in key order; then deletes the entry if asked. */
	private void writeWanted() {
		if (this.deletePending) {
			for (String key : this.connection.list(this.prefix).keySet()) {
				this.connection.delete(key);
			}
			this.written.clear();
			this.deletePending = false;
		}
		for (Map.Entry<ProcessKey, Object> entry : this.wanted.entrySet()) {
			ProcessKey key = entry.getKey();
			Object value = entry.getValue();
			if (value.equals(this.written.get(key))) {
				continue;
			}
			String name = this.prefix + key.suffix();
			switch (key) {
				case RECOVERY -> this.connection.setString(name, recoveryValue((RecoveryPolicy) value));
				case STATE -> this.connection.setString(name, ((ProcessState) value).value());
				case POLL_PERIOD, LAST_UPDATED -> this.connection.setUint64(name, (Long) value);
			}
			this.written.put(key, value);
		}
	}

	private void disconnect() {
		if (this.connection != null) {
			try {
				this.connection.close();
			}
			catch (RuntimeException | LinkageError ex) {
				// Finalizing a dead connection may fail; there is nothing left to do with
				// it.
			}
			this.connection = null;
		}
	}

	private void logOnce(String message) {
		if (!message.equals(this.problem)) {
			this.log.warn(message);
			this.problem = message;
		}
	}

}
