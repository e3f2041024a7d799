package io.samboot.supervisor;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.samboot.log.SamLog;

/**
 * A {@link SupervisorInbox} with a thread that takes its events as the supervisor loop
 * does (reading the instances' sockets while it waits) and queues them for a test to look
 * at.
 */
final class InboxThread implements AutoCloseable {

	/** The thread's name, for tests that check which thread did something. */
	static final String NAME = "test-supervisor-loop";

	private final SupervisorInbox inbox;

	private final BlockingQueue<SupervisorEvent> events = new LinkedBlockingQueue<>();

	private final Thread thread;

	private volatile boolean closed;

	private InboxThread(SupervisorInbox inbox) {
		this.inbox = inbox;
		this.thread = new Thread(this::run, NAME);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	static InboxThread start(SamLog log) throws IOException {
		return new InboxThread(SupervisorInbox.open(log));
	}

	SupervisorInbox inbox() {
		return this.inbox;
	}

	/** The events taken so far, oldest first. */
	BlockingQueue<SupervisorEvent> events() {
		return this.events;
	}

	private void run() {
		while (!this.closed) {
			SupervisorEvent event = this.inbox.next(TimeUnit.MILLISECONDS.toNanos(100));
			if (event != null) {
				this.events.add(event);
			}
		}
		this.inbox.close();
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		this.inbox.wakeup();
		this.thread.join(TimeUnit.SECONDS.toMillis(10));
	}

}
