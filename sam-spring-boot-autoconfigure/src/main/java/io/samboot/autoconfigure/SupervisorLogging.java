package io.samboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The part of the application's logging configuration the supervisor follows for its own
 * lines, sent with the settings when the instance registers: the levels of {@code root}
 * and of SAM's packages, the structured formats and their service fields, and the log
 * file. The supervisor reads no property file itself.
 */
final class SupervisorLogging {

	/** Single properties passed on as they are. */
	private static final List<String> PROPERTIES = List.of("logging.structured.format.console",
			"logging.structured.format.file", "logging.file.name", "logging.file.path",
			"logging.structured.ecs.service.name", "logging.structured.ecs.service.version",
			"logging.structured.ecs.service.environment", "logging.structured.ecs.service.node-name",
			"logging.structured.gelf.host");

	/** The supervisor's loggers live under this package. */
	private static final String SAM_PACKAGE = "io.samboot";

	private SupervisorLogging() {
	}

	static Map<String, String> from(Environment environment) {
		Map<String, String> logging = new TreeMap<>();
		for (String property : PROPERTIES) {
			String value = environment.getProperty(property);
			if (value != null && !value.isBlank()) {
				logging.put(property, value);
			}
		}
		String application = environment.getProperty("spring.application.name");
		if (application != null && !application.isBlank()) {
			// The service name and GELF host Spring Boot falls back to.
			logging.put("logging.sam.application-name", application);
		}
		Binder.get(environment)
			.bind("logging.level", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of())
			.forEach((logger, level) -> {
				if (concernsTheSupervisor(logger) && level != null && !level.isBlank()) {
					logging.put("logging.level." + logger, level);
				}
			});
		return logging;
	}

	/** {@code root}, or a package of SAM's loggers or one of them. */
	private static boolean concernsTheSupervisor(String logger) {
		return logger.equalsIgnoreCase("root") || SAM_PACKAGE.startsWith(logger + ".") || SAM_PACKAGE.equals(logger)
				|| logger.startsWith(SAM_PACKAGE + ".");
	}

}
