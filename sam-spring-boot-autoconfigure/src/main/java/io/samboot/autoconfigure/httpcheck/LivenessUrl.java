package io.samboot.autoconfigure.httpcheck;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.core.env.Environment;

/**
 * Where Actuator's liveness endpoint answers on a web server of this application, as the
 * supervisor reaches it over loopback: the server's own address when it is bound to one
 * (a wildcard address means 127.0.0.1), its port, and the path Actuator maps, with the
 * server's context path in front.
 */
final class LivenessUrl {

	/** The server namespace of Actuator's own web server on a separate port. */
	static final String MANAGEMENT = "management";

	private LivenessUrl() {
	}

	/**
	 * Whether Actuator's endpoints are served by a web server of their own
	 * ({@code management.server.port} set, and not to the main server's).
	 */
	static boolean hasManagementServer(Environment environment) {
		String management = environment.getProperty("management.server.port");
		return management != null && !management.isBlank()
				&& !management.equals(environment.getProperty("server.port", "8080"));
	}

	/**
	 * The URL on the web server of this namespace ({@code null} for the main one).
	 */
	static String of(Environment environment, String namespace, int port) {
		boolean management = MANAGEMENT.equals(namespace);
		String address = environment.getProperty(management ? "management.server.address" : "server.address");
		String contextPath = management ? environment.getProperty("management.server.base-path", "") : environment
			.getProperty("server.servlet.context-path", environment.getProperty("spring.webflux.base-path", ""));
		String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
		String health = environment.getProperty("management.endpoints.web.path-mapping.health", "health");
		return "http://" + host(address) + ":" + port
				+ path(trimmed(contextPath) + trimmed(basePath) + "/" + strip(health) + "/liveness");
	}

	private static String host(String address) {
		if (address == null || address.isBlank()) {
			return "127.0.0.1";
		}
		try {
			InetAddress bound = InetAddress.getByName(address.strip());
			if (bound.isAnyLocalAddress()) {
				return "127.0.0.1";
			}
			String literal = bound.getHostAddress();
			return literal.contains(":") ? "[" + literal + "]" : literal;
		}
		catch (UnknownHostException ex) {
			// Left as written: the supervisor refuses it with what to do.
			return address.strip();
		}
	}

	/** A path segment with one leading slash and none trailing; empty stays empty. */
	private static String trimmed(String path) {
		String stripped = strip(path);
		return stripped.isEmpty() ? "" : "/" + stripped;
	}

	private static String strip(String path) {
		String value = (path != null) ? path.strip() : "";
		while (value.startsWith("/")) {
			value = value.substring(1);
		}
		while (value.endsWith("/")) {
			value = value.substring(0, value.length() - 1);
		}
		return value;
	}

	private static String path(String path) {
		return path.replaceAll("/{2,}", "/");
	}

}
