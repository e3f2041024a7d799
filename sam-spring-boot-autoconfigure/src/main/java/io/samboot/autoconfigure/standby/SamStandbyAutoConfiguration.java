package io.samboot.autoconfigure.standby;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hot standby's Spring side, with {@code sam.standby.enabled}: the gate where a
 * standby waits for its promotion, and the web server told to accept on the socket the
 * supervisor keeps ({@link SamListeningSocket}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "sam.standby", name = "enabled", havingValue = "true")
public class SamStandbyAutoConfiguration {

	@Bean
	SamStandbyGate samStandbyGate(ApplicationEventPublisher events, ObjectProvider<StandbyWarmUp> warmUp) {
		return new SamStandbyGate(events, () -> warmUp.ifAvailable(StandbyWarmUp::run));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SamListeningSocket.TOMCAT)
	static class TomcatInheritedChannel {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> samInheritedChannelTomcat() {
			return (factory) -> factory.addConnectorCustomizers((connector) -> {
				if (SamListeningSocket.inherited()) {
					connector.setProperty("useInheritedChannel", "true");
				}
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SamListeningSocket.JETTY)
	static class JettyInheritedChannel {

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> samInheritedChannelJetty() {
			return (factory) -> factory.addServerCustomizers(inheritChannel());
		}

		private static JettyServerCustomizer inheritChannel() {
			return (server) -> {
				if (!SamListeningSocket.inherited()) {
					return;
				}
				for (Connector connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						serverConnector.setInheritChannel(true);
					}
				}
			};
		}

	}

}
