package io.samboot.supervisor;

import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisionDecision.Role;

/**
 * SAM's entry from {@code io.samboot.launcher.SamJarLauncher}, the optional
 * {@code Main-Class} that runs before Spring Boot's launcher: the same decision the
 * Spring Boot listener makes at {@code ApplicationStartingEvent}, taken about 0.7 s
 * earlier.
 */
public final class EarlySupervision {

	private EarlySupervision() {
	}

	/**
	 * Becomes the supervisor, and never returns, when this is a real application start;
	 * returns otherwise (an instance, switched off, not the main thread), for the
	 * application to start.
	 */
	public static void superviseIfApplicationStart() {
		if (SupervisionDecision.forThisProcess().role() == Role.SUPERVISOR) {
			Supervisor.superviseThisProcess(SamSettings.defaults(), null);
		}
	}

}
