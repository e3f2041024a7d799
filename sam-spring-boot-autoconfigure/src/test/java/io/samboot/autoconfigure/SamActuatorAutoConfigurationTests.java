package io.samboot.autoconfigure;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.samboot.SamClient;
import io.samboot.SamState;
import io.samboot.actuate.FakeSamClient;
import io.samboot.actuate.SamEndpoint;
import io.samboot.actuate.SamHealthIndicator;
import io.samboot.actuate.SamInfoContributor;
import io.samboot.actuate.SamMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The endpoint, health indicator and metrics auto-configurations. */
class SamActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(SamAutoConfiguration.class, SamEndpointAutoConfiguration.class, SamHealthIndicatorAutoConfiguration.class,
				SamMetricsAutoConfiguration.class, SamInfoContributorAutoConfiguration.class,
				EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));

	@Test
	void endpointWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sam")
			.run((context) -> assertThat(context).hasSingleBean(SamEndpoint.class));
	}

	@Test
	void noEndpointWhenNotExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SamEndpoint.class));
	}

	@Test
	void endpointHealthAndMetersStayWhenSamIsDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sam", "sam.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SamEndpoint.class)
				.hasSingleBean(SamHealthIndicator.class)
				.hasSingleBean(SamMetrics.class));
	}

	/**
	 * What an unsupervised process shows with {@code sam.enabled=false}: registered,
	 * instance 0, no supervisor.
	 */
	@Test
	void disabledSamReportsTheUnsupervisedState() {
		FakeSamClient unsupervised = new FakeSamClient();
		unsupervised.state = SamState.REGISTERED;
		unsupervised.instanceId = 0;
		unsupervised.restartCount = 0;
		unsupervised.supervised = false;
		unsupervised.history.clear();
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=sam", "sam.enabled=false",
					"sam.quorum.enabled=true")
			.withBean(SamClient.class, () -> unsupervised)
			.run((context) -> {
				SamEndpoint.SamDescriptor sam = context.getBean(SamEndpoint.class).status();
				assertThat(sam.state()).isEqualTo("registered");
				assertThat(sam.instanceId()).isZero();
				assertThat(sam.history()).isEmpty();
				Health health = context.getBean(SamHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("state", "registered").containsEntry("supervised", false);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("sam.state").tag("state", "registered").gauge().value()).isEqualTo(1.0);
				assertThat(registry.get("sam.info").tag("instance.id", "0").gauge().value()).isEqualTo(1.0);
				assertThat(registry.get("sam.restarts").tag("cause", "exited").functionCounter().count()).isZero();
				assertThat(registry.find("sam.quorum.quorate").gauge()).as("no quorum while SAM is off").isNull();
			});
	}

	@Test
	void endpointActionsCanBeNarrowed() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=sam",
					"management.endpoint.sam.actions=restart")
			.withBean(SamClient.class, FakeSamClient::new)
			.run((context) -> assertThat(catchThrowable(() -> context.getBean(SamEndpoint.class).action("mark-failed")))
				.isInstanceOf(InvalidEndpointRequestException.class));
	}

	@Test
	void endpointAllowsBothActionsByDefault() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sam")
			.run((context) -> assertThat(context.getBean(SamEndpointProperties.class).getActions())
				.containsExactlyInAnyOrder(SamEndpointProperties.Action.RESTART,
						SamEndpointProperties.Action.MARK_FAILED));
	}

	@Test
	void infoContributorDescribesTheInstance() {
		this.runner.withBean(SamClient.class, FakeSamClient::new).run((context) -> {
			Info.Builder builder = new Info.Builder();
			context.getBean(SamInfoContributor.class).contribute(builder);
			assertThat(builder.build().getDetails()).containsKey("sam");
			assertThat(builder.build().get("sam", Map.class)).containsEntry("instanceId", 3)
				.containsEntry("supervisorPid", 4200L)
				.containsEntry("restartCount", 2)
				.containsEntry("state", "started")
				.containsEntry("supervised", true);
		});
	}

	@Test
	void infoContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.info.sam.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SamInfoContributor.class));
	}

	@Test
	void healthIndicatorIsNamedSam() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SamHealthIndicator.class);
			assertThat(context.getBean(HealthContributorRegistry.class).getContributor("sam"))
				.isInstanceOf(SamHealthIndicator.class);
		});
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.sam.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SamHealthIndicator.class));
	}

	@Test
	void backsOffWithoutActuator() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SamAutoConfiguration.class, SamEndpointAutoConfiguration.class,
					SamHealthIndicatorAutoConfiguration.class, SamMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class))
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.withPropertyValues("management.endpoints.web.exposure.include=sam")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SamEndpoint.class)
				.doesNotHaveBean(SamHealthIndicator.class)
				.hasSingleBean(SamMetrics.class));
	}

	@Test
	void metersAreBound() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("sam.info").gauge()).isNotNull();
			assertThat(registry.find("sam.restarts").tag("cause", "health-check-timeout").functionCounter())
				.isNotNull();
			assertThat(registry.find("sam.state").tag("state", "registered").gauge()).isNotNull();
			assertThat(registry.find("sam.state").tag("state", "waiting-for-quorum").gauge()).isNotNull();
			assertThat(registry.find("sam.healthcheck").tag("outcome", "up").timer()).isNotNull();
			assertThat(registry.find("sam.healthcheck").tag("outcome", "error").timer()).isNotNull();
			assertThat(registry.find("sam.data.size").gauge()).isNotNull();
			assertThat(registry.find("sam.quorum.quorate").gauge()).isNull();
		});
	}

	@Test
	void quorumMeterWithQuorum() {
		this.runner.withPropertyValues("sam.quorum.enabled=true")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class).find("sam.quorum.quorate").gauge())
				.isNotNull());
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SamMetrics.class));
	}

	@Test
	void backsOffWithoutMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SamAutoConfiguration.class, SamMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SamMetrics.class));
	}

}
