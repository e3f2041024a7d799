package io.samboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.samboot.SamClient;
import io.samboot.actuate.SamMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of SAM's Micrometer meters, bound to the application's
 * {@link MeterRegistry} (never the global one) when there is one.
 */
@AutoConfiguration(after = SamAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SamClient.class })
public final class SamMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SamMetrics samMetrics(SamClient samClient, ObjectProvider<SamProperties> properties) {
		SamProperties samProperties = properties.getIfAvailable();
		// Quorum is only used while supervision is on: with sam.enabled=false there is no
		// quorum to report.
		boolean enabled = samProperties != null && samProperties.isEnabled();
		return new SamMetrics(samClient, enabled && samProperties.getQuorum().isEnabled(),
				enabled && samProperties.getStandby().isEnabled());
	}

}
