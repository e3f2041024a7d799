package io.samboot.supervisor;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;

import java.util.ArrayList;
import java.util.List;

/** Records every signal sent; {@code getpid()} is 1000, {@code getppid()} what the test sets. */
final class FakeNativeAccess implements NativeAccess {

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
    public boolean isNative() {
        return true;
    }
}
