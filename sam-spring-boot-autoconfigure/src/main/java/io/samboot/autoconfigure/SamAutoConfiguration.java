package io.samboot.autoconfigure;

import java.util.List;

import io.samboot.HealthCheckCallback;
import io.samboot.Sam;
import io.samboot.SamClient;
import io.samboot.SamSettings;

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

/**
 * Auto-configuration of SAM supervision: the {@link SamClient}, the validated {@link SamSettings}
 * and the event-driven health check ({@link SamHealthChecks}) that the lifecycle listener registers
 * when the application is ready.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration")
@ConditionalOnBooleanProperty(name = "sam.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SamProperties.class)
public final class SamAutoConfiguration {

    /** The validated settings: a bad {@code sam.*} value fails here with a failure analysis. */
    @Bean
    @ConditionalOnMissingBean
    SamSettings samSettings(SamProperties properties) {
        return properties.toSettings();
    }

    @Bean
    @ConditionalOnMissingBean
    SamClient samClient() {
        return Sam.client();
    }

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

    @Configuration(proxyBeanMethods = false)
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
    @ConditionalOnMissingClass("org.springframework.boot.health.registry.HealthContributorRegistry")
    static class NoHealthContributorsConfiguration {

        /** Without Actuator's health support, naming contributors in {@code include} is a mistake. */
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
