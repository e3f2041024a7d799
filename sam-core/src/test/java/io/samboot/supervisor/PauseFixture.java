package io.samboot.supervisor;

import java.io.IOException;

/**
 * A JVM for pause tests, ending when its standard input closes (so that it never outlives
 * the test).
 * <ul>
 * <li>{@code idle}: prints {@code ready} and waits.</li>
 * <li>{@code collect <live-set-MiB> <gap-ms>}: builds a live set of small linked objects
 * (24 bytes each), prints {@code built ...}, then forever prints {@code gc <n>}, runs
 * {@code System.gc()}, prints {@code gc-done <n> <ms>} with how long the call took and
 * waits the gap. Run with {@code -XX:+UseSerialGC -Xms3g -Xmx3g}: with 1024 MiB live a
 * full collection takes 2 to 3.5 s on a two-core test machine, with 2048 MiB 4 to 5.5
 * s.</li>
 * </ul>
 */
public final class PauseFixture {

	/** The head of the live set: reachable until the JVM ends. */
	private static volatile Node liveSet;

	private PauseFixture() {
	}

	public static void main(String[] args) throws Exception {
		Thread watcher = new Thread(PauseFixture::haltWhenStdinCloses, "stdin-watcher");
		watcher.setDaemon(true);
		watcher.start();
		if (args.length > 0 && args[0].equals("collect")) {
			collect(Long.parseLong(args[1]), Long.parseLong(args[2]));
		}
		else {
			System.out.println("ready");
			watcher.join();
		}
	}

	private static void collect(long liveSetMib, long gapMillis) throws InterruptedException {
		long nodes = liveSetMib * 1024 * 1024 / 24;
		long start = System.nanoTime();
		Node head = null;
		for (long i = 0; i < nodes; i++) {
			head = new Node(head, i);
		}
		liveSet = head;
		System.out.println("built " + nodes + " nodes in " + (System.nanoTime() - start) / 1_000_000 + " ms");
		for (int n = 1;; n++) {
			System.out.println("gc " + n);
			long before = System.nanoTime();
			System.gc();
			System.out.println("gc-done " + n + " " + (System.nanoTime() - before) / 1_000_000);
			Thread.sleep(gapMillis);
		}
	}

	private static void haltWhenStdinCloses() {
		try {
			while (System.in.read() != -1) {
				// keep reading
			}
		}
		catch (IOException ex) {
			// closed
		}
		Runtime.getRuntime().halt(0);
	}

	private static final class Node {

		final Node next;

		final long value;

		Node(Node next, long value) {
			this.next = next;
			this.value = value;
		}

	}

}
