package io.samboot.launcher;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.springframework.boot.loader.launch.JarLauncher;
import org.springframework.boot.loader.net.protocol.Handlers;
import org.springframework.boot.loader.net.protocol.jar.JarUrl;

/**
 * The {@code Main-Class} of an executable jar built with {@link SamLayoutFactory}: hands
 * the JVM to SAM's supervisor before Spring Boot's {@link JarLauncher} runs, then (in the
 * instance, or when the process is not to be supervised) runs {@code JarLauncher} as
 * usual.
 *
 * <p>
 * Without it SAM takes over from Spring Boot's {@code ApplicationStartingEvent}, after
 * Spring Boot's launcher, its logging and the {@code SpringApplication} have loaded:
 * about 0.8 s on a quiet 2-CPU machine, which every first start then pays twice. From
 * here it is about 0.1 s.
 *
 * <p>
 * It loads SAM's core and JNA from the jar's {@code BOOT-INF/lib} in a class loader of
 * their own and calls {@code io.samboot.supervisor.EarlySupervision}, which decides as
 * the Spring Boot listener would and, for an application start, never returns; when
 * {@code sam.enabled} may be set in an argument or a config file, it returns and leaves
 * the decision to the listener, which reads the Environment. Anything unexpected leaves
 * the decision to the listener, with one line on standard error. Off with
 * {@code -Dsam.launcher.early=false}. Kept to this one class: the layout copies it alone
 * into the jar's root.
 */
public final class SamJarLauncher {

	static final String EARLY_PROPERTY = "sam.launcher.early";

	static final String ENTRY_CLASS = "io.samboot.supervisor.EarlySupervision";

	static final Pattern SAM_CORE = Pattern.compile("BOOT-INF/lib/sam-core-\\d[^/]*\\.jar");

	/**
	 * The cluster plug-in, loaded beside the core when the application has it, so quorum
	 * works from the start.
	 */
	static final Pattern SAM_COROSYNC = Pattern.compile("BOOT-INF/lib/sam-corosync-\\d[^/]*\\.jar");

	static final Pattern JNA = Pattern.compile("BOOT-INF/lib/jna-\\d[^/]*\\.jar");

	private SamJarLauncher() {
	}

	public static void main(String[] args) throws Exception {
		if (earlySupervisionWanted(System.getenv(), System.getProperty("sam.enabled"),
				System.getProperty(EARLY_PROPERTY), System.getProperty("os.name", ""))) {
			superviseEarly(args);
		}
		JarLauncher.main(args);
	}

	/**
	 * Whether to try: not in an instance (its supervisor's socket is in the environment),
	 * not switched off for SAM or for this launcher, on Linux (where the supervisor can
	 * re-execute itself).
	 */
	static boolean earlySupervisionWanted(Map<String, String> environment, String samEnabled, String early,
			String osName) {
		return environment.get("SAM_SUPERVISOR_SOCKET") == null && !isFalse(samEnabled)
				&& !isFalse(environment.get("SAM_ENABLED")) && !isFalse(early)
				&& osName.toLowerCase(Locale.ROOT).contains("linux");
	}

	/** Spring Boot's words for {@code false}, as SAM reads {@code sam.enabled}. */
	static boolean isFalse(String value) {
		if (value == null) {
			return false;
		}
		String text = value.trim();
		return text.equalsIgnoreCase("false") || text.equalsIgnoreCase("off") || text.equalsIgnoreCase("no")
				|| text.equals("0");
	}

	private static void superviseEarly(String[] args) {
		try {
			File jar = new File(SamJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			List<URL> libraries = samLibraries(jar);
			if (libraries.size() < 2) {
				// Not a jar with SAM and JNA in it: the listener decides, as without this
				// launcher.
				return;
			}
			Handlers.register();
			URLClassLoader loader = new URLClassLoader(libraries.toArray(new URL[0]),
					ClassLoader.getPlatformClassLoader());
			Class<?> entry = Class.forName(ENTRY_CLASS, true, loader);
			try {
				// Given the arguments and the jar, SAM can leave the decision to Spring
				// Boot when sam.enabled may be set in a profile, a file or an argument.
				entry.getMethod("superviseIfApplicationStart", String[].class, String.class)
					.invoke(null, args, jar.getPath());
			}
			catch (NoSuchMethodException ex) {
				// An older sam-core in the jar.
				entry.getMethod("superviseIfApplicationStart").invoke(null);
			}
			// Back here: this process is not to be supervised (or it is an instance);
			// start as usual.
		}
		catch (Exception | LinkageError ex) {
			System.err.println("[sam-launcher] SAM could not take over before Spring Boot starts (" + ex
					+ "); it takes over when the application starts");
		}
	}

	/**
	 * The nested URLs of SAM's core and of JNA, in that order, then sam-corosync's when
	 * both are there and it is; fewer when missing.
	 */
	static List<URL> samLibraries(File jar) throws Exception {
		List<URL> found = new ArrayList<>();
		String core = null;
		String jna = null;
		String corosync = null;
		try (ZipFile zip = new ZipFile(jar)) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				String name = entries.nextElement().getName();
				if (core == null && SAM_CORE.matcher(name).matches()) {
					core = name;
				}
				else if (jna == null && JNA.matcher(name).matches()) {
					jna = name;
				}
				else if (corosync == null && SAM_COROSYNC.matcher(name).matches()) {
					corosync = name;
				}
			}
		}
		if (core != null) {
			found.add(JarUrl.create(jar, core));
		}
		if (jna != null) {
			found.add(JarUrl.create(jar, jna));
		}
		if (core != null && jna != null && corosync != null) {
			found.add(JarUrl.create(jar, corosync));
		}
		return found;
	}

}
