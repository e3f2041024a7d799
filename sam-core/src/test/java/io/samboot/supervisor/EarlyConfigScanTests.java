package io.samboot.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyConfigScanTests {

	@TempDir
	Path directory;

	@Test
	void nothingMentionedDecidesEarly() throws IOException {
		Path jar = jar(Map.of("BOOT-INF/classes/application.yml",
				"sam:\n  time-interval: 5s\n  quorum:\n    enabled: true\nmanagement:\n  enabled: true\n"));
		assertThat(scan(List.of("--server.port=0"), jar)).isEmpty();
	}

	@Test
	void anArgumentDefers() {
		assertThat(scan(List.of("--sam.enabled=false"), null)).contains("the argument --sam.enabled=false");
	}

	@Test
	void aNestedYamlKeyInTheJarDefers() throws IOException {
		Path jar = jar(Map.of("BOOT-INF/classes/application.yml", "sam:\n  # off\n  enabled: false\n"));
		assertThat(scan(List.of(), jar)).hasValueSatisfying(where -> assertThat(where).endsWith("application.yml"));
	}

	@Test
	void flatAndFlowYamlKeysDefer() {
		assertThat(EarlyConfigScan.mentionsSamEnabled("application.yml", "sam.enabled: false\n")).isTrue();
		assertThat(EarlyConfigScan.mentionsSamEnabled("application.yaml", "sam: {enabled: false}\n")).isTrue();
		assertThat(EarlyConfigScan.mentionsSamEnabled("application.yml", "sam:\n    standby:\n      enabled: true\n"))
			.isFalse();
	}

	@Test
	void aPropertiesKeyDefers() {
		assertThat(EarlyConfigScan.mentionsSamEnabled("application.properties", "a=b\nsam.enabled = off\n")).isTrue();
		assertThat(EarlyConfigScan.mentionsSamEnabled("application.properties", "sam.standby.enabled=true\n"))
			.isFalse();
	}

	@Test
	void aFileInTheWorkingDirectoryDefers() throws IOException {
		Files.createDirectories(this.directory.resolve("config"));
		Files.writeString(this.directory.resolve("config/application.properties"), "sam.enabled=false\n");
		assertThat(scan(List.of(), null)).contains("./config/application.properties");
	}

	@Test
	void aProfileFileDefersOnlyWhenItsProfileIsNamed() throws IOException {
		Path jar = jar(Map.of("BOOT-INF/classes/application-solo.yml", "sam:\n  enabled: false\n"));
		assertThat(scan(List.of(), jar)).isEmpty();
		assertThat(scan(List.of("--spring.profiles.active=web,solo"), jar)).isPresent();
		Properties system = new Properties();
		system.setProperty("spring.profiles.active", "solo");
		assertThat(EarlyConfigScan.samEnabledMayBeSet(List.of(), jar, this.directory, Map.of(), system)).isPresent();
		assertThat(EarlyConfigScan.samEnabledMayBeSet(List.of(), jar, this.directory,
				Map.of("SPRING_PROFILES_ACTIVE", "solo"), new Properties()))
			.isPresent();
		assertThat(scan(List.of("--spring.profiles.active=solomon"), jar)).isEmpty();
	}

	@Test
	void aProfileNamedInTheDefaultFileCounts() throws IOException {
		Path jar = jar(Map.of("BOOT-INF/classes/application.yml", "spring:\n  profiles:\n    include: solo\n",
				"BOOT-INF/classes/application-solo.properties", "sam.enabled=false\n"));
		assertThat(scan(List.of(), jar)).isPresent();
	}

	@Test
	void configLocationsItDoesNotFollowDefer() {
		assertThat(scan(List.of("--spring.config.additional-location=file:/etc/app/"), null)).isPresent();
		assertThat(EarlyConfigScan.samEnabledMayBeSet(List.of(), null, this.directory,
				Map.of("SPRING_APPLICATION_JSON", "{}"), new Properties()))
			.isPresent();
	}

	private java.util.Optional<String> scan(List<String> args, Path jar) {
		return EarlyConfigScan.samEnabledMayBeSet(args, jar, this.directory, Map.of(), new Properties());
	}

	private Path jar(Map<String, String> entries) throws IOException {
		Path jar = this.directory.resolve("app.jar");
		try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (Map.Entry<String, String> entry : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(entry.getKey()));
				zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		return jar;
	}

}
