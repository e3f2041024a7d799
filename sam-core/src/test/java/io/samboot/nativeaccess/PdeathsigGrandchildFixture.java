package io.samboot.nativeaccess;

import io.samboot.PosixSignal;

/**
 * The grandchild JVM of the parent-death test: arms SIGKILL as its parent-death signal,
 * checks its parent is still the one it was started by (it may have died before the
 * call), prints {@code <pid> armed}, then waits to be killed (and gives up after a minute
 * so it never lingers).
 */
public final class PdeathsigGrandchildFixture {

	private PdeathsigGrandchildFixture() {
	}

	public static void main(String[] args) throws InterruptedException {
		long expectedParent = Long.parseLong(args[0]);
		NativeAccess access = NativeAccess.get();
		if (!access.setParentDeathSignal(PosixSignal.KILL)) {
			System.out.println("unsupported by " + access);
			System.exit(2);
		}
		if (access.getppid() != expectedParent) {
			System.out.println("orphaned before arming");
			System.exit(3);
		}
		System.out.println(access.getpid() + " armed");
		System.out.flush();
		Thread.sleep(60_000);
		System.exit(4);
	}

}
