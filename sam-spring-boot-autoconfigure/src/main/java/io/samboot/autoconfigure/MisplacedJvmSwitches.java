package io.samboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.samboot.JvmSwitch;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Finds {@link JvmSwitch JVM switches} written where Spring Boot reads properties
 * ({@code application.yml}, a profile, the environment) instead of on the {@code java}
 * command line. SAM reads them before Spring reads any of those, so there they do
 * nothing; saying so beats ignoring them silently.
 */
final class MisplacedJvmSwitches {

	private MisplacedJvmSwitches() {
	}

	/**
	 * One warning per switch that the environment has but the JVM's system properties do
	 * not.
	 */
	static List<String> warnings(ConfigurableEnvironment environment) {
		List<String> warnings = new ArrayList<>();
		for (JvmSwitch jvmSwitch : JvmSwitch.values()) {
			String name = jvmSwitch.propertyName();
			if (System.getProperty(name) != null || !environment.containsProperty(name)) {
				continue;
			}
			String origin = environment.getPropertySources()
				.stream()
				.filter(source -> source.containsProperty(name))
				.map(PropertySource::getName)
				.findFirst()
				.orElse("the environment");
			warnings.add(name + " is set in " + origin + ", where it has no effect: it is a JVM switch, read before"
					+ " Spring Boot reads properties. Pass it on the java command line instead: -D" + name + "="
					+ environment.getProperty(name));
		}
		return warnings;
	}

}
