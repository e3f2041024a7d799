package io.samboot.autoconfigure;

import io.samboot.SamClient;
import io.samboot.actuate.SamEndpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code sam} Actuator endpoint ({@code /actuator/sam}), when
 * Actuator is present and the endpoint is available (exposed and not switched off).
 */
@AutoConfiguration(after = SamAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@EnableConfigurationProperties(SamEndpointProperties.class)
public final class SamEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SamClient.class)
	@ConditionalOnAvailableEndpoint(SamEndpoint.class)
	SamEndpoint samEndpoint(SamClient samClient, SamEndpointProperties properties) {
		return new SamEndpoint(samClient,
				properties.getActions().stream().map(SamEndpointProperties.Action::id).toList());
	}

}
