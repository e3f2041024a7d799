package io.samboot.autoconfigure;

import java.util.List;

import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class SamConfigurationFailureAnalyzerTests {

    private final SamConfigurationFailureAnalyzer analyzer = new SamConfigurationFailureAnalyzer();

    private static InvalidSettingException invalid(String... keyValues) {
        SamProperties properties = new SamProperties();
        try {
            if (keyValues[0].equals("warn-signal")) {
                properties.setWarnSignal(keyValues[1]);
            }
            else if (keyValues[0].equals("kill-delay")) {
                properties.setKillDelay(java.time.Duration.ZERO);
            }
            else if (keyValues[0].equals("time-interval")) {
                properties.setTimeInterval(java.time.Duration.ofSeconds(-1));
            }
            properties.toSettings();
        }
        catch (InvalidSettingException ex) {
            return ex;
        }
        throw new AssertionError("no failure");
    }

    @Test
    void namesPropertyValueReasonAndFix() {
        FailureAnalysis analysis = this.analyzer.analyze(invalid("warn-signal", "USR2"));
        assertThat(analysis.getDescription()).contains("'sam.warn-signal'")
            .contains("'USR2'")
            .contains("HotSpot uses SIGUSR2");
        assertThat(analysis.getAction()).startsWith("Update sam.warn-signal").contains("use TERM, INT, HUP, USR1");
    }

    @Test
    void findsTheCauseInsideABeanCreationFailure() {
        BeanCreationException failure = new BeanCreationException("samSettings", "boom", invalid("kill-delay", "0"));
        FailureAnalysis analysis = this.analyzer.analyze(failure);
        assertThat(analysis.getDescription()).contains("'sam.kill-delay'").contains("'0'").contains("no time to act");
        assertThat(analysis.getAction()).contains("warn-signal to KILL");
    }

    @Test
    void fixWithoutReasonBecomesTheAction() {
        FailureAnalysis analysis = this.analyzer.analyze(invalid("time-interval", "-1s"));
        assertThat(analysis.getDescription()).contains("'sam.time-interval'").contains("'-1s'");
        assertThat(analysis.getAction()).isEqualTo("Update sam.time-interval in your configuration: use zero or a"
                + " positive duration.");
    }

    @Test
    void unknownContributorListsTheKnownOnes() {
        FailureAnalysis analysis = this.analyzer.analyze(
                new UnknownHealthContributorException(List.of("dbx"), List.of("ping", "db", "diskSpace"), true));
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
    void otherFailuresAreNotAnalyzed() {
        assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
    }
}
