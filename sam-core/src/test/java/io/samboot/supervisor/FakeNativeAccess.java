package io.samboot.supervisor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;

/**
 * Records every signal sent; {@code getpid()} is 1000, {@code getppid()} what the test
 * sets. It cannot send datagrams, reap, adopt orphans nor replace the program: those
 * calls fail as they do where the platform lacks them.
 */
class FakeNativeAccess implements NativeAccess {

	/** One {@code kill(pid, signal)} call. */
	record Kill(long pid, PosixSignal signal) {
	}

	static final long PID = 1000;

	final List<Kill> kills = new ArrayList<>();

	long ppid = 1;

	@Override
	public long getpid() {
		return PID;
	}

	@Override
	public long getppid() {
		return this.ppid;
	}

	@Override
	public boolean kill(long pid, PosixSignal signal) {
		this.kills.add(new Kill(pid, signal));
		return true;
	}

	@Override
	public boolean setParentDeathSignal(PosixSignal signal) {
		return false;
	}

	@Override
	public void sendDatagram(String socketPath, byte[] message) {
		throw new NativeAccessException("sendto(socket=" + socketPath + ")", "the fake sends no datagrams", "none");
	}

	@Override
	public OptionalInt waitpidNoHang(long pid) {
		throw new NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)", "the fake reaps nothing", "none");
	}

	@Override
	public boolean setChildSubreaper() {
		return false;
	}

	@Override
	public void exec(String executable, List<String> argv, Map<String, String> environment) {
		throw new NativeAccessException("execve(" + executable + ")", "the fake replaces no program", "none");
	}

	@Override
	public FileChannel openOwnedRegularFile(Path file, int ownerUid) throws IOException {
		throw new FileSystemException(file.toString(), null, "the fake opens no file");
	}

	@Override
	public boolean isNative() {
		return true;
	}

}
