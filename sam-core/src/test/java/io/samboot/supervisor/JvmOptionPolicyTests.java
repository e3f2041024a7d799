package io.samboot.supervisor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JvmOptionPolicyTests {

	private static final String JAVA = "/opt/jdk/bin/java";

	private static final String JDWP_5005 = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005";

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void rewrites(String description, List<String> options, List<String> expected, List<String> noteFragments) {
		JvmOptionPolicy.Result result = JvmOptionPolicy.rewrite(argv(options), true, 17);

		assertThat(result.arguments()).containsExactlyElementsOf(argv(expected));
		assertThat(result.notes()).hasSameSizeAs(noteFragments);
		for (int i = 0; i < noteFragments.size(); i++) {
			assertThat(result.notes().get(i)).doesNotContain("\n").contains(noteFragments.get(i));
		}
	}

	static Stream<Arguments> cases() {
		return Stream.of(
				// JDWP: kept as it is (InstanceDebugger sees to the port and the log)
				unchanged("JDWP server=y with a fixed port", List.of(JDWP_5005, "Main")),
				unchanged("JDWP address=*:port",
						List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005", "Main")),
				unchanged("JDWP -Xrunjdwp",
						List.of("-Xdebug", "-Xrunjdwp:transport=dt_socket,server=y,address=8000", "Main")),
				unchanged("JDWP -agentpath", List.of(
						"-agentpath:/opt/jdk/lib/libjdwp.so=transport=dt_socket,server=y,suspend=y,address=8000",
						"Main")),
				unchanged("JDWP server=n (listen mode) kept: each instance connects to the debugger",
						List.of("-agentlib:jdwp=transport=dt_socket,server=n,address=localhost:5006", "Main")),
				unchanged("JDWP without server= means server=n",
						List.of("-Xmx64m", "-agentlib:jdwp=transport=dt_socket,address=ide:5005", "Main")),
				// JMX remote
				unchanged("JMX ports kept once released",
						List.of("-Dcom.sun.management.jmxremote.port=9010",
								"-Dcom.sun.management.jmxremote.rmi.port=9011",
								"-Dcom.sun.management.jmxremote.ssl=false", "Main")),
				// -Xlog files
				rewrite("-Xlog file=", List.of("-Xlog:gc*:file=gc.log", "Main"),
						List.of("-Xlog:gc*:file=gc.instance.log", "Main"), "gc.instance.log"),
				rewrite("-Xlog file= with decorators and output options",
						List.of("-Xlog:gc:file=logs/gc.log:uptime,level:filecount=5", "Main"),
						List.of("-Xlog:gc:file=logs/gc.instance.log:uptime,level:filecount=5", "Main"), "rotation"),
				rewrite("-Xlog bare file name", List.of("-Xlog:gc:gc.log", "Main"),
						List.of("-Xlog:gc:gc.instance.log", "Main"), "gc.instance.log"),
				rewrite("-Xlog file without extension", List.of("-Xlog:gc:file=/var/log/app.d/noext", "Main"),
						List.of("-Xlog:gc:file=/var/log/app.d/noext.instance", "Main"), "noext.instance"),
				rewrite("-Xlog quoted file name", List.of("-Xlog:gc:file=\"my logs/gc:1.log\"::filesize=1m", "Main"),
						List.of("-Xlog:gc:file=\"my logs/gc:1.instance.log\"::filesize=1m", "Main"),
						"gc:1.instance.log"),
				unchanged("-Xlog file with %p", List.of("-Xlog:gc:file=gc-%p.log", "Main")),
				unchanged("-Xlog stdout and stderr",
						List.of("-Xlog:gc:stdout", "-Xlog:safepoint:stderr:uptime", "-Xlog:gc", "-Xlog:disable",
								"Main")),
				rewrite("-Xloggc", List.of("-Xloggc:gc.log", "Main"), List.of("-Xloggc:gc.instance.log", "Main"),
						"gc.instance.log"),
				// JFR
				rewrite("StartFlightRecording= filename",
						List.of("-XX:StartFlightRecording=filename=rec.jfr,settings=profile", "Main"),
						List.of("-XX:StartFlightRecording=filename=rec.instance.jfr,settings=profile", "Main"),
						"rec.instance.jfr"),
				rewrite("StartFlightRecording: filename",
						List.of("-XX:StartFlightRecording:duration=30s,filename=/tmp/app.rec.jfr", "Main"),
						List.of("-XX:StartFlightRecording:duration=30s,filename=/tmp/app.rec.instance.jfr", "Main"),
						"app.rec.instance.jfr"),
				rewrite("StartFlightRecording %p on JDK 17 (written literally)",
						List.of("-XX:StartFlightRecording=filename=rec-%p.jfr", "Main"),
						List.of("-XX:StartFlightRecording=filename=rec-%p.instance.jfr", "Main"),
						"rec-%p.instance.jfr"),
				unchanged("StartFlightRecording into a directory",
						List.of("-XX:StartFlightRecording=filename=recordings/", "Main")),
				unchanged("StartFlightRecording without file",
						List.of("-XX:StartFlightRecording", "-XX:StartFlightRecording=settings=profile", "Main")),
				unchanged("FlightRecorderOptions, HeapDumpPath, ErrorFile",
						List.of("-XX:FlightRecorderOptions=repository=/tmp/jfr", "-XX:+HeapDumpOnOutOfMemoryError",
								"-XX:HeapDumpPath=dump.hprof", "-XX:ErrorFile=hs_err.log", "Main")),
				// agents and files not inspected
				rewrite("-javaagent kept with a note", List.of("-javaagent:/opt/otel.jar=port=9464", "Main"),
						List.of("-javaagent:/opt/otel.jar=port=9464", "Main"), "may fail to bind"),
				rewrite("other native agent kept with a note",
						List.of("-agentpath:/opt/libasyncProfiler.so=start", "Main"),
						List.of("-agentpath:/opt/libasyncProfiler.so=start", "Main"), "libasyncProfiler.so"),
				rewrite("@argfile kept with a note", List.of("@jvm.args", "Main"), List.of("@jvm.args", "Main"),
						"options inside argument file jvm.args are not inspected"),
				rewrite("VMOptionsFile kept with a note", List.of("-XX:VMOptionsFile=vm.options", "Main"),
						List.of("-XX:VMOptionsFile=vm.options", "Main"), "vm.options are not inspected"),
				// where the JVM options end
				unchanged("everything else unchanged, in order",
						List.of("-Xmx512m", "-Dfoo=bar baz", "-XX:+UseG1GC", "--enable-preview", "-ea", "Main", "arg")),
				rewrite("application arguments after the main class untouched",
						List.of("-Xlog:gc:file=gc.log", "com.example.Main", JDWP_5005, "-Xlog:gc:file=gc.log", "@file"),
						List.of("-Xlog:gc:file=gc.instance.log", "com.example.Main", JDWP_5005, "-Xlog:gc:file=gc.log",
								"@file"),
						"gc.instance.log"),
				unchanged("-jar ends the options",
						List.of("-jar", "app.jar", "--x", JDWP_5005, "-Xlog:gc:file=gc.log")),
				unchanged("-cp value then main class", List.of("-cp", "a:b", "Main", JDWP_5005)),
				unchanged("-m ends the options", List.of("-m", "app/com.example.Main", JDWP_5005)),
				unchanged("--module= ends the options", List.of("--module=app/com.example.Main", JDWP_5005)),
				unchanged("source file launch", List.of("--source", "17", "App.java", JDWP_5005)),
				rewrite("options with a separate value are skipped, not taken for the main class",
						List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-p", "mods", "--add-modules",
								"ALL-MODULE-PATH", "--enable-native-access", "ALL-UNNAMED", "-Xloggc:gc.log", "Main"),
						List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-p", "mods", "--add-modules",
								"ALL-MODULE-PATH", "--enable-native-access", "ALL-UNNAMED", "-Xloggc:gc.instance.log",
								"Main"),
						"gc.instance.log"),
				unchanged("--disable-@files: an @ argument is the main class",
						List.of("--disable-@files", "@Main", JDWP_5005)));
	}

	@Test
	void dropsJmxPortsWhenTheSupervisorCouldNotReleaseThem() {
		JvmOptionPolicy.Result result = JvmOptionPolicy.rewrite(argv(List.of("-Dcom.sun.management.jmxremote.port=9010",
				"-Dcom.sun.management.jmxremote.rmi.port=9011", "-Dcom.sun.management.jmxremote.ssl=false",
				"-Dcom.sun.management.jmxremote.local.only=false", "Main", "-Dcom.sun.management.jmxremote.port=1")),
				false);

		assertThat(result.arguments()).containsExactlyElementsOf(argv(
				List.of("-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.local.only=false",
						"Main", "-Dcom.sun.management.jmxremote.port=1")));
		assertThat(result.notes()).hasSize(2)
			.allSatisfy((note) -> assertThat(note).contains("could not stop", "without JMX remote access"));
		assertThat(result.notes().get(0)).contains("port 9010");
		assertThat(result.notes().get(1)).contains("port 9011");
	}

	@Test
	void keepsAFlightRecordingFileNameWithPidWhenTheJvmExpandsIt() {
		List<String> argv = argv(List.of("-XX:StartFlightRecording=filename=rec-%p.jfr", "Main"));

		JvmOptionPolicy.Result result = JvmOptionPolicy.rewrite(argv, true, 18);

		assertThat(result.arguments()).isEqualTo(argv);
		assertThat(result.notes()).isEmpty();
	}

	@Test
	void keepsAFlightRecordingIntoAnExistingDirectory(@TempDir Path directory) {
		List<String> argv = argv(List.of("-XX:StartFlightRecording:filename=" + directory, "Main"));

		assertThat(JvmOptionPolicy.rewrite(argv, true).arguments()).isEqualTo(argv);
	}

	@Test
	void keepsTheExecutableAndRejectsAnEmptyCommandLine() {
		assertThat(JvmOptionPolicy.rewrite(List.of(JAVA), true).arguments()).containsExactly(JAVA);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> JvmOptionPolicy.rewrite(List.of(), true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void theJvmOptionsEndWhereTheRewriteStops(String description, List<String> options) {
		List<String> argv = argv(options);
		int end = JvmOptionPolicy.endOfJvmOptions(argv);

		// Whatever follows the JVM options is copied as it is, and nothing before it is
		// an application argument.
		assertThat(JvmOptionPolicy.rewrite(argv, true, 17).arguments())
			.endsWith(argv.subList(end, argv.size()).toArray(String[]::new));
		assertThat(argv.subList(1, end)).doesNotContain("Main", "com.example.Main", "--x", "arg");
	}

	@Test
	void resultIsImmutable() {
		JvmOptionPolicy.Result result = JvmOptionPolicy.rewrite(argv(List.of("Main")), true);

		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> result.arguments().clear());
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> result.notes().clear());
	}

	private static Arguments rewrite(String description, List<String> options, List<String> expected, String note) {
		return Arguments.of(description, options, expected, List.of(note));
	}

	private static Arguments unchanged(String description, List<String> options) {
		return Arguments.of(description, options, options, List.of());
	}

	private static List<String> argv(List<String> options) {
		List<String> argv = new ArrayList<>();
		argv.add(JAVA);
		argv.addAll(options);
		return argv;
	}

}
