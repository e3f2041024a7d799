package io.samboot.autoconfigure.standby;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.samboot.instance.InheritedListeningSocket;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The hot standby's Spring side, with {@code sam.standby.enabled}: the gate where a
 * standby waits for its promotion, and the web server told to accept on the socket the
 * supervisor keeps ({@link SamListeningSocket}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "sam.standby", name = "enabled", havingValue = "true")
public class SamStandbyAutoConfiguration {

	@Bean
	SamStandbyGate samStandbyGate(ApplicationEventPublisher events, ObjectProvider<StandbyWarmUp> warmUp,
			Environment environment) {
		boolean warm = environment.getProperty("sam.standby.warm-up", Boolean.class, true);
		// Every warm-up: each acts only on its own kind of web server.
		return new SamStandbyGate(events, () -> {
			if (warm) {
				warmUp.orderedStream().forEach(StandbyWarmUp::run);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SamListeningSocket.TOMCAT)
	static class TomcatInheritedChannel {

		/**
		 * Tomcat's acceptor logs "Socket accept failed" with a stack trace when the
		 * stopping instance ends its blocked {@code accept} by closing the shared socket,
		 * which is how it stops taking connections without dropping one; from then on the
		 * acceptor has nothing left to say. Through {@code java.util.logging}, where
		 * Tomcat's own logging writes.
		 */
		private static final Runnable QUIET_ACCEPTOR = () -> Logger.getLogger("org.apache.tomcat.util.net.Acceptor")
			.setLevel(Level.OFF);

		@Bean
		StandbyWarmUp samStandbyWarmUpTomcat(ApplicationContext context) {
			return () -> {
				if (context instanceof WebServerApplicationContext web
						&& web.getWebServer() instanceof TomcatWebServer tomcat) {
					warmUp(tomcat.getTomcat().getService());
				}
			};
		}

		/**
		 * Sends the warm-up requests through a loopback connector used for that alone.
		 */
		private static void warmUp(Service service) {
			Connector connector = new Connector();
			connector.setPort(0);
			connector.setProperty("address", "127.0.0.1");
			service.addConnector(connector);
			try {
				WarmUpRequests.send(connector.getLocalPort());
			}
			finally {
				service.removeConnector(connector);
				try {
					connector.destroy();
				}
				catch (LifecycleException ex) {
					// A connector used for the warm-up alone: nothing depends on it.
				}
			}
		}

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> samInheritedChannelTomcat() {
			return (factory) -> factory.addConnectorCustomizers((connector) -> {
				if (SamListeningSocket.inherited()) {
					connector.setProperty("useInheritedChannel", "true");
					InheritedListeningSocket.beforeStopAccepting(QUIET_ACCEPTOR);
				}
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SamListeningSocket.JETTY)
	static class JettyInheritedChannel {

		// No warm-up through a temporary connector: a connector added to Jetty's running
		// server and removed again left the context answering 404 to every request of the
		// promoted instance (Jetty 12.1, Spring Boot 4.1). The first requests after a
		// promotion are slower on Jetty for it.

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> samInheritedChannelJetty() {
			return (factory) -> factory.addServerCustomizers(inheritChannel());
		}

		private static JettyServerCustomizer inheritChannel() {
			return (server) -> {
				if (!SamListeningSocket.inherited()) {
					return;
				}
				for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						serverConnector.setInheritChannel(true);
					}
				}
			};
		}

	}

}
