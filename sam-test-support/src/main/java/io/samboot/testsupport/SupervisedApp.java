package io.samboot.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixture application (a {@code main} class on the test's class path) started as a real
 * JVM, which becomes a SAM supervisor and launches its instances. Learns the instances'
 * PIDs from their {@code MARK iid=N pid=P} lines, and kills them too on close.
 */
public final class SupervisedApp extends SupervisedProcess {

	private static final Pattern INSTANCE_MARK = Pattern.compile("MARK iid=(\\d+) pid=(\\d+)");

	private final Map<Integer, Long> instancePids = new ConcurrentHashMap<>();

	private SupervisedApp(Process supervisor) {
		super(supervisor);
	}

	public static SupervisedApp start(Jdk jdk, Class<?> mainClass, List<String> jvmOptions, String... args)
			throws IOException {
		return start(jdk, mainClass, jvmOptions, Map.of(), args);
	}

	public static SupervisedApp start(Jdk jdk, Class<?> mainClass, List<String> jvmOptions,
			Map<String, String> environment, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(jdk.java());
		command.addAll(jdk.quietOptions());
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-Xshare:auto");
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(Arrays.asList(args));
		return new SupervisedApp(launch(command, environment));
	}

	/** The PID of instance {@code iid}, once it has printed its mark. */
	public long instancePid(int iid, Duration timeout) {
		String line = awaitLine("MARK iid=" + iid + " pid=", timeout);
		Matcher matcher = INSTANCE_MARK.matcher(line);
		if (!matcher.find()) {
			throw new IllegalStateException(line);
		}
		long pid = Long.parseLong(matcher.group(2));
		this.instancePids.put(iid, pid);
		return pid;
	}

	@Override
	protected Iterable<Long> otherPids() {
		return this.instancePids.values();
	}

}
