package io.samboot.nativeaccess;

/**
 * A listening TCP socket opened by {@link NativeAccess#listenTcp}.
 *
 * @param descriptor its file descriptor in this process
 * @param port the port it listens on (the one the system chose, when asked for 0)
 */
public record ListeningSocket(int descriptor, int port) {
}
