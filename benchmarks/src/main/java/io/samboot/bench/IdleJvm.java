package io.samboot.bench;

/** A bare JVM that does nothing: the baseline for the supervisor's idle footprint. */
public final class IdleJvm {

	private IdleJvm() {
	}

	public static void main(String[] args) throws InterruptedException {
		System.out.println("idle");
		Thread.sleep(Long.MAX_VALUE);
	}

}
