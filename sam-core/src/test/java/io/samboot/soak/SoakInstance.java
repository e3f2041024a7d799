package io.samboot.soak;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;

import io.samboot.CheckResult;
import io.samboot.HealthCheckMode;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;

/**
 * The plain Java application of the core soak ({@link CoreSoak}): started as
 * {@code java -cp ... SoakInstance <control directory> <time interval ms>}, it becomes
 * the supervisor, and each instance it launches keeps a counter and a checksummed blob (1
 * B to 16 KiB) in the data store, incrementing and rewriting both every 50 ms and
 * printing {@code ACK <iid> <counter>} for each store the supervisor acknowledged. It
 * prints {@code MARK iid=<iid> pid=<pid> counter=<restored> blob=<ok|corrupt>} once
 * health checking is started. Files in the control directory change what it does:
 * {@code hang} (its health check blocks), {@code unhealthy} (it fails),
 * {@code crash-after-start} (the next instance to start halts right after
 * {@code start()}), {@code big} (stores of 256 KiB to 1 MiB every 20 ms).
 */
public final class SoakInstance {

	private SoakInstance() {
	}

	public static void main(String[] args) throws Exception {
		Path control = Path.of(args[0]);
		Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
		Sam.initialize(SamSettings.builder()
			.timeInterval(interval)
			.killDelay(interval.dividedBy(3))
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.healthCheckMode(HealthCheckMode.EVENT)
			.healthCheckTimeout(interval.dividedBy(2))
			.restartDelay(Duration.ZERO)
			.restartMaxDelay(Duration.ZERO)
			.maxRestarts(0)
			.shutdownTimeout(Duration.ofSeconds(5))
			.threadDump(false)
			.pauseGrace(Duration.ZERO)
			.dataStoreMaxSize(2 * 1024 * 1024)
			.build());
		int iid = Sam.register();
		long pid = ProcessHandle.current().pid();
		byte[] restored = Sam.dataRestore();
		long counter = counter(restored);
		Sam.hcCallbackRegister(() -> {
			if (Files.exists(control.resolve("hang"))) {
				new CountDownLatch(1).await();
			}
			return Files.exists(control.resolve("unhealthy")) ? CheckResult.down("soak", "told to be unhealthy")
					: CheckResult.up();
		});
		Sam.start();
		if (Files.deleteIfExists(control.resolve("crash-after-start"))) {
			System.out.println("MARK crash iid=" + iid + " pid=" + pid);
			Runtime.getRuntime().halt(3);
		}
		System.out.print("MARK iid=" + iid + " pid=" + pid + " counter=" + Math.max(counter, 0) + " blob="
				+ ((counter >= 0) ? "ok" : "corrupt") + "\n");
		Random random = new Random(pid);
		while (true) {
			counter = Math.max(counter, 0) + 1;
			boolean big = Files.exists(control.resolve("big"));
			int size = big ? 256 * 1024 + random.nextInt(768 * 1024) : 1 + random.nextInt(16 * 1024);
			Sam.dataStore(encode(counter, size, random));
			// One write, so that no line of another process lands inside it.
			System.out.print("ACK " + iid + " " + counter + "\n");
			// Stores come fast while a kill is aimed at one; between faults, slower
			// stores leave the two CPUs to the starts the faults cause.
			Thread.sleep(big ? 20 : 50);
		}
	}

	/** Counter, blob length, blob, CRC-32 of all before it. */
	static byte[] encode(long counter, int size, Random random) {
		ByteBuffer buffer = ByteBuffer.allocate(8 + 4 + size + 8);
		buffer.putLong(counter).putInt(size);
		byte[] blob = new byte[size];
		random.nextBytes(blob);
		buffer.put(blob);
		CRC32 crc = new CRC32();
		crc.update(buffer.array(), 0, 12 + size);
		buffer.putLong(crc.getValue());
		return buffer.array();
	}

	/** The counter stored, 0 when nothing is, -1 when what is stored is corrupt. */
	static long counter(byte[] data) {
		if (data == null || data.length == 0) {
			return 0;
		}
		if (data.length < 20) {
			return -1;
		}
		ByteBuffer buffer = ByteBuffer.wrap(data);
		long counter = buffer.getLong();
		int size = buffer.getInt();
		if (size != data.length - 20) {
			return -1;
		}
		CRC32 crc = new CRC32();
		crc.update(data, 0, 12 + size);
		return (crc.getValue() == ByteBuffer.wrap(data, 12 + size, 8).getLong()) ? counter : -1;
	}

}
