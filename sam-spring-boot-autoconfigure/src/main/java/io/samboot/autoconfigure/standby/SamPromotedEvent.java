package io.samboot.autoconfigure.standby;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this JVM, the hot standby, has been promoted: it is the active instance
 * now, and about to start its web server, schedulers and runners. Work that only the
 * active instance may do and that cannot wait for {@code ApplicationReadyEvent} (which
 * follows) belongs in a listener of this event, or behind {@code Sam.isStandby()}.
 */
public class SamPromotedEvent extends ApplicationEvent {

	private final int instanceId;

	private final long parkedMillis;

	public SamPromotedEvent(Object source, int instanceId, long parkedMillis) {
		super(source);
		this.instanceId = instanceId;
		this.parkedMillis = parkedMillis;
	}

	/** The instance id this JVM has now. */
	public int getInstanceId() {
		return this.instanceId;
	}

	/** How long it waited, parked, before its promotion. */
	public long getParkedMillis() {
		return this.parkedMillis;
	}

}
