package io.samboot.autoconfigure;

import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckMode;
import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.autoconfigure.event.SamEventPublisher;
import io.samboot.autoconfigure.standby.SamListeningSocket;
import io.samboot.instance.InheritedListeningSocket;
import io.samboot.instance.RegistrationWarmUp;
import io.samboot.log.SamLog;
import io.samboot.supervisor.SupervisionDecision;
import io.samboot.supervisor.SupervisionDecision.Role;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Drives SAM through the life of a Spring Boot application, from
 * {@code META-INF/spring.factories} (auto-configuration would come too late: the
 * supervisor must exist before the context does).
 *
 * <ul>
 * <li>{@link ApplicationStartingEvent}: claims the first {@link SpringApplication} of the
 * JVM.</li>
 * <li>{@link ApplicationEnvironmentPreparedEvent}: in the process the user started,
 * {@link SamSupervisorTakeover} has already made it the supervisor unless
 * {@code sam.enabled} is false or it is no real application start. Here, once logging is
 * ready, binds {@code sam.*} and registers: in the instance with the supervisor, handing
 * it the settings it cannot read itself; elsewhere locally ({@code sam.enabled=false} in
 * a profile file, {@code application.yml}, an argument: one JVM). A bad value fails
 * start-up here, with {@link SamConfigurationFailureAnalyzer}'s explanation.</li>
 * <li>{@link ApplicationStartedEvent} (the context refreshed), in a supervised instance:
 * publishes {@code SamInstanceRegisteredEvent} and from then on the supervisor's notices
 * as events ({@link SamEventPublisher}).</li>
 * <li>{@link ApplicationReadyEvent}: registers the event-driven health check (in
 * {@code event} mode), starts health checking and publishes
 * {@code SamHealthCheckingStartedEvent}.</li>
 * <li>{@link ContextClosedEvent} (a graceful shutdown): stops accepting on the socket
 * shared with a standby, if any, stops health checking and closes SAM, so the supervisor
 * quits with the instance's exit status instead of restarting it.</li>
 * </ul>
 *
 * Only the first {@link SpringApplication} of a JVM takes part; the events of any other
 * (a child context, a second application) are ignored.
 */
public final class SamApplicationListener implements SmartApplicationListener {

	/**
	 * After the config data (+10) and logging (+20) listeners, so {@code sam.*} and
	 * logging are ready.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

	private static final Log LOG = LogFactory.getLog(SamApplicationListener.class);

	private static final Object LOCK = new Object();

	private static SpringApplication claimed;

	private static ApplicationContext claimedContext;

	private static boolean registered;

	private static boolean started;

	private static SamEventPublisher publisher;

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationStartingEvent.class.isAssignableFrom(eventType)
				|| ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationStartedEvent.class.isAssignableFrom(eventType)
				|| ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationStartingEvent starting) {
			onStarting(starting);
		}
		else if (event instanceof ApplicationEnvironmentPreparedEvent prepared
				&& isClaimed(prepared.getSpringApplication())) {
			onEnvironmentPrepared(prepared);
		}
		else if (event instanceof ApplicationStartedEvent refreshed && isClaimed(refreshed.getSpringApplication())) {
			onStarted(refreshed);
		}
		else if (event instanceof ApplicationReadyEvent ready && isClaimed(ready.getSpringApplication())) {
			onReady(ready);
		}
		else if (event instanceof ContextClosedEvent closed) {
			onClosed(closed);
		}
	}

	static boolean isClaimed(SpringApplication application) {
		synchronized (LOCK) {
			return claimed == application;
		}
	}

	private void onStarting(ApplicationStartingEvent event) {
		synchronized (LOCK) {
			if (claimed != null) {
				return;
			}
			claimed = event.getSpringApplication();
		}
		// sam-core's lines follow Spring Boot's logging in this JVM (the supervisor, if
		// it becomes one, has its own). Who this process is waits for the Environment:
		// sam.enabled may be switched off in a file Spring has not read yet.
		SamLog.useSink(new CommonsLoggingSink());
		// An instance registers once the Environment is prepared; what its registration
		// uses first is prepared meanwhile.
		RegistrationWarmUp.startIfSupervised(System.getenv());
	}

	private void onEnvironmentPrepared(ApplicationEnvironmentPreparedEvent event) {
		synchronized (LOCK) {
			if (registered) {
				return;
			}
			registered = true;
		}
		SamSettings settings = bindSettings(event.getEnvironment());
		// With quorum or CMAP asked for, initialize checks corosync once and fails
		// start-up with what to install or start (ClusterUnavailableFailureAnalyzer
		// finds the cause).
		Sam.initialize(settings);
		// SamSupervisorTakeover has made a supervisor of the process the user started
		// unless sam.enabled=false (then this returns 0: one JVM, unsupervised); should
		// it not have run, this becomes the supervisor and does not return.
		int instanceId = Sam.register();
		MisplacedJvmSwitches.warnings(event.getEnvironment()).forEach(LOG::warn);
		ShortTimeIntervalWarning.message(settings, event.getEnvironment()).ifPresent(LOG::warn);
		if (SupervisionDecision.current().role() == Role.INSTANCE) {
			LOG.info(Sam.isStandby()
					? "SAM standby registered with supervisor " + Sam.client().status().supervisorPid()
							+ ": it starts, then waits to be promoted to instance " + instanceId
					: "SAM instance " + instanceId + " registered with supervisor "
							+ Sam.client().status().supervisorPid());
		}
		SamListeningSocket.adoptIfWanted(event.getSpringApplication().getWebApplicationType(), event.getEnvironment(),
				settings);
	}

	/**
	 * The context is refreshed: the application's listeners exist, so SAM's events can be
	 * heard from here on (a promoted standby has its new id by now).
	 */
	private void onStarted(ApplicationStartedEvent event) {
		SamEventPublisher events;
		synchronized (LOCK) {
			if (publisher != null || !registered || SupervisionDecision.current().role() != Role.INSTANCE) {
				return;
			}
			events = new SamEventPublisher(event.getApplicationContext());
			publisher = events;
		}
		Sam.supervisorNoticeListener(events);
		events.registered(Sam.client());
	}

	private void onReady(ApplicationReadyEvent event) {
		synchronized (LOCK) {
			if (started || !registered) {
				return;
			}
			started = true;
			claimedContext = event.getApplicationContext();
		}
		SamSettings settings = settings(event.getApplicationContext());
		if (!settings.enabled()) {
			if (SupervisionDecision.current().role() == Role.INSTANCE) {
				// The supervisor was started before this setting could be seen (the early
				// launcher saw no sign of it).
				LOG.info("sam.enabled=false: the supervisor only passes signals and the exit status through");
			}
			return;
		}
		if (settings.healthCheckMode() == HealthCheckMode.EVENT && !settings.timeInterval().isZero()) {
			HealthCheckCallback callback = event.getApplicationContext()
				.getBeanProvider(HealthCheckCallback.class)
				.getIfAvailable();
			if (callback != null) {
				Sam.hcCallbackRegister(callback);
			}
		}
		Sam.start();
		SamEventPublisher events;
		synchronized (LOCK) {
			events = publisher;
		}
		if (events != null) {
			events.healthCheckingStarted(Sam.client().instanceId());
		}
	}

	private void onClosed(ContextClosedEvent event) {
		synchronized (LOCK) {
			if (claimedContext == null || event.getApplicationContext() != claimedContext || !started) {
				return;
			}
			started = false;
			claimedContext = null;
			if (publisher != null) {
				publisher.close();
				publisher = null;
			}
		}
		if (SupervisionDecision.current().role() != Role.INSTANCE) {
			// Unsupervised (tests): keep the local handle usable by the next context in
			// this JVM.
			return;
		}
		// Before any web server stops (the context's lifecycle stops after this event):
		// an inherited socket closed by the server itself (Jetty) would take the console
		// with it.
		InheritedListeningSocket.stopAccepting();
		try {
			if (Sam.client().state() == io.samboot.SamState.STARTED) {
				Sam.stop();
			}
			Sam.close();
		}
		catch (RuntimeException ex) {
			LOG.warn("could not stop SAM health checking on shutdown: " + ex.getMessage());
		}
	}

	private static SamSettings settings(ApplicationContext context) {
		SamProperties properties = context.getBeanProvider(SamProperties.class).getIfAvailable();
		return (properties != null) ? properties.toSettings() : bindSettings(context.getEnvironment());
	}

	/**
	 * Binds and validates {@code sam.*} as the instance does before any context exists.
	 * @throws org.springframework.boot.context.properties.bind.BindException for a value
	 * that does not convert (Spring Boot's analyzer explains it)
	 * @throws InvalidSamPropertyException for a value SAM cannot use, with its origin
	 * ({@link SamConfigurationFailureAnalyzer} explains it)
	 */
	static SamSettings bindSettings(Environment environment) {
		return Binder.get(environment)
			.bind("sam", SamProperties.class)
			.orElseGet(SamProperties::new)
			.toSettings(environment);
	}

}
