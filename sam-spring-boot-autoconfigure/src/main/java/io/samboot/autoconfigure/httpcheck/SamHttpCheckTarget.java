package io.samboot.autoconfigure.httpcheck;

import io.samboot.Sam;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Tells the supervisor where the liveness endpoint answers once the web server that
 * serves Actuator listens: the main server, or Actuator's own when
 * {@code management.server.port} gives it one (its event reaches this listener from the
 * child context). A promoted standby's server starts only after its promotion, so the
 * supervisor always hears the serving instance's URL.
 */
class SamHttpCheckTarget implements ApplicationListener<WebServerInitializedEvent> {

	private static final Log LOG = LogFactory.getLog(SamHttpCheckTarget.class);

	private final Environment environment;

	SamHttpCheckTarget(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		String configured = this.environment.getProperty("sam.health-check.http.url");
		if (configured != null && !configured.isBlank()) {
			// The user's URL travels with the settings.
			return;
		}
		String namespace = event.getApplicationContext().getServerNamespace();
		boolean managementServer = LivenessUrl.hasManagementServer(this.environment);
		if (managementServer != LivenessUrl.MANAGEMENT.equals(namespace)) {
			return;
		}
		int port = event.getWebServer().getPort();
		if (port <= 0) {
			LOG.warn("sam.health-check.http: the web server reports no port, so the supervisor cannot check it;"
					+ " set sam.health-check.http.url");
			return;
		}
		String url = LivenessUrl.of(this.environment, namespace, port);
		Sam.httpCheckUrl(url);
	}

}
