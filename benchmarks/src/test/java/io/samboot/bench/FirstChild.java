package io.samboot.bench;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Waits, with a deadline, for the first process that a process under test starts. */
final class FirstChild {

	private FirstChild() {
	}

	/**
	 * @param parent the process under test
	 * @param name what the parent is, for the failure's message
	 */
	static ProcessHandle of(Process parent, String name) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() - deadline < 0) {
			Optional<ProcessHandle> child = parent.children().findFirst();
			if (child.isPresent()) {
				return child.get();
			}
			Thread.sleep(10);
		}
		throw new AssertionError(name + " started no child within 30 s");
	}

}
