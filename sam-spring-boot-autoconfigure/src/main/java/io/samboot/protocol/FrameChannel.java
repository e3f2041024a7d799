package io.samboot.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * Frames on a blocking byte channel: a 4-byte big-endian length, then that many bytes of
 * {@link MessageCodec message}. The length is checked against a bound before anything is
 * allocated; a frame that ends early is an error, an end of stream between frames is a clean close.
 *
 * <p>Reading and writing may happen on two threads at once; two writers must not.
 */
public final class FrameChannel {

    /** Largest frame before the peer is known (a {@link Message.Hello} with its settings). */
    public static final int HANDSHAKE_FRAME_LIMIT = 64 * 1024;

    /** Room for everything in a frame besides the stored data. */
    public static final int FRAME_OVERHEAD = 64 * 1024;

    private final ByteChannel channel;

    private final ByteBuffer header = ByteBuffer.allocate(4);

    private volatile int frameLimit;

    public FrameChannel(ByteChannel channel, int frameLimit) {
        this.channel = channel;
        this.frameLimit = frameLimit;
    }

    /** Changes the largest frame accepted, once the peer is known and its data limit is. */
    public void frameLimit(int frameLimit) {
        this.frameLimit = frameLimit;
    }

    /**
     * Reads the next message.
     * @return the message, or {@code null} when the peer closed the channel between frames
     * @throws ProtocolException for a frame that is empty, too long, truncated or not a valid message
     */
    public Message read() throws IOException {
        this.header.clear();
        if (!fill(this.header, true)) {
            return null;
        }
        int length = this.header.flip().getInt();
        if (length <= 0 || length > this.frameLimit) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length)
                    + " outside 1.." + this.frameLimit);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(body, false);
        return MessageCodec.decode(body.array());
    }

    /** Writes one message as one frame. */
    public void write(Message message) throws IOException {
        byte[] body = MessageCodec.encode(message);
        ByteBuffer frame = ByteBuffer.allocate(4 + body.length);
        frame.putInt(body.length).put(body).flip();
        while (frame.hasRemaining()) {
            this.channel.write(frame);
        }
    }

    public void close() throws IOException {
        this.channel.close();
    }

    public boolean isOpen() {
        return this.channel.isOpen();
    }

    private boolean fill(ByteBuffer buffer, boolean cleanEndAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (this.channel.read(buffer) < 0) {
                if (cleanEndAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("frame truncated after " + buffer.position() + " of " + buffer.capacity()
                        + " bytes");
            }
        }
        return true;
    }
}
