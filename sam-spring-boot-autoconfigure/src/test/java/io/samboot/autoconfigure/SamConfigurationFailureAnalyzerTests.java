package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.samboot.SamSettings.InvalidSettingException;
import io.samboot.autoconfigure.healthcheck.InvalidSamHealthCheckException;
import io.samboot.autoconfigure.healthcheck.UnknownHealthContributorException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.support.SystemEnvironmentPropertySourceEnvironmentPostProcessor;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SamConfigurationFailureAnalyzerTests {

	private final SamConfigurationFailureAnalyzer analyzer = new SamConfigurationFailureAnalyzer();

	private static InvalidSettingException invalid(Consumer<SamProperties> change) {
		SamProperties properties = new SamProperties();
		change.accept(properties);
		try {
			properties.toSettings();
		}
		catch (InvalidSettingException ex) {
			return ex;
		}
		throw new AssertionError("no failure");
	}

	@Test
	void namesPropertyValueReasonAndFix() {
		FailureAnalysis analysis = this.analyzer.analyze(invalid((p) -> p.setWarnSignal("USR2")));
		assertThat(analysis.getDescription()).contains("'sam.warn-signal'")
			.contains("'USR2'")
			.contains("HotSpot uses SIGUSR2");
		assertThat(analysis.getAction()).startsWith("Update sam.warn-signal").contains("use TERM, INT, HUP, USR1");
	}

	@Test
	void findsTheCauseInsideABeanCreationFailure() {
		BeanCreationException failure = new BeanCreationException("samSettings", "boom",
				invalid((p) -> p.setKillDelay(Duration.ZERO)));
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis.getDescription()).contains("'sam.kill-delay'").contains("'0'").contains("no time to act");
		assertThat(analysis.getAction()).contains("warn-signal to KILL");
	}

	@Test
	void fixWithoutReasonBecomesTheAction() {
		FailureAnalysis analysis = this.analyzer.analyze(invalid((p) -> p.setTimeInterval(Duration.ofSeconds(-1))));
		assertThat(analysis.getDescription()).contains("'sam.time-interval'").contains("'-1s'");
		assertThat(analysis.getAction())
			.isEqualTo("Update sam.time-interval in your configuration: use zero or a" + " positive duration.");
	}

	@Test
	void showsTheValueAsWrittenAndWhereItWasSet() {
		MockEnvironment environment = new MockEnvironment();
		environment.getPropertySources()
			.addFirst(new OriginTrackedMapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of("sam.restart.max-restarts",
							OriginTrackedValue.of("-1", new TextResourceOrigin(new ClassPathResource("application.yml"),
									new TextResourceOrigin.Location(11, 18))))));
		InvalidSamPropertyException failure = catchThrowableOfType(InvalidSamPropertyException.class,
				() -> SamApplicationListener.bindSettings(environment));
		assertThat(failure.getValue()).isEqualTo("-1");
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("samSettings", "boom", failure));
		assertThat(analysis.getDescription()).contains("Property: sam.restart.max-restarts")
			.contains("Value: \"-1\"")
			.contains("Origin: class path resource [application.yml] - 12:19")
			.contains("Reason: ");
		assertThat(analysis.getAction()).startsWith("Update sam.restart.max-restarts");
	}

	@Test
	void aSignalThatCannotWarnIsShownWithItsEnvironmentVariable() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("SAM_WARNSIGNAL", "STOP")));
		new SystemEnvironmentPropertySourceEnvironmentPostProcessor().postProcessEnvironment(environment,
				new SpringApplication());
		InvalidSamPropertyException failure = catchThrowableOfType(InvalidSamPropertyException.class,
				() -> SamApplicationListener.bindSettings(environment));
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis.getDescription()).contains("Value: \"STOP\"")
			.contains("Origin: System Environment Property \"SAM_WARNSIGNAL\"")
			.contains("stops the process");
	}

	@Test
	void unknownContributorListsTheKnownOnes() {
		FailureAnalysis analysis = this.analyzer
			.analyze(new UnknownHealthContributorException(List.of("dbx"), List.of("ping", "db", "diskSpace"), true));
		assertThat(analysis.getDescription()).contains("dbx").contains("db, diskSpace, ping");
		assertThat(analysis.getAction()).contains("'*'").contains("sam.health-check.include");
	}

	@Test
	void unknownContributorWithoutActuatorSaysSo() {
		FailureAnalysis analysis = this.analyzer
			.analyze(new UnknownHealthContributorException(List.of("db"), List.of(), false));
		assertThat(analysis.getDescription()).contains("health support is not active");
		assertThat(analysis.getAction()).contains("spring-boot-starter-actuator");
	}

	@Test
	void badHealthCheckMethodSaysWhatToChange() throws NoSuchMethodException {
		InvalidSamHealthCheckException cause = new InvalidSamHealthCheckException("myBean",
				Object.class.getMethod("equals", Object.class), "must not take arguments");
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("myBean", "boom", cause));
		assertThat(analysis.getDescription()).contains("equals(java.lang.Object)")
			.contains("'myBean'")
			.contains("must not take arguments");
		assertThat(analysis.getAction()).contains("without arguments");
	}

	@Test
	void otherFailuresAreNotAnalyzed() {
		assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
	}

}
