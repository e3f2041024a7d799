package io.samboot.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a soak's lanes side by side, one thread each, and waits for all of them: a lane
 * that throws fails the run, with the first such failure as its cause, once every other
 * lane has ended (so that none is left injecting faults).
 */
public final class SoakLanes {

	/** One lane's work. */
	@FunctionalInterface
	public interface Lane {

		void run() throws Exception;

	}

	private SoakLanes() {
	}

	/**
	 * Runs each lane on a thread named {@code soak-lane-<index>} and returns when all
	 * have ended.
	 * @throws AssertionError if a lane threw
	 */
	public static void runAll(List<? extends Lane> lanes) throws InterruptedException {
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		for (int index = 0; index < lanes.size(); index++) {
			Lane lane = lanes.get(index);
			int number = index;
			Thread thread = new Thread(() -> {
				try {
					lane.run();
				}
				catch (Throwable ex) {
					failures.add(ex);
					// At once, not only when the other lanes end, which can be an hour
					// later.
					System.err.println("soak-lane-" + number + " failed, the others go on: " + ex);
					ex.printStackTrace();
				}
			}, "soak-lane-" + number);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		if (!failures.isEmpty()) {
			throw new AssertionError("a soak lane failed", failures.get(0));
		}
	}

}
