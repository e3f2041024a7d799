package io.samboot.autoconfigure;

import io.samboot.SamClient;
import io.samboot.actuate.SamInfoContributor;

import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorAutoConfiguration;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sam} entry of {@code /actuator/info}, when Actuator is
 * present; {@code management.info.sam.enabled=false} switches it off.
 */
@AutoConfiguration(after = SamAutoConfiguration.class, before = InfoContributorAutoConfiguration.class)
@ConditionalOnClass({ InfoContributor.class, ConditionalOnEnabledInfoContributor.class })
@ConditionalOnBean(SamClient.class)
public final class SamInfoContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnEnabledInfoContributor("sam")
	SamInfoContributor samInfoContributor(SamClient samClient) {
		return new SamInfoContributor(samClient);
	}

}
