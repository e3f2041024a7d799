package io.samboot.autoconfigure.healthcheck;

import java.util.Map;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.SamHealthCheck;
import io.samboot.autoconfigure.SamAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SamHealthChecksTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SamAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

	private static CheckResult check(org.springframework.context.ApplicationContext context) throws Exception {
		return context.getBean(HealthCheckCallback.class).check();
	}

	@Test
	void healthyWhenEverythingPasses() {
		this.runner.withUserConfiguration(HealthyChecks.class)
			.run((context) -> assertThat(check(context)).isEqualTo(CheckResult.up()));
	}

	@Test
	void brokenLivenessFails() {
		this.runner.run((context) -> {
			AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
			assertThat(check(context)).isEqualTo(CheckResult.down("livenessState", "BROKEN"));
		});
	}

	@Test
	void methodReturningFalseFails() {
		this.runner.withUserConfiguration(FalseCheck.class)
			.run((context) -> assertThat(check(context))
				.isEqualTo(CheckResult.down("SamHealthChecksTests.FalseCheck#queueAlive", "returned false")));
	}

	@Test
	void throwingVoidMethodFails() {
		this.runner.withUserConfiguration(ThrowingCheck.class).run((context) -> {
			CheckResult result = check(context);
			assertThat(result.healthy()).isFalse();
			assertThat(result.check()).isEqualTo("SamHealthChecksTests.ThrowingCheck#verify");
			assertThat(result.reason()).isEqualTo("IllegalStateException: disk full");
		});
	}

	@Test
	void methodReturningDownHealthFails() {
		this.runner.withUserConfiguration(DownHealthCheck.class).run((context) -> {
			CheckResult result = check(context);
			assertThat(result.check()).isEqualTo("SamHealthChecksTests.DownHealthCheck#health");
			assertThat(result.reason()).isEqualTo("DOWN (broker=unreachable)");
		});
	}

	@Test
	void firstFailureWins() {
		this.runner.withUserConfiguration(FalseCheck.class).run((context) -> {
			AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
			assertThat(check(context).check()).isEqualTo("livenessState");
		});
	}

	@Test
	void methodWithArgumentsFailsStartup() {
		this.runner.withUserConfiguration(MethodWithArgument.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSamHealthCheckException.class)
				.hasMessageContaining("check(java.lang.String)")
				.hasMessageContaining("must not take arguments"));
	}

	@Test
	void methodWithWrongReturnTypeFailsStartup() {
		this.runner.withUserConfiguration(MethodReturningString.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must return boolean, void")
				.hasMessageContaining("not java.lang.String"));
	}

	@Test
	void nonPublicMethodFailsStartup() {
		this.runner.withUserConfiguration(PackagePrivateMethod.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be public"));
	}

	@Test
	void prototypeBeanIsRefusedWhenCreated() {
		this.runner.withUserConfiguration(PrototypeCheck.class)
			.run((context) -> assertThatExceptionOfType(BeanCreationException.class)
				.isThrownBy(() -> context.getBean("prototypeBean"))
				.havingRootCause()
				.withMessageContaining("not a singleton"));
	}

	@Test
	void contributorsAreNotCheckedByDefault() {
		this.runner.withUserConfiguration(Contributors.class)
			.run((context) -> assertThat(check(context).healthy()).isTrue());
	}

	@Test
	void includedContributorThatIsDownFails() {
		this.runner.withUserConfiguration(Contributors.class)
			.withPropertyValues("sam.health-check.include=ping,broker")
			.run((context) -> assertThat(check(context)).isEqualTo(CheckResult.down("broker", "DOWN (host=mq.local)")));
	}

	@Test
	void includedMemberOfACompositeIsChecked() {
		this.runner.withUserConfiguration(Contributors.class)
			.withPropertyValues("sam.health-check.include=db/primary")
			.run((context) -> assertThat(check(context).healthy()).isTrue());
	}

	@Test
	void wildcardChecksEveryContributor() {
		this.runner.withUserConfiguration(Contributors.class)
			.withPropertyValues("sam.health-check.include=*")
			.run((context) -> {
				CheckResult result = check(context);
				assertThat(result.check()).isIn("broker", "db/replica");
			});
	}

	@Test
	void unknownContributorFailsStartup() {
		this.runner.withUserConfiguration(Contributors.class)
			.withPropertyValues("sam.health-check.include=ping,dbx")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(UnknownHealthContributorException.class)
				.hasMessageContaining("[dbx]")
				.satisfies((ex) -> assertThat(((UnknownHealthContributorException) ex).getKnownNames()).contains("ping",
						"broker", "db")));
	}

	@Configuration(proxyBeanMethods = false)
	static class HealthyChecks {

		@Bean
		HealthyBean healthyBean() {
			return new HealthyBean();
		}

	}

	static class HealthyBean {

		@SamHealthCheck
		public boolean ok() {
			return true;
		}

		@SamHealthCheck
		public void fine() {
		}

		@SamHealthCheck
		public Health up() {
			return Health.up().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FalseCheck {

		@SamHealthCheck
		public boolean queueAlive() {
			return false;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingCheck {

		@SamHealthCheck
		public void verify() {
			throw new IllegalStateException("disk full");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DownHealthCheck {

		@SamHealthCheck
		public Health health() {
			return Health.down().withDetail("broker", "unreachable").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MethodWithArgument {

		@SamHealthCheck
		public boolean check(String what) {
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MethodReturningString {

		@SamHealthCheck
		public String check() {
			return "fine";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PackagePrivateMethod {

		@SamHealthCheck
		boolean check() {
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeCheck {

		@Bean
		@Scope("prototype")
		HealthyBean prototypeBean() {
			return new HealthyBean();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Contributors {

		@Bean
		HealthIndicator pingHealthIndicator() {
			return () -> Health.up().build();
		}

		@Bean
		HealthIndicator brokerHealthIndicator() {
			return () -> Health.down().withDetail("host", "mq.local").build();
		}

		@Bean
		HealthContributor dbHealthContributor() {
			return CompositeHealthContributor.fromMap(Map.of("primary", (HealthIndicator) () -> Health.up().build(),
					"replica", (HealthIndicator) () -> Health.down().build()));
		}

	}

}
