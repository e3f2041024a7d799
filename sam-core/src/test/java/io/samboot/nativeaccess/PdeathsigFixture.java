package io.samboot.nativeaccess;

import io.samboot.testsupport.ChildJvm;

/**
 * The middle JVM of the parent-death test: starts {@link PdeathsigGrandchildFixture} from
 * a dedicated thread (the kernel watches the thread, not the process) and keeps that
 * thread alive until the grandchild ends. The grandchild writes straight to this JVM's
 * stdout.
 */
public final class PdeathsigFixture {

	private PdeathsigFixture() {
	}

	public static void main(String[] args) throws Exception {
		long pid = ProcessHandle.current().pid();
		Thread spawner = new Thread(() -> spawnAndWait(pid), "sam-spawner");
		spawner.start();
		System.out.println("middle " + pid);
		spawner.join();
	}

	private static void spawnAndWait(long pid) {
		try {
			Process grandchild = new ProcessBuilder(
					ChildJvm.command(PdeathsigGrandchildFixture.class, Long.toString(pid)))
				.inheritIO()
				.start();
			grandchild.waitFor();
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

}
