package io.samboot.actuate;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.samboot.SamClient;
import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamStatus;

/**
 * The supervisor's status as the meters read it: one request serves every meter of a
 * scrape, and a supervisor that does not answer (stopped, frozen, starved) costs one
 * status timeout, not one per meter per scrape. Until it answers again, the meters show
 * the last status it gave, and it is asked again only after {@link #RETRY}.
 */
final class RecentStatus {

	/** How long one status serves every meter that asks. */
	static final Duration FRESH = Duration.ofSeconds(1);

	/** How long after a status request timed out the next one is sent. */
	static final Duration RETRY = Duration.ofSeconds(10);

	private final SamClient client;

	private final LongSupplier nanoTime;

	private SamStatus last;

	private long lastNanos;

	private SamException timedOut;

	private long timedOutNanos;

	RecentStatus(SamClient client) {
		this(client, System::nanoTime);
	}

	RecentStatus(SamClient client, LongSupplier nanoTime) {
		this.client = client;
		this.nanoTime = nanoTime;
	}

	/**
	 * The status: asked now, or the one asked within {@link #FRESH}, or the last one
	 * while the supervisor does not answer.
	 * @throws SamException when there is none to give
	 */
	synchronized SamStatus get() {
		long now = this.nanoTime.getAsLong();
		if (this.last != null && now - this.lastNanos < FRESH.toNanos()) {
			return this.last;
		}
		if (this.timedOut != null && now - this.timedOutNanos < RETRY.toNanos()) {
			return lastOr(this.timedOut);
		}
		try {
			this.last = this.client.status();
			this.lastNanos = now;
			this.timedOut = null;
			return this.last;
		}
		catch (SamException ex) {
			if (ex.error() != SamError.TIMEOUT) {
				throw ex;
			}
			this.timedOut = ex;
			this.timedOutNanos = now;
			return lastOr(ex);
		}
	}

	private SamStatus lastOr(SamException failure) {
		if (this.last == null) {
			throw failure;
		}
		return this.last;
	}

}
