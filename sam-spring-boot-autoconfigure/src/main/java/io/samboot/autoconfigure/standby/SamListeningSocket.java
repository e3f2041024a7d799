package io.samboot.autoconfigure.standby;

import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisionDecision;
import io.samboot.supervisor.SupervisionDecision.Role;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Takes the web server's listening socket from the supervisor when the hot standby is on,
 * before any bean exists: the web server then accepts on a socket that outlives every
 * instance ({@link SamStandbyAutoConfiguration} tells Tomcat or Jetty to use it), and
 * connections that arrive while one instance replaces another wait in the kernel's queue
 * instead of being refused. Where that cannot work, one log line says what it costs.
 */
public final class SamListeningSocket {

	private static final Log LOG = LogFactory.getLog(SamListeningSocket.class);

	static final String TOMCAT = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory";

	static final String JETTY = "org.springframework.boot.jetty.servlet.JettyServletWebServerFactory";

	private static volatile boolean inherited;

	private SamListeningSocket() {
	}

	/** Whether this JVM took the supervisor's socket: the web server must use it. */
	public static boolean inherited() {
		return inherited;
	}

	/**
	 * Takes the socket for {@code server.address} and {@code server.port} if the hot
	 * standby is on and the web server can use an inherited channel.
	 */
	public static void adoptIfWanted(WebApplicationType type, Environment environment, SamSettings settings) {
		if (!settings.standby() || !settings.enabled() || SupervisionDecision.current().role() != Role.INSTANCE) {
			return;
		}
		int port = environment.getProperty("server.port", Integer.class, 8080);
		if (type == WebApplicationType.NONE || port < 0) {
			return;
		}
		ClassLoader loader = SamListeningSocket.class.getClassLoader();
		if (type != WebApplicationType.SERVLET
				|| !(ClassUtils.isPresent(TOMCAT, loader) || ClassUtils.isPresent(JETTY, loader))) {
			LOG.warn("sam.standby.enabled: this web server cannot accept on the supervisor's socket (only Tomcat and"
					+ " Jetty on the servlet stack can), so a promoted standby binds port " + port + " itself:"
					+ " connections are refused for the milliseconds between the end of one instance and the"
					+ " promotion of the next");
			return;
		}
		String address = environment.getProperty("server.address", "");
		try {
			int bound = Sam.inheritListeningSocket(address, port);
			inherited = true;
			LOG.info("sam.standby.enabled: the web server accepts on the supervisor's socket ("
					+ (address.isEmpty() ? "*" : address) + ":" + bound + "), which outlives this instance");
		}
		catch (RuntimeException ex) {
			LOG.warn("sam.standby.enabled: cannot take the supervisor's listening socket (" + ex.getMessage()
					+ "); the web server binds port " + port + " itself, and connections are refused while one"
					+ " instance replaces another");
		}
	}

}
