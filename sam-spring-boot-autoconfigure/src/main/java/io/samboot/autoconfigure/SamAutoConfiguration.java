package io.samboot.autoconfigure;

import java.util.List;

import io.samboot.HealthCheckCallback;
import io.samboot.Sam;
import io.samboot.SamClient;
import io.samboot.SamSettings;
import io.samboot.autoconfigure.healthcheck.HealthContributorChecks;
import io.samboot.autoconfigure.healthcheck.SamHealthCheckGroup;
import io.samboot.autoconfigure.healthcheck.SamHealthCheckMethods;
import io.samboot.autoconfigure.healthcheck.SamHealthChecks;
import io.samboot.autoconfigure.healthcheck.UnknownHealthContributorException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of SAM supervision: the {@link SamClient}, the validated
 * {@link SamSettings} and the event-driven health check ({@link SamHealthChecks}) that
 * the lifecycle listener registers when the application is ready.
 *
 * <p>
 * {@code sam.enabled=false} switches supervision off, not the API: the {@link SamClient}
 * (an unsupervised local session, instance id 0, or the pass-through instance of a
 * supervisor that only forwards signals), the properties and the settings stay, so code
 * that injects the client, the {@code sam} endpoint, health contributor and meters keep
 * working and show state {@code registered}. Only the health-check machinery, which
 * nothing would call, is left out.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration")
@EnableConfigurationProperties(SamProperties.class)
public final class SamAutoConfiguration {

	/**
	 * The validated settings: a bad {@code sam.*} value fails here with a failure
	 * analysis.
	 */
	@Bean
	@ConditionalOnMissingBean
	SamSettings samSettings(SamProperties properties, Environment environment) {
		return properties.toSettings(environment);
	}

	/**
	 * The process's SAM handle. Not closed with the context (Spring would infer the
	 * handle's {@code close()}): the handle belongs to the process, and
	 * {@link SamApplicationListener} stops and closes it when the context it claimed
	 * closes, before the beans are destroyed; closing it again failed with
	 * {@code BAD_HANDLE}, a warning at every instance's shutdown.
	 */
	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	SamClient samClient() {
		return Sam.client();
	}

	/**
	 * The event-driven health check and what it is made of: only while supervision is on.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "sam.enabled", matchIfMissing = true)
	static class HealthCheckConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static SamHealthCheckMethods samHealthCheckMethods() {
			return new SamHealthCheckMethods();
		}

		@Bean
		@ConditionalOnMissingBean(HealthCheckCallback.class)
		SamHealthChecks samHealthChecks(ObjectProvider<ApplicationAvailability> availability,
				SamHealthCheckMethods samHealthCheckMethods, ObjectProvider<SamHealthCheckGroup> groups) {
			return new SamHealthChecks(availability, samHealthCheckMethods, groups);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "sam.enabled", matchIfMissing = true)
	@ConditionalOnClass(HealthContributorRegistry.class)
	static class HealthContributorChecksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HealthContributorChecks samHealthContributorChecks(SamProperties properties,
				ObjectProvider<HealthContributorRegistry> registry) {
			return new HealthContributorChecks(properties.getHealthCheck().getInclude(), registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "sam.enabled", matchIfMissing = true)
	@ConditionalOnMissingClass("org.springframework.boot.health.registry.HealthContributorRegistry")
	static class NoHealthContributorsConfiguration {

		/**
		 * Without Actuator's health support, naming contributors in {@code include} is a
		 * mistake.
		 */
		@Bean
		SmartInitializingSingleton samHealthCheckIncludeValidator(SamProperties properties) {
			return () -> {
				List<String> named = properties.getHealthCheck()
					.getInclude()
					.stream()
					.filter((name) -> name != null && !name.isBlank())
					.map(String::trim)
					.toList();
				if (!named.isEmpty()) {
					throw new UnknownHealthContributorException(named, List.of(), false);
				}
			};
		}

	}

}
