package io.samboot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Boot finds the auto-configurations and the failure analyzer. */
class RegistrationTests {

	@Test
	void everyAutoConfigurationIsListed() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(SamAutoConfiguration.class.getName(), SamEndpointAutoConfiguration.class.getName(),
					SamHealthIndicatorAutoConfiguration.class.getName(), SamMetricsAutoConfiguration.class.getName());
	}

	@Test
	void failureAnalyzerIsRegisteredAndNeedsNoContext() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
				// Other analyzers need a context; ours must not.
			}))).hasAtLeastOneElementOfType(SamConfigurationFailureAnalyzer.class);
	}

}
