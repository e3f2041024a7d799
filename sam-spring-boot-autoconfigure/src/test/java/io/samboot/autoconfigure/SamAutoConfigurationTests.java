package io.samboot.autoconfigure;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.Sam;
import io.samboot.SamClient;
import io.samboot.SamSettings;
import io.samboot.actuate.FakeSamClient;
import io.samboot.autoconfigure.healthcheck.HealthContributorChecks;
import io.samboot.autoconfigure.healthcheck.SamHealthCheckMethods;
import io.samboot.autoconfigure.healthcheck.SamHealthChecks;
import io.samboot.autoconfigure.healthcheck.UnknownHealthContributorException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SamAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SamAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

	@Test
	void enabledByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SamClient.class)
				.hasSingleBean(SamProperties.class)
				.hasSingleBean(SamSettings.class)
				.hasSingleBean(SamHealthCheckMethods.class)
				.hasSingleBean(HealthContributorChecks.class)
				.hasSingleBean(HealthCheckCallback.class);
			assertThat(context.getBean(HealthCheckCallback.class)).isInstanceOf(SamHealthChecks.class);
			assertThat(context.getBean(SamSettings.class)).isEqualTo(SamSettings.defaults());
		});
	}

	@Test
	void clientIsTheSamFacadesClient() {
		this.runner.run((context) -> assertThat(context.getBean(SamClient.class)).isSameAs(Sam.client()));
	}

	@Test
	void unsupervisedInTests() {
		this.runner.run((context) -> {
			SamClient client = context.getBean(SamClient.class);
			assertThat(client.supervised()).isFalse();
			assertThat(client.instanceId()).isZero();
		});
	}

	@Test
	void disabledWithSamEnabledFalseKeepsTheClient() {
		this.runner.withPropertyValues("sam.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SamClient.class)
				.hasSingleBean(SamProperties.class)
				.hasSingleBean(SamSettings.class)
				.doesNotHaveBean(SamHealthCheckMethods.class)
				.doesNotHaveBean(HealthContributorChecks.class)
				.doesNotHaveBean(HealthCheckCallback.class);
			assertThat(context.getBean(SamClient.class)).isSameAs(Sam.client());
			assertThat(context.getBean(SamClient.class).supervised()).isFalse();
			assertThat(context.getBean(SamSettings.class).enabled()).isFalse();
		});
	}

	@Test
	void disabledWithSamEnabledFalseStillLetsTheUserClientWin() {
		this.runner.withPropertyValues("sam.enabled=false")
			.withBean(FakeSamClient.class, FakeSamClient::new)
			.run((context) -> assertThat(context.getBean(SamClient.class)).isInstanceOf(FakeSamClient.class));
	}

	@Test
	void userClientWins() {
		this.runner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SamClient.class);
			assertThat(context.getBean(SamClient.class)).isInstanceOf(FakeSamClient.class);
		});
	}

	@Test
	void userHealthCheckCallbackWins() {
		this.runner.withUserConfiguration(UserCallbackConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HealthCheckCallback.class).doesNotHaveBean(SamHealthChecks.class);
			assertThat(context.getBean(HealthCheckCallback.class).check().reason()).isEqualTo("mine");
		});
	}

	@Test
	void backsOffFromActuatorHealthWithoutIt() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SamHealthChecks.class)
				.doesNotHaveBean(HealthContributorChecks.class));
	}

	@Test
	void includeWithoutActuatorHealthFails() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.withPropertyValues("sam.health-check.include=db")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(UnknownHealthContributorException.class)
				.hasMessageContaining("[db]"));
	}

	@Test
	void badValueFailsStartup() {
		this.runner.withPropertyValues("sam.time-interval=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(SamSettings.InvalidSettingException.class)
				.hasMessageContaining("sam.time-interval = -1s"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		SamClient mySamClient() {
			return new FakeSamClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCallbackConfiguration {

		@Bean
		HealthCheckCallback myCallback() {
			return () -> CheckResult.down("custom", "mine");
		}

	}

}
