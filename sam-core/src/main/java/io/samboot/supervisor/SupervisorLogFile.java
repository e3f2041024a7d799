package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * The application's log file ({@code logging.file.name}, or {@code spring.log} in
 * {@code logging.file.path}), which the supervisor appends its lines to as well. Both
 * processes append (each write lands whole at the end), and when the application's
 * logging rotates the file away, the supervisor's next line opens the new one.
 */
final class SupervisorLogFile {

	private final Path path;

	private FileChannel channel;

	/** The file the channel writes to, to see when the path names another. */
	private Object fileKey;

	private boolean failed;

	SupervisorLogFile(Path path) {
		this.path = path;
	}

	/** The file the logging settings name, or {@code null} for none. */
	static Path of(Map<String, String> logging) {
		String name = logging.get("logging.file.name");
		if (name != null && !name.isBlank()) {
			return Path.of(name.strip());
		}
		String directory = logging.get("logging.file.path");
		return (directory != null && !directory.isBlank()) ? Path.of(directory.strip(), "spring.log") : null;
	}

	Path path() {
		return this.path;
	}

	/**
	 * Appends the line; a file that cannot be written is reported once on standard error
	 * and then left alone, since the console still has every line.
	 */
	synchronized void append(String line) {
		try {
			if (this.channel == null || !Objects.equals(currentKey(), this.fileKey)) {
				reopen();
			}
			ByteBuffer bytes = ByteBuffer.wrap((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
			while (bytes.hasRemaining()) {
				this.channel.write(bytes);
			}
			this.failed = false;
		}
		catch (IOException ex) {
			if (!this.failed) {
				this.failed = true;
				System.err.println("[sam-supervisor] cannot write to the log file " + this.path + ": " + ex);
			}
			close();
		}
	}

	synchronized void close() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// Nothing was lost that the console does not have.
			}
			this.channel = null;
		}
	}

	private void reopen() throws IOException {
		close();
		Path parent = this.path.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		this.channel = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		this.fileKey = currentKey();
	}

	private Object currentKey() {
		try {
			return Files.readAttributes(this.path, BasicFileAttributes.class).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

}
