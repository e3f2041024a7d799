package io.samboot.supervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lean supervisor JVM's command line. */
class SupervisorReexecTests {

	@Test
	void leanOptionsThenSamsOwnPropertiesThenClassPathMainHandoverAndTheInstanceCommand() {
		Properties properties = new Properties();
		properties.setProperty("sam.native", "jna");
		properties.setProperty("jna.tmpdir", "/var/tmp/jna");
		properties.setProperty("java.io.tmpdir", "/scratch");
		properties.setProperty("com.sun.management.jmxremote.port", "9010");
		properties.setProperty("spring.profiles.active", "prod");
		List<String> instance = List.of("/jdk/bin/java", "-Xmx2g", "-jar", "app.jar", "--server.port=8080");

		List<String> argv = SupervisorReexec.command("/jdk/bin/java", SupervisorReexec.LEAN_OPTIONS, properties,
				List.of(Path.of("/private/sam.jar"), Path.of("/private/jna.jar")), Path.of("/private/handover"),
				instance);

		assertThat(argv.get(0)).isEqualTo("/jdk/bin/java");
		assertThat(argv).containsSubsequence(SupervisorReexec.LEAN_OPTIONS);
		assertThat(argv).contains("-Dsam.native=jna", "-Djna.tmpdir=/var/tmp/jna", "-Djava.io.tmpdir=/scratch")
			.noneMatch(argument -> argument.contains("jmxremote") || argument.contains("spring.profiles"));
		int mainClass = argv.indexOf(SupervisorMain.class.getName());
		assertThat(argv.subList(mainClass - 2, argv.size())).containsExactly("-cp", "/private/sam.jar:/private/jna.jar",
				SupervisorMain.class.getName(), "/private/handover", "--", "/jdk/bin/java", "-Xmx2g", "-jar", "app.jar",
				"--server.port=8080");
	}

}
