package io.samboot.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Looks, before Spring Boot runs, for a sign that {@code sam.enabled} may be set where
 * Spring Boot would read it: a command-line argument, the config files in the jar
 * ({@code BOOT-INF/classes/application*.properties|yml|yaml}, also under {@code config/})
 * and in the working directory ({@code ./}, {@code ./config/},
 * {@code ./config/}{@code *}{@code /}), or config locations it cannot follow
 * ({@code spring.config.location}, {@code .additional-location}, {@code .import},
 * {@code .name}, {@code spring.application.json}).
 *
 * <p>
 * It does not evaluate anything: a file that names the property is a reason for the early
 * launcher to leave the decision to Spring Boot's listener, which reads the Environment
 * with every profile resolved. A profile file ({@code application-dev.yml}) counts only
 * when its profile is named somewhere visible (an argument, {@code spring.profiles.*},
 * {@code SPRING_PROFILES_*}, or the text of a file without a profile), so that an unused
 * profile file that switches SAM off does not slow every start. Reading a few small
 * entries of a jar already open costs a few milliseconds; parsing YAML or resolving
 * profiles here would cost what the early launcher exists to save.
 */
final class EarlyConfigScan {

	private static final Pattern CONFIG_FILE = Pattern
		.compile("(?:config/(?:[^/]+/)?)?application(?:-([^/.]+))?\\.(properties|ya?ml)");

	private static final List<String> UNFOLLOWED = List.of("spring.config.location",
			"spring.config.additional-location", "spring.config.import", "spring.config.name",
			"spring.application.json");

	private static final List<String> UNFOLLOWED_ENV = List.of("SPRING_CONFIG_LOCATION",
			"SPRING_CONFIG_ADDITIONALLOCATION", "SPRING_CONFIG_ADDITIONAL_LOCATION", "SPRING_CONFIG_IMPORT",
			"SPRING_CONFIG_NAME", "SPRING_APPLICATION_JSON");

	private static final Pattern PROPERTIES_KEY = Pattern.compile("(?im)^\\s*sam\\.enabled\\s*[=:\\s]");

	private static final Pattern YAML_FLAT_KEY = Pattern.compile("(?im)^\\s*[\"']?sam\\.enabled[\"']?\\s*:");

	private static final Pattern YAML_SAM_BLOCK = Pattern.compile("(?i)^[\"']?sam[\"']?\\s*:\\s*(.*)$");

	private static final Pattern YAML_ENABLED_KEY = Pattern.compile("(?i)^[\"']?enabled[\"']?\\s*:.*");

	private EarlyConfigScan() {
	}

	/**
	 * Where {@code sam.enabled} may be set, or an unfollowed config location, described
	 * for a log line; empty when nothing Spring Boot reads by default mentions it.
	 * @param jar the executable jar, or {@code null}
	 */
	static Optional<String> samEnabledMayBeSet(List<String> args, Path jar, Path workingDirectory,
			Map<String, String> environment, Properties systemProperties) {
		StringBuilder profileNames = new StringBuilder();
		for (String arg : args) {
			String name = arg.startsWith("--") ? arg.substring(2).toLowerCase(Locale.ROOT) : "";
			if (name.startsWith("sam.enabled")) {
				return Optional.of("the argument " + arg);
			}
			for (String unfollowed : UNFOLLOWED) {
				if (name.startsWith(unfollowed)) {
					return Optional.of("the argument " + arg + " (config the early launcher does not read)");
				}
			}
			profileNames.append(arg).append('\n');
		}
		for (String unfollowed : UNFOLLOWED) {
			if (systemProperties.getProperty(unfollowed) != null) {
				return Optional.of("-D" + unfollowed + " (config the early launcher does not read)");
			}
		}
		for (String unfollowed : UNFOLLOWED_ENV) {
			if (environment.get(unfollowed) != null) {
				return Optional
					.of("the environment variable " + unfollowed + " (config the early launcher does not read)");
			}
		}
		systemProperties.stringPropertyNames()
			.stream()
			.filter(name -> name.startsWith("spring.profiles."))
			.forEach(name -> profileNames.append(systemProperties.getProperty(name)).append('\n'));
		environment.forEach((name, value) -> {
			if (name.startsWith("SPRING_PROFILES_")) {
				profileNames.append(value).append('\n');
			}
		});
		Map<String, String> files = new LinkedHashMap<>();
		try {
			readJar(jar, files);
			readDirectory(workingDirectory, files);
		}
		catch (IOException ex) {
			return Optional.of("a config file it could not read (" + ex.getMessage() + ")");
		}
		List<String[]> profiled = new ArrayList<>();
		for (Map.Entry<String, String> file : files.entrySet()) {
			Matcher matcher = CONFIG_FILE.matcher(lastPart(file.getKey()));
			matcher.matches();
			if (matcher.group(1) == null) {
				if (mentionsSamEnabled(file.getKey(), file.getValue())) {
					return Optional.of(file.getKey());
				}
				profileNames.append(file.getValue()).append('\n');
			}
			else {
				profiled.add(new String[] { file.getKey(), matcher.group(1), file.getValue() });
			}
		}
		for (String[] file : profiled) {
			if (mentionsSamEnabled(file[0], file[2]) && namesProfile(profileNames, file[1])) {
				return Optional.of(file[0] + " (profile " + file[1] + ")");
			}
		}
		return Optional.empty();
	}

	static boolean mentionsSamEnabled(String fileName, String text) {
		if (fileName.endsWith(".properties")) {
			return PROPERTIES_KEY.matcher(text).find();
		}
		if (YAML_FLAT_KEY.matcher(text).find()) {
			return true;
		}
		return yamlSamBlockHasEnabled(text);
	}

	/**
	 * A top-level {@code sam:} block whose first level has {@code enabled:} (deeper
	 * {@code enabled:} keys, as {@code sam.quorum.enabled}, do not count), or a flow
	 * mapping ({@code sam: {enabled: false}}) that mentions it.
	 */
	private static boolean yamlSamBlockHasEnabled(String text) {
		boolean inSam = false;
		int childIndent = -1;
		for (String line : text.split("\r?\n|\r")) {
			String content = stripComment(line);
			if (content.isBlank()) {
				continue;
			}
			int indent = indentOf(line);
			if (indent == 0) {
				Matcher block = YAML_SAM_BLOCK.matcher(content.trim());
				inSam = block.matches();
				childIndent = -1;
				if (inSam && block.group(1).toLowerCase(Locale.ROOT).contains("enabled")) {
					return true;
				}
				continue;
			}
			if (inSam) {
				if (childIndent < 0) {
					childIndent = indent;
				}
				if (indent == childIndent && YAML_ENABLED_KEY.matcher(content.trim()).matches()) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean namesProfile(CharSequence text, String profile) {
		return Pattern.compile("(?<![\\w-])" + Pattern.quote(profile) + "(?![\\w-])").matcher(text).find();
	}

	private static String stripComment(String line) {
		int hash = line.indexOf('#');
		return (hash < 0) ? line : line.substring(0, hash);
	}

	private static int indentOf(String line) {
		int indent = 0;
		while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
			indent++;
		}
		return indent;
	}

	private static String lastPart(String described) {
		int bang = described.indexOf("!/BOOT-INF/classes/");
		if (bang >= 0) {
			return described.substring(bang + "!/BOOT-INF/classes/".length());
		}
		return described.startsWith("./") ? described.substring(2) : described;
	}

	private static void readJar(Path jar, Map<String, String> files) throws IOException {
		if (jar == null || !Files.isRegularFile(jar)) {
			return;
		}
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (name.startsWith("BOOT-INF/classes/")
						&& CONFIG_FILE.matcher(name.substring("BOOT-INF/classes/".length())).matches()) {
					try (InputStream in = zip.getInputStream(entry)) {
						files.put(jar.getFileName() + "!/" + name,
								new String(in.readAllBytes(), StandardCharsets.UTF_8));
					}
				}
			}
		}
	}

	private static void readDirectory(Path directory, Map<String, String> files) throws IOException {
		if (directory == null) {
			return;
		}
		List<Path> candidates = new ArrayList<>();
		collect(directory, candidates);
		Path config = directory.resolve("config");
		if (Files.isDirectory(config)) {
			collect(config, candidates);
			try (DirectoryStream<Path> children = Files.newDirectoryStream(config, Files::isDirectory)) {
				for (Path child : children) {
					collect(child, candidates);
				}
			}
		}
		for (Path candidate : candidates) {
			String relative = directory.relativize(candidate).toString().replace('\\', '/');
			if (CONFIG_FILE.matcher(relative).matches()) {
				files.put("./" + relative, Files.readString(candidate, StandardCharsets.UTF_8));
			}
		}
	}

	private static void collect(Path directory, List<Path> into) throws IOException {
		if (!Files.isDirectory(directory)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "application*")) {
			for (Path entry : entries) {
				if (Files.isRegularFile(entry)) {
					into.add(entry);
				}
			}
		}
	}

}
