package io.samboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.samboot.protocol.Handoff;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint.EnvironmentDescriptor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance's secret is gone from the {@code Environment} that Actuator shows, with
 * Spring Boot's own post-processing before it.
 */
class InstanceSecretEnvironmentPostProcessorTests {

	private static final String SECRET = "00112233445566778899aabbccddeeff";

	private final StandardEnvironment environment = new StandardEnvironment();

	private void instanceEnvironment() {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put(Handoff.SOCKET, "/run/sam/control.sock");
		variables.put(Handoff.SUPERVISOR_PID, "4200");
		variables.put(Handoff.INSTANCE_ID, "3");
		variables.put(Handoff.SECRET, SECRET);
		variables.put("SAM_TIMEINTERVAL", "5s");
		this.environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		SpringApplication application = new SpringApplication();
		new SystemEnvironmentPropertySourceEnvironmentPostProcessor().postProcessEnvironment(this.environment,
				application);
		new InstanceSecretEnvironmentPostProcessor().postProcessEnvironment(this.environment, application);
	}

	@Test
	void theSecretIsNotInTheEnvironment() {
		instanceEnvironment();
		assertThat(this.environment.getProperty(Handoff.SECRET)).isNull();
		assertThat(this.environment.containsProperty("sam.instance.secret")).isFalse();
		assertThat(this.environment.getProperty(Handoff.SUPERVISOR_PID)).isEqualTo("4200");
		assertThat(Binder.get(this.environment).bind("sam.time-interval", String.class).get()).isEqualTo("5s");
	}

	@Test
	void envEndpointShowingEveryValueDoesNotShowIt() {
		instanceEnvironment();
		EnvironmentDescriptor descriptor = new EnvironmentEndpoint(this.environment, List.of(), Show.ALWAYS)
			.environment(null);
		assertThat(descriptor.toString()).doesNotContain(SECRET).doesNotContain(Handoff.SECRET);
		assertThat(descriptor.getPropertySources()).anySatisfy((source) -> {
			assertThat(source.getName()).isEqualTo(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
			assertThat(source.getProperties()).containsKey(Handoff.SUPERVISOR_PID).doesNotContainKey(Handoff.SECRET);
		});
	}

	@Test
	void theOtherVariablesKeepTheirOrigin() {
		instanceEnvironment();
		PropertySource<?> system = this.environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		assertThat(system).isInstanceOf(SystemEnvironmentPropertySource.class).isInstanceOf(OriginLookup.class);
		assertThat(OriginLookup.getOrigin(system, "SAM_TIMEINTERVAL"))
			.hasToString("System Environment Property \"SAM_TIMEINTERVAL\"");
	}

	@Test
	void withoutTheSecretNothingIsReplaced() {
		PropertySource<?> before = this.environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		new InstanceSecretEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(
				this.environment.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME))
			.isSameAs(before);
	}

	@Test
	void isRegisteredForSpringBoot() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(org.springframework.boot.EnvironmentPostProcessor.class, null, (type, implementation, ex) -> {
				// post-processors that need arguments are not the one looked for
			})).hasAtLeastOneElementOfType(InstanceSecretEnvironmentPostProcessor.class);
	}

}
