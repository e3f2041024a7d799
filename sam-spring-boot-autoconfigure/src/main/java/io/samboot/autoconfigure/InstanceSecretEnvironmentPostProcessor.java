package io.samboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.samboot.protocol.Handoff;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keeps the instance's secret ({@value Handoff#SECRET}) out of Spring's
 * {@link org.springframework.core.env.Environment}: the {@code systemEnvironment}
 * property source is replaced by one without it, so {@code /actuator/env},
 * {@code /actuator/configprops} and any {@code @Value} never see it, whatever
 * {@code show-values} says.
 *
 * <p>
 * SAM itself reads the secret from {@link System#getenv()} (the
 * {@code SupervisionDecision} and the instance's connection), never from the
 * {@code Environment}, so nothing SAM needs is lost. Runs right after Spring Boot's
 * {@link SystemEnvironmentPropertySourceEnvironmentPostProcessor}, keeping its prefix and
 * origins.
 */
public class InstanceSecretEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Right after Spring Boot made the system environment origin-aware. */
	public static final int ORDER = SystemEnvironmentPropertySourceEnvironmentPostProcessor.DEFAULT_ORDER + 1;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String name = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		PropertySource<?> source = environment.getPropertySources().get(name);
		if (source instanceof SystemEnvironmentPropertySource system
				&& system.getSource().containsKey(Handoff.SECRET)) {
			environment.getPropertySources().replace(name, new WithoutSecret(system));
		}
	}

	/**
	 * The system environment less the secret, with the original's prefix and origins.
	 */
	static final class WithoutSecret extends SystemEnvironmentPropertySource
			implements PropertySourceInfo, OriginLookup<String> {

		private final SystemEnvironmentPropertySource original;

		WithoutSecret(SystemEnvironmentPropertySource original) {
			super(original.getName(), without(original.getSource()));
			this.original = original;
		}

		private static Map<String, Object> without(Map<String, Object> environment) {
			Map<String, Object> copy = new LinkedHashMap<>(environment);
			copy.remove(Handoff.SECRET);
			return copy;
		}

		@Override
		@SuppressWarnings("unchecked")
		public Origin getOrigin(String key) {
			if (!containsProperty(key) || !(this.original instanceof OriginLookup<?> lookup)) {
				return null;
			}
			return ((OriginLookup<String>) lookup).getOrigin(key);
		}

		/** A copy, taken once: it never changes. */
		@Override
		public boolean isImmutable() {
			return true;
		}

		@Override
		public String getPrefix() {
			return (this.original instanceof PropertySourceInfo info) ? info.getPrefix() : null;
		}

	}

}
