package io.samboot.autoconfigure.event;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the supervisor reports that the corosync cluster is quorate again
 * ({@code sam.quorum.enabled}); a {@code start()} waiting for quorum returns then.
 * Published on SAM's event thread.
 */
public class SamQuorumRegainedEvent extends ApplicationEvent {

	public SamQuorumRegainedEvent(Object source) {
		super(source);
	}

}
