package io.samboot.supervisor;

import java.io.FileInputStream;
import java.time.Duration;

import io.samboot.RecoveryPolicy;
import io.samboot.Sam;

/**
 * A plain-Java SAM application for {@link SupervisorReexecProcessTests}: before it
 * registers (and becomes the supervisor) it opens a file without close-on-exec, as the
 * JDK opens files; the instance prints the marker system property it may have received
 * through {@code JAVA_TOOL_OPTIONS} and then idles until stopped.
 */
public final class ReexecFixture {

	private ReexecFixture() {
	}

	public static void main(String[] args) throws Exception {
		try (FileInputStream held = new FileInputStream(args[0])) {
			Sam.initialize(Duration.ZERO, RecoveryPolicy.QUIT);
			int iid = Sam.register();
			System.out.println("MARK iid=" + iid + " pid=" + ProcessHandle.current().pid() + " marker="
					+ System.getProperty("reexec.marker") + " held=" + held.getFD().valid());
			Thread.sleep(Long.MAX_VALUE);
		}
	}

}
