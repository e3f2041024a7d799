package io.samboot.autoconfigure;

import io.samboot.SamClient;
import io.samboot.actuate.SamHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sam} health contributor, when Spring Boot's health
 * support is present and {@code management.health.sam.enabled} is not false.
 */
@AutoConfiguration(after = SamAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SamClient.class)
public final class SamHealthIndicatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "samHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("sam")
	SamHealthIndicator samHealthIndicator(SamClient samClient) {
		return new SamHealthIndicator(samClient);
	}

}
