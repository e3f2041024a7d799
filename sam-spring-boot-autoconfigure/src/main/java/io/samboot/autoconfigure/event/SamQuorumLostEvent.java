package io.samboot.autoconfigure.event;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the supervisor reports that the corosync cluster lost quorum
 * ({@code sam.quorum.enabled}). While health checking is started, a
 * {@link SamInstanceStoppingEvent} with cause {@code quorum-lost} follows: the instance
 * is recovered. Published on SAM's event thread.
 */
public class SamQuorumLostEvent extends ApplicationEvent {

	public SamQuorumLostEvent(Object source) {
		super(source);
	}

}
