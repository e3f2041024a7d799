package io.samboot.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A fuzz input for {@link PayloadReader}: byte 0 holds the number of reads (0 to 63), the
 * next bytes say which read each is, the rest is the payload they read. Seeds made by
 * {@link #seedFor} read a real message field by field, as {@link MessageCodec} does.
 */
final class PayloadReaderScript {

	static final int BYTE = 0;
	static final int BOOLEAN = 1;
	static final int INT = 2;
	static final int LONG = 3;
	static final int BYTES = 4;
	static final int STRING = 5;
	static final int REQUIRED_STRING = 6;
	static final int STRING_MAP = 7;
	static final int END = 8;

	static final int OPERATIONS = 9;

	final int[] operations;

	final byte[] payload;

	private PayloadReaderScript(int[] operations, byte[] payload) {
		this.operations = operations;
		this.payload = payload;
	}

	static PayloadReaderScript parse(byte[] input) {
		if (input.length == 0) {
			return new PayloadReaderScript(new int[0], input);
		}
		int count = Math.min(input[0] & 63, input.length - 1);
		int[] operations = new int[count];
		for (int i = 0; i < count; i++) {
			operations[i] = (input[1 + i] & 0xff) % OPERATIONS;
		}
		return new PayloadReaderScript(operations, Arrays.copyOfRange(input, 1 + count, input.length));
	}

	/**
	 * The script that reads {@code body}, the encoding of {@code message}, field by
	 * field.
	 */
	static byte[] seedFor(Message message, byte[] body) {
		int[] fields;
		if (message instanceof Message.Hello) {
			fields = new int[] { BYTE, BYTES, LONG, STRING_MAP, END };
		}
		else if (message instanceof Message.Challenge) {
			fields = new int[] { BYTE, INT, INT, BYTES, END };
		}
		else if (message instanceof Message.ChallengeAnswer) {
			fields = new int[] { BYTE, BYTES, BYTES, END };
		}
		else if (message instanceof Message.Welcome) {
			fields = new int[] { BYTE, INT, LONG, INT, BYTES, END };
		}
		else if (message instanceof Message.Start) {
			fields = new int[] { BYTE, BOOLEAN, END };
		}
		else if (message instanceof Message.HealthCheckRequest) {
			fields = new int[] { BYTE, LONG, END };
		}
		else if (message instanceof Message.HealthCheckResult) {
			fields = new int[] { BYTE, LONG, BYTE, STRING, STRING, LONG, END };
		}
		else if (message instanceof Message.WarnSignalSet) {
			fields = new int[] { BYTE, REQUIRED_STRING, END };
		}
		else if (message instanceof Message.DataStore) {
			fields = new int[] { BYTE, BYTES, END };
		}
		else if (message instanceof Message.Reply) {
			fields = new int[] { BYTE, STRING, STRING, END };
		}
		else if (message instanceof Message.Notice) {
			fields = new int[] { BYTE, REQUIRED_STRING, STRING, STRING, END };
		}
		else if (message instanceof Message.Status status) {
			fields = statusFields(status.history().size());
		}
		else {
			fields = new int[] { BYTE, END };
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(fields.length);
		for (int field : fields) {
			out.write(field);
		}
		out.writeBytes(body);
		return out.toByteArray();
	}

	private static int[] statusFields(int entries) {
		int[] head = { BYTE, REQUIRED_STRING, INT, INT, REQUIRED_STRING, LONG, LONG, REQUIRED_STRING, LONG, LONG, INT,
				INT, STRING_MAP, INT };
		int[] entry = { INT, LONG, LONG, LONG, REQUIRED_STRING, INT, STRING, STRING };
		int[] all = Arrays.copyOf(head, head.length + entries * entry.length + 1);
		for (int i = 0; i < entries; i++) {
			System.arraycopy(entry, 0, all, head.length + i * entry.length, entry.length);
		}
		all[all.length - 1] = END;
		return all;
	}

}
