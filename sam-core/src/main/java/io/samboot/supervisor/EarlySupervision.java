package io.samboot.supervisor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisionDecision.Role;

/**
 * SAM's entry from {@code io.samboot.launcher.SamJarLauncher}, the optional
 * {@code Main-Class} that runs before Spring Boot's launcher: the same decision the
 * Spring Boot listener makes at {@code ApplicationEnvironmentPreparedEvent}, taken about
 * a second earlier, when nothing the early launcher can see may switch SAM off.
 */
public final class EarlySupervision {

	private static final SamLog LOG = SamLog.get(EarlySupervision.class);

	private EarlySupervision() {
	}

	/**
	 * Becomes the supervisor, and never returns, when this is a real application start;
	 * returns otherwise (an instance, switched off, not the main thread), for the
	 * application to start. Decides without looking at config files: for a launcher built
	 * before {@link #superviseIfApplicationStart(String[], String)} existed.
	 */
	public static void superviseIfApplicationStart() {
		if (SupervisionDecision.forThisProcess().role() == Role.SUPERVISOR) {
			Supervisor.superviseThisProcess(SamSettings.defaults(), null, true);
		}
	}

	/**
	 * As {@link #superviseIfApplicationStart()}, but returns without deciding when
	 * {@code sam.enabled} may be set in an argument or a config file Spring Boot will
	 * read ({@link EarlyConfigScan}): Spring Boot's listener then decides from the
	 * Environment, with profiles resolved.
	 * @param args the application's arguments
	 * @param jar the executable jar's path, or {@code null}
	 */
	public static void superviseIfApplicationStart(String[] args, String jar) {
		SupervisionDecision decision = SupervisionDecision.forThisProcess();
		if (decision.role() != Role.SUPERVISOR) {
			return;
		}
		Optional<String> mention = EarlyConfigScan.samEnabledMayBeSet(Arrays.asList(args),
				(jar != null) ? Path.of(jar) : null, Path.of(System.getProperty("user.dir")), System.getenv(),
				System.getProperties());
		if (mention.isPresent()) {
			// Once, as for any feature that steps aside: why, and what it costs.
			LOG.info("the early launcher leaves the decision to supervise to Spring Boot, which decides once it has"
					+ " read its config data (later by the time that takes): sam.enabled may be set in "
					+ mention.get());
			return;
		}
		Supervisor.superviseThisProcess(SamSettings.defaults(), null, true);
	}

}
