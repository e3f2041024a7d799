package io.samboot.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small supervised program the suite crashes and hangs: the plain-Java
 * {@link SamSubject} or the C program {@code sambench}, each of which tells the suite
 * through {@link SharedSlots} when an instance has started health checking. Holds the
 * measurements taken of it.
 */
final class Subject implements AutoCloseable {

	final String name;

	final Launched process;

	final SharedSlots slots;

	final boolean isJava;

	long lastSequence;

	final List<Double> warnAfterLastCheck = new ArrayList<>();

	final List<Double> killAfterWarn = new ArrayList<>();

	final List<Double> warnAfterStop = new ArrayList<>();

	final List<Double> ownView = new ArrayList<>();

	final List<Double> reaped = new ArrayList<>();

	final List<Double> exited = new ArrayList<>();

	final List<Double> exitToSeen = new ArrayList<>();

	final List<Double> seen = new ArrayList<>();

	int failures;

	/**
	 * Starts {@code command} with the slots file as its last argument.
	 * @param name the process's name in the logs
	 * @param java whether it is the Java subject (which logs what its supervisor sees)
	 * @param command the command, without the slots file
	 * @param slotsFile the file shared with the subject
	 * @param logs where its output goes
	 */
	Subject(String name, boolean java, List<String> command, Path slotsFile, Path logs) throws IOException {
		this.name = name;
		this.isJava = java;
		this.slots = SharedSlots.map(slotsFile, true);
		List<String> full = new ArrayList<>(command);
		full.add(slotsFile.toString());
		this.process = Launched.start(name, full, Map.of(), logs);
	}

	/**
	 * Waits for the next instance to have started health checking: {instance id, pid}.
	 */
	long[] awaitInstance() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() - deadline < 0) {
			long sequence = this.slots.get(SharedSlots.SEQUENCE);
			if (sequence > this.lastSequence) {
				this.lastSequence = sequence;
				return new long[] { sequence, this.slots.get(SharedSlots.PID) };
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited (see its log)");
			}
			Thread.sleep(5);
		}
		throw new IllegalStateException(this.name + ": no new instance within 90s");
	}

	@Override
	public void close() {
		this.slots.set(SharedSlots.STOP, 1);
		try {
			if (!this.process.awaitExit(15, TimeUnit.SECONDS)) {
				Console.say(this.name + " did not stop by itself within 15s; stopping it");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process.close();
	}

}
