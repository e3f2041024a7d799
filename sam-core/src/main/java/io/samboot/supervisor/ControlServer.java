package io.samboot.supervisor;

import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Message;
import io.samboot.protocol.ProtocolException;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The supervisor's end of the control channel: a Unix socket in a fresh directory only this user
 * can enter, accepting exactly one authenticated peer, the instance it launched last.
 *
 * <p>A connection must, within {@link #HANDSHAKE_TIMEOUT}, come from this user, send a
 * {@link Message.Hello} no larger than {@link FrameChannel#HANDSHAKE_FRAME_LIMIT} with the secret
 * handed to the current instance and that instance's PID, and arrive while no other instance is
 * connected. Anything else is logged and closed; supervision is not affected. Each connection has a
 * reader thread that turns frames into {@link SupervisorEvent}s.
 *
 * <p>The authenticated connection is non-blocking: {@link #send} writes a frame at once from the
 * calling thread (the loop), under a lock, and only what the socket does not take now goes to a
 * writer thread, started the first time that happens, which waits until the socket takes more. So
 * a small frame crosses no thread, and the loop never blocks on a peer that stopped reading. Data
 * stores are kept and answered by the reader thread through the {@link DataSink}, without waking
 * the loop.
 */
final class ControlServer implements ControlChannel {

    /** Time a new connection has to say hello; {@code -Dsam.control.handshake-timeout-ms} changes it (tests). */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(Long.getLong("sam.control.handshake-timeout-ms", 10_000));

    /** The socket's name in its private directory. */
    static final String SOCKET_NAME = "control.sock";

    /** Connections still in their handshake at once; more are refused, so a flood cannot pile up threads. */
    private static final int MAX_PENDING = 8;

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final SupervisorLog log;

    private final Path directory;

    private final Path socket;

    private final ServerSocketChannel server;

    private final Consumer<SupervisorEvent> events;

    private final ScheduledExecutorService timer;

    private final AtomicInteger pending = new AtomicInteger();

    private final AtomicInteger connectionNumbers = new AtomicInteger();

    private final UserPrincipal owner;

    private volatile Expectation expected;

    private volatile Peer active;

    private volatile int frameLimit = FrameChannel.HANDSHAKE_FRAME_LIMIT;

    private volatile boolean closed;

    private volatile DataSink dataSink;

    private ControlServer(Path directory, Consumer<SupervisorEvent> events, SupervisorLog log) throws IOException {
        this.log = log;
        this.directory = directory;
        this.socket = directory.resolve(SOCKET_NAME);
        this.events = events;
        this.owner = Files.getOwner(directory);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.server.bind(UnixDomainSocketAddress.of(this.socket));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sam-handshake-timer"));
    }

    /**
     * Creates the private directory, binds the socket in it and starts accepting.
     * @param events where frames and connection changes go (called from the server's threads)
     */
    static ControlServer open(Consumer<SupervisorEvent> events) throws IOException {
        return open(events, SupervisorLog.get());
    }

    /** As {@link #open(Consumer)}, logging to {@code log} (tests read what is refused). */
    static ControlServer open(Consumer<SupervisorEvent> events, SupervisorLog log) throws IOException {
        return openIn(createPrivateDirectory(baseDirectories(), log), events, log);
    }

    /**
     * As {@link #open(Consumer)}, in a directory made by {@link #createPrivateDirectory} (by the
     * JVM this process was before it became the lean supervisor, see {@link SupervisorReexec}).
     */
    static ControlServer openIn(Path directory, Consumer<SupervisorEvent> events, SupervisorLog log)
            throws IOException {
        ControlServer server = new ControlServer(directory, events, log);
        Thread acceptor = new Thread(server::acceptLoop, "sam-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /**
     * Removes the control directories that supervisors killed with SIGKILL could not remove: this
     * user's {@code sam-<pid>-*} directories whose supervisor no longer runs, with what a supervisor
     * puts there: its socket, and the jars and handover file of {@link SupervisorReexec}.
     */
    static void removeStaleDirectories(Path base) {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("sam-(\\d+)-\\d+");
        try (java.util.stream.Stream<Path> entries = Files.list(base)) {
            String user = System.getProperty("user.name");
            for (Path directory : (Iterable<Path>) entries::iterator) {
                java.util.regex.Matcher matcher = name.matcher(directory.getFileName().toString());
                if (!matcher.matches() || !Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || !Files.getOwner(directory).getName().equals(user)
                        || ProcessHandle.of(Long.parseLong(matcher.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteContent(directory);
                Files.delete(directory);
                SupervisorLog.get().info("removed " + directory + ", left by supervisor " + matcher.group(1)
                        + " which was killed");
            }
        }
        catch (IOException | RuntimeException ex) {
            // Only housekeeping: a directory we cannot remove (not empty, not ours) stays.
        }
    }

    /**
     * Where the socket's directory may go, best first: {@code $XDG_RUNTIME_DIR} (private to the
     * user) when set and short enough, the JVM's temp dir, {@code /tmp}. A socket path must stay
     * under about 107 bytes: leave room for "/sam-NNNNNNNNNNNNNNNNNNN/control.sock".
     */
    static List<Path> baseDirectories() {
        Set<Path> candidates = new LinkedHashSet<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && runtime.length() < 60) {
            candidates.add(Path.of(runtime));
        }
        String tmp = System.getProperty("java.io.tmpdir", "/tmp");
        if (tmp.length() < 60) {
            candidates.add(Path.of(tmp));
        }
        candidates.add(Path.of("/tmp"));
        return List.copyOf(candidates);
    }

    /**
     * Creates a fresh {@code rwx------} directory in the first base that no other user can tamper
     * with: owned by this user or by root, and not writable by others unless sticky (as {@code /tmp}
     * is). Another user who owns the base, or may write to it without the sticky bit, could rename the
     * directory and put a socket of their own in its place, which the instance would then trust. A
     * base that fails this is skipped, with a log line.
     */
    static Path createPrivateDirectory(List<Path> bases, SupervisorLog log) throws IOException {
        IOException failure = null;
        for (Path base : bases) {
            if (!Files.isDirectory(base)) {
                continue;
            }
            String problem = unsafeBase(base);
            Path directory = null;
            if (problem == null) {
                try {
                    removeStaleDirectories(base);
                    // The supervisor's PID in the name lets a later supervisor clean up after one that was SIGKILLed.
                    directory = Files.createTempDirectory(base, "sam-" + ProcessHandle.current().pid() + "-",
                            PosixFilePermissions.asFileAttribute(PRIVATE));
                    problem = notPrivate(base, directory);
                }
                catch (IOException ex) {
                    failure = ex;
                    problem = "cannot create a directory in it (" + ex.getMessage() + ")";
                }
            }
            if (problem == null) {
                return directory;
            }
            if (directory != null) {
                Files.deleteIfExists(directory);
            }
            log.warn("not using " + base + " for the control socket: " + problem);
        }
        throw (failure != null) ? failure : new IOException("no safe directory for the control socket in " + bases);
    }

    private static String unsafeBase(Path base) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(base, "unix:mode");
        }
        catch (UnsupportedOperationException | IllegalArgumentException ex) {
            return null;
        }
        boolean writableByOthers = (mode & 0022) != 0;
        boolean sticky = (mode & 01000) != 0;
        if (writableByOthers && !sticky) {
            return String.format("other users may write to it (mode %04o) and it is not sticky", mode & 07777);
        }
        return null;
    }

    private static String notPrivate(Path base, Path directory) throws IOException {
        UserPrincipal me = Files.getOwner(directory);
        UserPrincipal baseOwner = Files.getOwner(base);
        if (!baseOwner.equals(me) && !"root".equals(baseOwner.getName())) {
            return "it belongs to " + baseOwner.getName() + ", not to " + me.getName() + " or root";
        }
        if (!Files.getPosixFilePermissions(directory).equals(PRIVATE)) {
            // A file system that ignores the mode asked for at creation: ask once more, then give up on it.
            Files.setPosixFilePermissions(directory, PRIVATE);
            if (!Files.getPosixFilePermissions(directory).equals(PRIVATE)) {
                return "it does not keep a directory private (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)) + ")";
            }
        }
        return null;
    }

    @Override
    public String socketPath() {
        return this.socket.toString();
    }

    /**
     * The next connection must present this secret and come from this instance; the current one, if
     * any, is closed (its instance has ended).
     */
    @Override
    public void expect(int instanceId, byte[] secret) {
        this.expected = new Expectation(instanceId, secret.clone(), new long[] {0});
        Peer peer = this.active;
        if (peer != null) {
            peer.close();
        }
    }

    /** The PID of the expected instance, known once it is spawned. */
    @Override
    public void expectPid(int instanceId, long pid) {
        Expectation expectation = this.expected;
        if (expectation != null && expectation.instanceId == instanceId) {
            expectation.pid[0] = pid;
        }
    }

    /** Sets the largest frame the instance may send, once its data limit is known. */
    @Override
    public void frameLimit(long dataStoreMaxSize) {
        this.frameLimit = (int) Math.min(Integer.MAX_VALUE - 16, dataStoreMaxSize + FrameChannel.FRAME_OVERHEAD);
        Peer peer = this.active;
        if (peer != null) {
            peer.frames.frameLimit(this.frameLimit);
            FrameChannel.sendBufferFor(peer.channel, this.frameLimit);
        }
    }

    /**
     * Writes a message to an instance now, as far as its socket takes it without blocking, and queues
     * the rest for the writer thread; dropped when that instance is not the one connected.
     */
    @Override
    public void send(int instanceId, Message message) {
        Peer peer = this.active;
        if (peer != null && peer.instanceId == instanceId) {
            peer.send(message);
        }
    }

    /** Whether frames for this instance wait for the writer thread (its socket did not take them at once); tests. */
    boolean hasPendingWrites(int instanceId) {
        Peer peer = this.active;
        return peer != null && peer.instanceId == instanceId && peer.hasPending();
    }

    @Override
    public void dataSink(DataSink sink) {
        this.dataSink = sink;
    }

    /** Closes the channel of an instance that has ended. */
    @Override
    public void disconnect(int instanceId) {
        Peer peer = this.active;
        if (peer != null && peer.instanceId == instanceId) {
            peer.close();
        }
    }

    @Override
    public void close() {
        this.closed = true;
        Peer peer = this.active;
        if (peer != null) {
            peer.close();
        }
        try {
            this.server.close();
        }
        catch (IOException ex) {
            // Closing is best effort: the files are removed below either way.
        }
        this.timer.shutdownNow();
        try {
            deleteContent(this.directory);
            Files.deleteIfExists(this.directory);
        }
        catch (IOException ex) {
            this.log.warn("could not remove the control socket " + this.socket + ": " + ex.getMessage());
        }
    }

    /**
     * Removes a directory made by {@link #createPrivateDirectory} with what SAM put in it; quietly
     * does nothing for {@code null} or what it cannot remove (housekeeping only).
     */
    static void removeDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            deleteContent(directory);
            Files.deleteIfExists(directory);
        }
        catch (IOException ex) {
            // Left for the next supervisor's removeStaleDirectories.
        }
    }

    /** Deletes the files SAM puts in a control directory: the socket, the handover, extracted jars. */
    private static void deleteContent(Path directory) throws IOException {
        if (!Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.equals(SOCKET_NAME) || name.equals(SupervisorHandover.FILE_NAME) || name.endsWith(".jar")) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    private void acceptLoop() {
        while (!this.closed) {
            SocketChannel channel;
            try {
                channel = this.server.accept();
            }
            catch (IOException ex) {
                if (!this.closed) {
                    this.log.error("control channel stopped accepting: " + ex.getMessage());
                }
                return;
            }
            if (this.pending.incrementAndGet() > MAX_PENDING) {
                this.pending.decrementAndGet();
                refuse(channel, "more than " + MAX_PENDING + " connections are waiting to authenticate");
                continue;
            }
            int number = this.connectionNumbers.incrementAndGet();
            Thread reader = new Thread(() -> serve(channel), "sam-connection-" + number);
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void serve(SocketChannel channel) {
        FrameChannel frames = new FrameChannel(channel, FrameChannel.HANDSHAKE_FRAME_LIMIT);
        Peer peer;
        ScheduledFuture<?> deadline = this.timer.schedule(() -> closeQuietly(channel),
                HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            peer = authenticate(channel, frames);
        }
        finally {
            deadline.cancel(false);
            this.pending.decrementAndGet();
        }
        if (peer != null) {
            readFrames(peer);
        }
    }

    /** Runs the handshake; returns the new active peer, or {@code null} after refusing the connection. */
    private Peer authenticate(SocketChannel channel, FrameChannel frames) {
        String problem = checkPeerUser(channel);
        if (problem != null) {
            refuse(channel, problem);
            return null;
        }
        Message first;
        try {
            first = frames.read();
        }
        catch (ProtocolException ex) {
            refuse(channel, "malformed first frame: " + ex.getMessage());
            return null;
        }
        catch (IOException ex) {
            refuse(channel, channel.isOpen() ? "truncated first frame: " + ex.getMessage()
                    : "no hello within " + HANDSHAKE_TIMEOUT.toMillis() + "ms");
            return null;
        }
        if (first == null) {
            refuse(channel, "closed before saying hello");
            return null;
        }
        if (!(first instanceof Message.Hello hello)) {
            refuse(channel, "first frame was " + first.getClass().getSimpleName() + ", not a hello");
            return null;
        }
        Peer connected = this.active;
        if (connected != null && connected.isOpen() && MessageDigest.isEqual(connected.secret, hello.secret())) {
            refuse(channel, "instance " + connected.instanceId + " is already connected (a second connection)");
            return null;
        }
        Expectation expectation = this.expected;
        if (expectation == null || !MessageDigest.isEqual(expectation.secret, hello.secret())) {
            refuse(channel, "wrong secret (pid claimed " + hello.pid() + ")");
            return null;
        }
        long expectedPid = expectation.pid[0];
        if (expectedPid != 0 && expectedPid != hello.pid()) {
            refuse(channel, "pid " + hello.pid() + " is not instance " + expectation.instanceId + " (pid "
                    + expectedPid + ")");
            return null;
        }
        synchronized (this) {
            Peer current = this.active;
            if (current != null && current.isOpen()) {
                refuse(channel, "instance " + current.instanceId + " is already connected (a second connection)");
                return null;
            }
            // The secret is used up: a copy of this hello cannot open a second session.
            this.expected = null;
            frames.frameLimit(this.frameLimit);
            Peer peer;
            try {
                peer = new Peer(expectation.instanceId, expectation.secret, channel, frames);
            }
            catch (IOException ex) {
                refuse(channel, "cannot make the connection non-blocking: " + ex.getMessage());
                return null;
            }
            this.active = peer;
            this.events.accept(new SupervisorEvent.Connected(expectation.instanceId, hello));
            return peer;
        }
    }

    private String checkPeerUser(SocketChannel channel) {
        try {
            UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!principal.user().getName().equals(this.owner.getName())) {
                return "peer runs as user " + principal.user().getName() + ", not " + this.owner.getName();
            }
            return null;
        }
        catch (UnsupportedOperationException | IOException ex) {
            // Without peer credentials the directory's permissions and the secret still guard the channel.
            return null;
        }
    }

    private void readFrames(Peer peer) {
        try {
            while (true) {
                Message message = peer.frames.read();
                if (message == null) {
                    break;
                }
                DataSink sink = this.dataSink;
                if (sink != null && message instanceof Message.DataStore store) {
                    // Kept and answered here: the instance waits for this answer, the loop needs only the bytes.
                    Message.Reply reply = sink.store(peer.instanceId, store.data());
                    if (reply != null) {
                        peer.send(reply);
                        continue;
                    }
                }
                this.events.accept(new SupervisorEvent.Received(peer.instanceId, message));
            }
        }
        catch (ProtocolException ex) {
            this.log.warn("instance " + peer.instanceId + " sent a malformed frame (" + ex.getMessage()
                    + "); its control channel is closed");
        }
        catch (IOException ex) {
            // Usually the instance died mid-write (a reset); its exit, which follows, is what gets reported.
        }
        finally {
            peer.close();
            peer.closeReadSelector();
            this.events.accept(new SupervisorEvent.Disconnected(peer.instanceId));
        }
    }

    private void refuse(SocketChannel channel, String reason) {
        this.log.warn("refused a connection on the control channel: " + reason + "; supervision goes on");
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        }
        catch (IOException ex) {
            // Nothing more to do for a connection being refused.
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Expectation(int instanceId, byte[] secret, long[] pid) {
    }

    /**
     * The authenticated instance: its non-blocking channel, the frames its socket has not taken yet
     * (the head may be partly written) and the writer thread that finishes them.
     */
    private static final class Peer {

        /** Longest wait of the writer for a socket that takes nothing before it looks again. */
        private static final long WRITABLE_WAIT_MILLIS = 1000;

        final int instanceId;

        final byte[] secret;

        final SocketChannel channel;

        final FrameChannel frames;

        private final Selector readSelector;

        private final ReentrantLock writeLock = new ReentrantLock();

        private final Condition queued = this.writeLock.newCondition();

        /** Frames not yet fully written, in order; guarded by {@link #writeLock}. */
        private final ArrayDeque<ByteBuffer[]> pending = new ArrayDeque<>();

        /** Guarded by {@link #writeLock}. */
        private boolean open = true;

        /** Guarded by {@link #writeLock}. */
        private Thread writer;

        private volatile Selector writeSelector;

        Peer(int instanceId, byte[] secret, SocketChannel channel, FrameChannel frames) throws IOException {
            this.instanceId = instanceId;
            this.secret = secret;
            this.channel = channel;
            this.frames = frames;
            channel.configureBlocking(false);
            this.readSelector = Selector.open();
            try {
                channel.register(this.readSelector, SelectionKey.OP_READ);
            }
            catch (IOException | RuntimeException ex) {
                this.readSelector.close();
                throw ex;
            }
            frames.readWait(this::awaitReadable);
        }

        boolean isOpen() {
            return this.channel.isOpen();
        }

        /** Writes what the socket takes now; queues the rest (and anything behind it) for the writer thread. */
        void send(Message message) {
            ByteBuffer[] frame = io.samboot.protocol.MessageCodec.encodeFrame(message);
            this.writeLock.lock();
            try {
                if (!this.open) {
                    return;
                }
                if (this.pending.isEmpty()) {
                    try {
                        if (!this.frames.writeSome(frame)) {
                            return;
                        }
                    }
                    catch (IOException ex) {
                        // The reader sees the same failure and reports the disconnection.
                        close();
                        return;
                    }
                }
                this.pending.addLast(frame);
                if (this.writer == null) {
                    Thread thread = new Thread(this::drain, "sam-writer-" + this.instanceId);
                    thread.setDaemon(true);
                    this.writer = thread;
                    thread.start();
                }
                else {
                    this.queued.signal();
                }
            }
            finally {
                this.writeLock.unlock();
            }
        }

        /** Frames the socket could not take at once have been queued: whether any still wait. */
        boolean hasPending() {
            this.writeLock.lock();
            try {
                return !this.pending.isEmpty();
            }
            finally {
                this.writeLock.unlock();
            }
        }

        void close() {
            closeQuietly(this.channel);
            this.writeLock.lock();
            try {
                this.open = false;
                this.pending.clear();
                this.queued.signalAll();
            }
            finally {
                this.writeLock.unlock();
            }
            this.readSelector.wakeup();
            Selector selector = this.writeSelector;
            if (selector != null) {
                selector.wakeup();
            }
        }

        void closeReadSelector() {
            try {
                this.readSelector.close();
            }
            catch (IOException ex) {
                // Only releases a file descriptor; nothing else depends on it.
            }
        }

        private void awaitReadable() throws IOException {
            this.readSelector.select();
            this.readSelector.selectedKeys().clear();
            if (!this.channel.isOpen()) {
                throw new ClosedChannelException();
            }
        }

        /** The writer thread: writes the queued frames in order, waiting while the socket's buffer is full. */
        private void drain() {
            try {
                while (true) {
                    ByteBuffer[] frame;
                    this.writeLock.lock();
                    try {
                        while (this.open && this.pending.isEmpty()) {
                            this.queued.await();
                        }
                        if (!this.open) {
                            return;
                        }
                        frame = this.pending.peekFirst();
                    }
                    finally {
                        this.writeLock.unlock();
                    }
                    while (true) {
                        this.writeLock.lock();
                        try {
                            if (!this.open) {
                                return;
                            }
                            if (!this.frames.writeSome(frame)) {
                                this.pending.removeFirst();
                                break;
                            }
                        }
                        finally {
                            this.writeLock.unlock();
                        }
                        awaitWritable();
                    }
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (IOException ex) {
                // The reader sees the same failure and reports the disconnection.
                close();
            }
            finally {
                Selector selector = this.writeSelector;
                if (selector != null) {
                    try {
                        selector.close();
                    }
                    catch (IOException ex) {
                        // Only releases a file descriptor.
                    }
                }
            }
        }

        private void awaitWritable() throws IOException {
            Selector selector = this.writeSelector;
            if (selector == null) {
                selector = Selector.open();
                this.writeSelector = selector;
                this.channel.register(selector, SelectionKey.OP_WRITE);
            }
            selector.select(WRITABLE_WAIT_MILLIS);
            selector.selectedKeys().clear();
        }
    }
}
