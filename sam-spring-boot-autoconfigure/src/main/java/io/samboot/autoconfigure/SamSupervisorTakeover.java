package io.samboot.autoconfigure;

import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisionDecision;
import io.samboot.supervisor.SupervisionDecision.Role;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Makes the process the user started the supervisor, as soon as Spring Boot has read its
 * config data (profile files, {@code application.yml}, arguments, the environment) and so
 * knows whether {@code sam.enabled} is false: right after the config data listener,
 * before logging is initialised, binding {@code sam.enabled} alone, because this JVM does
 * nothing more with Spring once it supervises and every step here delays the
 * application's own start. The instance binds and checks every {@code sam.*} property
 * when it registers ({@link SamApplicationListener}).
 *
 * <p>
 * Returns without acting in an instance, in a process that is not a real application
 * start, and when {@code sam.enabled} is false: {@link SamApplicationListener} then
 * registers (locally, for a process without a supervisor) once logging is ready.
 */
public final class SamSupervisorTakeover implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/**
	 * After the config data listener (+10), so profile files are read; before logging
	 * (+20), whose initialisation this JVM does not need.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 15;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!SamApplicationListener.isClaimed(event.getSpringApplication())
				|| SupervisionDecision.current().role() != Role.SUPERVISOR) {
			return;
		}
		boolean enabled = Binder.get(event.getEnvironment()).bind("sam.enabled", Boolean.class).orElse(true);
		if (!enabled) {
			return;
		}
		// The settings travel with the instance's hello; the supervisor needs none yet
		// but the logging configuration, so its first lines already follow it.
		Sam.initialize(
				SamSettings.defaults().toBuilder().logging(SupervisorLogging.from(event.getEnvironment())).build());
		Sam.register();
	}

}
