package io.samboot.autoconfigure.standby;

import java.lang.management.ManagementFactory;

import io.samboot.Sam;
import io.samboot.SamException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Where the hot standby waits: the first lifecycle to start ({@link Integer#MIN_VALUE}),
 * so every singleton exists and every {@code @PostConstruct} has run, while the web
 * server, schedulers, other lifecycles, {@code ContextRefreshedEvent}, runners and
 * {@code ApplicationReadyEvent} all wait behind it. In an active instance it lets
 * start-up through at once.
 *
 * <p>
 * It parks on the control channel's promotion, which an interrupt ends: Spring closes a
 * context whose start-up is waiting by interrupting it (a SIGTERM to the standby), and
 * the start-up then fails instead of serving.
 */
public class SamStandbyGate implements SmartLifecycle {

	private static final Log LOG = LogFactory.getLog(SamStandbyGate.class);

	private final ApplicationEventPublisher events;

	private final Runnable warmUp;

	private volatile boolean running;

	public SamStandbyGate(ApplicationEventPublisher events, Runnable warmUp) {
		this.events = events;
		this.warmUp = warmUp;
	}

	@Override
	public void start() {
		if (Sam.isStandby()) {
			// Micrometer's Tomcat metrics create the platform MBean server when the
			// application has started: 200 ms on the promoted JVM's way to ready, unless
			// it exists already.
			ManagementFactory.getPlatformMBeanServer();
			this.warmUp.run();
			long parked = System.nanoTime();
			try {
				Sam.awaitPromotion();
			}
			catch (SamException ex) {
				throw new IllegalStateException("the SAM standby stopped before it was promoted (" + ex.getMessage()
						+ "): the supervisor stops its standby when it stops, or replaces one that fails", ex);
			}
			long parkedMillis = (System.nanoTime() - parked) / 1_000_000;
			LOG.info("promoted after " + parkedMillis + "ms parked: starting to serve as SAM instance "
					+ Sam.client().instanceId());
			this.events.publishEvent(new SamPromotedEvent(this, Sam.client().instanceId(), parkedMillis));
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

}
