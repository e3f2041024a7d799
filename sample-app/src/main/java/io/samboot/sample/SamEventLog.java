package io.samboot.sample;

import io.samboot.autoconfigure.event.SamHealthCheckingStartedEvent;
import io.samboot.autoconfigure.event.SamInstanceRegisteredEvent;
import io.samboot.autoconfigure.event.SamInstanceStoppingEvent;
import io.samboot.autoconfigure.event.SamQuorumLostEvent;
import io.samboot.autoconfigure.event.SamQuorumRegainedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs what SAM tells the application about itself: the README's example of listening to
 * SAM's application events.
 */
@Component
public class SamEventLog {

	private static final Log LOG = LogFactory.getLog(SamEventLog.class);

	@EventListener
	public void registered(SamInstanceRegisteredEvent event) {
		LOG.info("SAM event: I am instance " + event.getInstanceId()
				+ event.getPrevious()
					.map(previous -> "; instance " + previous.instanceId() + " ended with " + previous.cause().id()
							+ " (exit status " + previous.exitStatus() + ")")
					.orElse(""));
	}

	@EventListener
	public void healthCheckingStarted(SamHealthCheckingStartedEvent event) {
		LOG.info("SAM event: health checking started for instance " + event.getInstanceId());
	}

	@EventListener
	public void quorumLost(SamQuorumLostEvent event) {
		LOG.warn("SAM event: the cluster lost quorum");
	}

	@EventListener
	public void quorumRegained(SamQuorumRegainedEvent event) {
		LOG.info("SAM event: the cluster is quorate again");
	}

	@EventListener
	public void stopping(SamInstanceStoppingEvent event) {
		LOG.warn("SAM event: the supervisor is about to stop this instance: " + event.getCause().id()
				+ ((event.getDetail() != null) ? " (" + event.getDetail() + ")" : ""));
	}

}
