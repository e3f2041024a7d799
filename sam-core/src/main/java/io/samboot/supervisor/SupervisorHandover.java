package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.protocol.PayloadReader;
import io.samboot.protocol.PayloadWriter;
import io.samboot.protocol.ProtocolException;

/**
 * What the JVM the user started hands to the lean supervisor JVM it becomes
 * ({@link SupervisorReexec}), in a file of the private control directory: what the
 * instance's command line (passed as arguments, visible in {@code ps}) does not carry.
 *
 * @param settings the settings until the instance sends its own
 * @param data data stored before registration, or {@code null}
 * @param instanceEnvironment variables the lean JVM must not see but the instance must:
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}, which
 * would load the application's agents and options into the supervisor
 * @param parentDeathPrefix what {@link ParentDeathPrefix} found for instance 1's launch,
 * or {@code null} when it was not asked (no instance launched yet)
 */
record SupervisorHandover(SamSettings settings, byte[] data, Map<String, String> instanceEnvironment,
		FirstInstance firstInstance, boolean holdingLines, List<SupervisorLogFormat.Line> heldLines,
		List<String> parentDeathPrefix) {

	/**
	 * Instance 1, launched by the JVM the user started right before it re-executed
	 * itself, so that the application starts while the lean JVM boots.
	 *
	 * @param launchedNanos when, on the {@code System.nanoTime()} clock
	 * ({@code CLOCK_MONOTONIC})
	 * @param launchedEpochMillis when, by the wall clock
	 */
	record FirstInstance(long pid, byte[] secret, long launchedNanos, long launchedEpochMillis) {
	}

	/** The file's name in the control directory. */
	static final String FILE_NAME = "handover";

	private static final int FORMAT = 3;

	SupervisorHandover {
		instanceEnvironment = Map.copyOf(instanceEnvironment);
		heldLines = List.copyOf(heldLines);
		parentDeathPrefix = (parentDeathPrefix != null) ? List.copyOf(parentDeathPrefix) : null;
	}

	SupervisorHandover(SamSettings settings, byte[] data, Map<String, String> instanceEnvironment,
			FirstInstance firstInstance) {
		this(settings, data, instanceEnvironment, firstInstance, false, List.of(), null);
	}

	/**
	 * Writes this handover to {@code directory}, readable by this user only, and returns
	 * its path.
	 */
	Path writeTo(Path directory) throws IOException {
		PayloadWriter writer = new PayloadWriter(256 + ((this.data != null) ? this.data.length : 0));
		writer.writeInt(FORMAT);
		writer.writeStringMap(this.settings.toMap());
		writer.writeBytes(this.data);
		writer.writeStringMap(new LinkedHashMap<>(this.instanceEnvironment));
		writer.writeBoolean(this.firstInstance != null);
		if (this.firstInstance != null) {
			writer.writeLong(this.firstInstance.pid())
				.writeBytes(this.firstInstance.secret())
				.writeLong(this.firstInstance.launchedNanos())
				.writeLong(this.firstInstance.launchedEpochMillis());
		}
		// Log lines held for the logging configuration, to be written by the lean JVM in
		// its format.
		writer.writeBoolean(this.holdingLines);
		writer.writeInt(this.heldLines.size());
		for (SupervisorLogFormat.Line line : this.heldLines) {
			writer.writeLong(line.time().getEpochSecond())
				.writeInt(line.time().getNano())
				.writeString(line.level().name())
				.writeString(line.logger())
				.writeString((line.error() != null)
						? line.message() + System.lineSeparator() + SupervisorLogFormat.stackTrace(line.error())
						: line.message());
		}
		writer.writeBoolean(this.parentDeathPrefix != null);
		if (this.parentDeathPrefix != null) {
			writer.writeInt(this.parentDeathPrefix.size());
			this.parentDeathPrefix.forEach(writer::writeString);
		}
		Path file = directory.resolve(FILE_NAME);
		Files.write(file, writer.toByteArray());
		return file;
	}

	/**
	 * Reads a handover written by {@link #writeTo(Path)} and deletes the file.
	 * @throws IOException if the file cannot be read or is not a handover of this version
	 */
	static SupervisorHandover readAndDelete(Path file) throws IOException {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
		try {
			PayloadReader reader = new PayloadReader(bytes);
			int format = reader.readInt();
			if (format != FORMAT) {
				throw new IOException(file + " is a handover of format " + format + ", this supervisor reads " + FORMAT
						+ ": the JVM the user started and the lean supervisor run different SAM versions");
			}
			SamSettings settings = SamSettings.fromMap(reader.readStringMap());
			byte[] data = reader.readBytes();
			Map<String, String> environment = reader.readStringMap();
			FirstInstance first = reader.readBoolean()
					? new FirstInstance(reader.readLong(), reader.readBytes(), reader.readLong(), reader.readLong())
					: null;
			boolean holding = reader.readBoolean();
			int held = reader.readInt();
			List<SupervisorLogFormat.Line> lines = new ArrayList<>();
			for (int i = 0; i < held; i++) {
				lines.add(new SupervisorLogFormat.Line(Instant.ofEpochSecond(reader.readLong(), reader.readInt()),
						SamLog.Level.valueOf(reader.readRequiredString()), reader.readRequiredString(),
						reader.readRequiredString(), null, ProcessHandle.current().pid(), Map.of()));
			}
			List<String> prefix = null;
			if (reader.readBoolean()) {
				prefix = new ArrayList<>();
				int words = reader.readInt();
				for (int i = 0; i < words; i++) {
					prefix.add(reader.readRequiredString());
				}
			}
			reader.expectEnd();
			return new SupervisorHandover(settings, data, environment, first, holding, lines, prefix);
		}
		catch (ProtocolException ex) {
			throw new IOException(file + " is not a complete supervisor handover: " + ex.getMessage(), ex);
		}
	}
}
