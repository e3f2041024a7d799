package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.samboot.SamSettings.InvalidSettingException;
import io.samboot.autoconfigure.healthcheck.InvalidSamHealthCheckException;
import io.samboot.autoconfigure.healthcheck.UnknownHealthContributorException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

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
