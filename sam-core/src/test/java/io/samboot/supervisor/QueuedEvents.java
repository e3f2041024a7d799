package io.samboot.supervisor;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The loop's events as a plain queue, for tests that drive the loop without sockets: they
 * look into it and take from it as a queue.
 */
@SuppressWarnings("serial")
final class QueuedEvents extends LinkedBlockingQueue<SupervisorEvent> implements SupervisorEvents {

	@Override
	public void post(SupervisorEvent event) {
		add(event);
	}

	@Override
	public SupervisorEvent next(long nanos) {
		try {
			return (nanos > 0) ? poll(nanos, TimeUnit.NANOSECONDS) : poll();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
