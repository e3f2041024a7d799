package io.samboot.autoconfigure;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import io.samboot.session.SamSession;
import io.samboot.supervisor.ClusterServices;
import io.samboot.supervisor.ClusterServices.ClusterUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClusterUnavailableFailureAnalyzerTests {

	private final ClusterUnavailableFailureAnalyzer analyzer = new ClusterUnavailableFailureAnalyzer();

	@Test
	void aFailedInitializeIsAnalyzedAsTheClusterFailureItCarries() {
		// What start-up meets: SAM's initialize checks the cluster, and this class path
		// has no
		// cluster integration.
		SamSettings settings = SamSettings.builder().quorum(true).build();
		SamException failure = catchThrowableOfType(SamException.class, () -> new SamSession().initialize(settings));

		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("start-up failed", failure));

		assertThat(failure.error()).isEqualTo(SamError.LIBRARY);
		assertThat(analysis.getDescription()).startsWith("sam.quorum.enabled=true asks for corosync's quorum")
			.contains("no cluster integration is on the class path");
	}

	@Test
	void aMissingLibrarySaysWhatToInstall() {
		String problem = "corosync's client library libquorum.so.5 cannot be loaded (libquorum.so.5: cannot open shared object"
				+ " file)";
		String action = "Install corosync and its client libraries: apt-get install corosync libquorum5 libcmap4";
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("start-up failed",
				new ClusterUnavailableException("quorum", problem, problem, action, null)));
		assertThat(analysis.getDescription()).startsWith("sam.quorum.enabled=true asks for corosync's quorum")
			.endsWith(
					"but corosync's client library libquorum.so.5 cannot be loaded (libquorum.so.5: cannot open shared"
							+ " object file).");
		assertThat(analysis.getAction()).isEqualTo("Install corosync and its client libraries: apt-get install"
				+ " corosync libquorum5 libcmap4. Or set sam.quorum.enabled=false to run without corosync's quorum.");
	}

	@Test
	void aStoppedDaemonSaysWhatToStart() {
		String problem = "the corosync daemon is not running or cannot be reached from this process (cmap_initialize() failed:"
				+ " CS_ERR_LIBRARY (2))";
		String action = "Start it: systemctl start corosync";
		FailureAnalysis analysis = this.analyzer
			.analyze(new ClusterUnavailableException("cmap", problem, problem, action, null));
		assertThat(analysis.getDescription()).startsWith("sam.cmap.enabled=true asks for corosync's CMAP")
			.contains("the corosync daemon is not running", "CS_ERR_LIBRARY (2)");
		assertThat(analysis.getAction())
			.isEqualTo("Start it: systemctl start corosync. Or set sam.cmap.enabled=false to"
					+ " run without corosync's CMAP.");
	}

	@Test
	void withoutAnIntegrationItSaysSoToo() {
		ClusterUnavailableException failure = catchThrowableOfType(ClusterUnavailableException.class,
				() -> ClusterServices.NONE.quorum());
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis.getDescription()).contains("no cluster integration is on the class path");
		assertThat(analysis.getAction()).contains("apt-get install corosync", "sam.quorum.enabled=false");
	}

	@Test
	void isRegisteredAndNeedsNoContext() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
				// Other analyzers need a context; ours must not.
			}))).hasAtLeastOneElementOfType(ClusterUnavailableFailureAnalyzer.class)
			.hasAtLeastOneElementOfType(SamConfigurationFailureAnalyzer.class);
	}

}
