package io.samboot.autoconfigure.httpcheck;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * With {@code sam.health-check.http.enabled}, the liveness endpoint's URL goes to the
 * supervisor once the web server listens ({@link SamHttpCheckTarget}), unless
 * {@code sam.health-check.http.url} names one.
 */
@AutoConfiguration
@ConditionalOnClass(WebServerInitializedEvent.class)
@ConditionalOnProperty(prefix = "sam.health-check.http", name = "enabled", havingValue = "true")
public class SamHttpCheckAutoConfiguration {

	@Bean
	static SamHttpCheckTarget samHttpCheckTarget(Environment environment) {
		return new SamHttpCheckTarget(environment);
	}

}
